package io.lakeshare.server.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeshare.protocol.model.Format;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.server.delta.MetadataInfo;
import io.lakeshare.server.delta.TableSnapshot;
import java.util.Map;

/**
 * The parquet-format {@code metaData} line of a table version (CONFORMANCE §1.8): top-level field
 * metadata reduced to {@code comment}, configuration reduced to {@code enableChangeDataFeed} for
 * history-shared tables. Output is deterministic so that paginated answers repeat it byte for byte.
 */
final class ParquetMetadata {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ParquetMetadata() {}

  static Metadata of(TableSnapshot s, boolean historyShared, Long version) {
    return of(s.metadataInfo(), historyShared, version);
  }

  static Metadata of(MetadataInfo m, boolean historyShared, Long version) {
    Map<String, String> configuration =
        historyShared && cdfEnabled(m.configuration())
            ? Map.of("enableChangeDataFeed", "true")
            : Map.of();
    return new Metadata(
        m.id(),
        m.name(),
        m.description(),
        Format.PARQUET,
        cleanSchema(m.schemaString()),
        m.partitionColumns(),
        configuration,
        version,
        null,
        null);
  }

  /** Whether table properties say that change data is recorded. */
  static boolean cdfEnabled(Map<String, String> properties) {
    return "true".equalsIgnoreCase(properties.get("delta.enableChangeDataFeed"));
  }

  static String cleanSchema(String schemaString) {
    try {
      JsonNode root = MAPPER.readTree(schemaString);
      JsonNode fields = root.get("fields");
      if (fields instanceof ArrayNode array) {
        for (JsonNode field : array) {
          if (field instanceof ObjectNode f && f.get("metadata") instanceof ObjectNode md) {
            ObjectNode kept = MAPPER.createObjectNode();
            if (md.has("comment")) {
              kept.set("comment", md.get("comment"));
            }
            f.set("metadata", kept);
          }
        }
      }
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      return schemaString;
    }
  }
}
