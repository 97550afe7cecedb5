package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.DeltaMetadata;
import io.lakeshare.protocol.model.Format;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.MetadataLine;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Inner object of the {@code metaData} line. Map entries ({@code format.options}, {@code
 * configuration}) are written sorted by key so that equal records give identical bytes whatever the
 * maps' insertion order: paged answers must repeat this line byte for byte (§1.9.5).
 */
final class MetadataCodec {
  static final String WRAPPER = "metaData";

  private MetadataCodec() {}

  static void write(Metadata m, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", m.id());
    if (m.name() != null) {
      g.writeStringField("name", m.name());
    }
    if (m.description() != null) {
      g.writeStringField("description", m.description());
    }
    g.writeObjectFieldStart("format");
    g.writeStringField("provider", m.format().provider());
    if (!m.format().options().isEmpty()) {
      g.writeFieldName("options");
      writeSortedMap(m.format().options(), g);
    }
    g.writeEndObject();
    g.writeStringField("schemaString", m.schemaString());
    g.writeArrayFieldStart("partitionColumns");
    for (String c : m.partitionColumns()) {
      g.writeString(c);
    }
    g.writeEndArray();
    g.writeFieldName("configuration");
    writeSortedMap(m.configuration(), g);
    if (m.version() != null) {
      g.writeNumberField("version", m.version());
    }
    if (m.size() != null) {
      g.writeNumberField("size", m.size());
    }
    if (m.numFiles() != null) {
      g.writeNumberField("numFiles", m.numFiles());
    }
    g.writeEndObject();
  }

  /**
   * Writes a string map as an object sorted by key. A map already in key order is written without a
   * sorted copy: the delta format writes one ({@code tags}) per file line, ~100k per answer.
   */
  static void writeSortedMap(Map<String, String> map, JsonGenerator g) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, String> e :
        inKeyOrder(map) ? map.entrySet() : new TreeMap<>(map).entrySet()) {
      g.writeFieldName(e.getKey());
      if (e.getValue() == null) {
        g.writeNull();
      } else {
        g.writeString(e.getValue());
      }
    }
    g.writeEndObject();
  }

  private static boolean inKeyOrder(Map<String, String> map) {
    if (map.size() < 2) {
      return true;
    }
    String previous = null;
    for (String key : map.keySet()) {
      if (previous != null && previous.compareTo(key) >= 0) {
        return false;
      }
      previous = key;
    }
    return true;
  }

  /** Either format's metadata line: a {@code deltaMetadata} object makes it the delta one. */
  static MetadataLine read(JsonParser p) throws IOException {
    JsonScalars.expectObject(p, WRAPPER);
    DeltaMetadata delta = null;
    String id = null;
    String name = null;
    String description = null;
    Format format = null;
    String schemaString = null;
    List<String> partitionColumns = null;
    Map<String, String> configuration = null;
    Long version = null;
    Long size = null;
    Long numFiles = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "id" -> id = JsonScalars.string(p, field, WRAPPER);
        case "name" -> name = JsonScalars.string(p, field, WRAPPER);
        case "description" -> description = JsonScalars.string(p, field, WRAPPER);
        case "format" -> format = readFormat(p);
        case "schemaString" -> schemaString = JsonScalars.string(p, field, WRAPPER);
        case "partitionColumns" -> partitionColumns = JsonScalars.stringArray(p, field, WRAPPER);
        case "configuration" -> configuration = JsonScalars.stringMap(p, field, WRAPPER, true);
        case "version" -> version = JsonScalars.int64(p, field, WRAPPER);
        case "size" -> size = JsonScalars.int64(p, field, WRAPPER);
        case "numFiles" -> numFiles = JsonScalars.int64(p, field, WRAPPER);
        case DeltaActionCodec.DELTA_METADATA -> delta = DeltaActionCodec.readMetadata(p);
        default -> p.skipChildren();
      }
    }
    if (delta != null) {
      return new DeltaMetadata(
          delta.id(),
          delta.name(),
          delta.description(),
          delta.format(),
          delta.schemaString(),
          delta.partitionColumns(),
          delta.configuration(),
          delta.createdTime(),
          version,
          size,
          numFiles);
    }
    FileActionCodec.requirePresent(id, "id", WRAPPER);
    FileActionCodec.requirePresent(schemaString, "schemaString", WRAPPER);
    return new Metadata(
        id,
        name,
        description,
        format,
        schemaString,
        partitionColumns,
        configuration,
        version,
        size,
        numFiles);
  }

  static Format readFormat(JsonParser p) throws IOException {
    String where = WRAPPER + ".format";
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    JsonScalars.expectObject(p, where);
    String provider = null;
    Map<String, String> options = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "provider" -> provider = JsonScalars.string(p, field, where);
        // Format keeps no null option values (Map.copyOf), so drop them.
        case "options" -> options = JsonScalars.stringMap(p, field, where, false);
        default -> p.skipChildren();
      }
    }
    FileActionCodec.requirePresent(provider, "provider", where);
    return new Format(provider, options);
  }
}
