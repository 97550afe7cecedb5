package io.lakeshare.server.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The top-level columns of a table (name, type, partition flag), read from Spark's JSON schema
 * string (CONFORMANCE §3.7). Lookups are case-insensitive, as Delta column names are.
 */
public final class TableColumns {
  private static final Logger LOG = LoggerFactory.getLogger(TableColumns.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern DECIMAL =
      Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");
  private static final String PHYSICAL_NAME = "delta.columnMapping.physicalName";
  private static final String CHAR_VARCHAR = "__CHAR_VARCHAR_TYPE_STRING";
  private static final String COLLATIONS = "__COLLATIONS";

  private final Map<String, ColumnInfo> byName;
  private final Map<String, ColumnInfo> byLowerName;
  private final Set<String> ambiguousLowerNames;
  private final boolean partitioned;

  private TableColumns(List<ColumnInfo> columns) {
    this.byName = new LinkedHashMap<>();
    this.byLowerName = new HashMap<>();
    this.ambiguousLowerNames = new HashSet<>();
    boolean anyPartition = false;
    for (ColumnInfo c : columns) {
      byName.putIfAbsent(c.name(), c);
      String lower = c.name().toLowerCase(Locale.ROOT);
      if (byLowerName.putIfAbsent(lower, c) != null) {
        ambiguousLowerNames.add(lower);
      }
      anyPartition |= c.partition();
    }
    this.partitioned = anyPartition;
  }

  /**
   * Reads the top-level fields of {@code schemaString}. Never throws: an unreadable schema yields
   * only the partition columns, with unknown types (so nothing is filtered on them).
   */
  public static TableColumns fromSchemaString(String schemaString, List<String> partitionColumns) {
    Set<String> partitionLower = new HashSet<>();
    if (partitionColumns != null) {
      for (String p : partitionColumns) {
        if (p != null) {
          partitionLower.add(p.toLowerCase(Locale.ROOT));
        }
      }
    }
    List<ColumnInfo> columns = new ArrayList<>();
    Set<String> seenLower = new HashSet<>();
    for (JsonNode field : topLevelFields(schemaString)) {
      ColumnInfo info = readField(field, partitionLower);
      if (info != null) {
        columns.add(info);
        seenLower.add(info.name().toLowerCase(Locale.ROOT));
      }
    }
    if (partitionColumns != null) {
      for (String p : partitionColumns) {
        if (p != null && seenLower.add(p.toLowerCase(Locale.ROOT))) {
          columns.add(new ColumnInfo(p, null, ColumnKind.OTHER, 0, 0, true));
        }
      }
    }
    return new TableColumns(columns);
  }

  /** Whether the table has at least one partition column. */
  public boolean isPartitioned() {
    return partitioned;
  }

  /** Exact name first, then case-insensitive; {@code null} when unknown or ambiguous. */
  ColumnInfo find(String name) {
    if (name == null) {
      return null;
    }
    ColumnInfo exact = byName.get(name);
    if (exact != null) {
      return exact;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return ambiguousLowerNames.contains(lower) ? null : byLowerName.get(lower);
  }

  private static List<JsonNode> topLevelFields(String schemaString) {
    List<JsonNode> out = new ArrayList<>();
    if (schemaString == null || schemaString.isBlank()) {
      return out;
    }
    try {
      JsonNode root = MAPPER.readTree(schemaString);
      JsonNode fields = root == null ? null : root.get("fields");
      if (fields != null && fields.isArray()) {
        fields.forEach(out::add);
      }
    } catch (JsonProcessingException e) {
      LOG.debug(
          "Unreadable schema string, filtering only by partition presence: {}", e.getMessage());
    }
    return out;
  }

  private static ColumnInfo readField(JsonNode field, Set<String> partitionLower) {
    JsonNode nameNode = field.get("name");
    if (nameNode == null || !nameNode.isTextual()) {
      return null;
    }
    String name = nameNode.asText();
    JsonNode metadata = field.get("metadata");
    String physical = null;
    if (metadata != null && metadata.path(PHYSICAL_NAME).isTextual()) {
      physical = metadata.get(PHYSICAL_NAME).asText();
    }
    ColumnKind kind = ColumnKind.OTHER;
    int precision = 0;
    int scale = 0;
    JsonNode type = field.get("type");
    if (type != null && type.isTextual()) {
      String typeName = type.asText().trim().toLowerCase(Locale.ROOT);
      kind = ColumnKind.ofTypeName(typeName);
      if (kind == ColumnKind.DECIMAL) {
        Matcher m = DECIMAL.matcher(typeName);
        if (m.matches()) {
          precision = Integer.parseInt(m.group(1));
          scale = Integer.parseInt(m.group(2));
        } else if (typeName.equals("decimal")) {
          precision = 10;
        } else {
          kind = ColumnKind.OTHER;
        }
      }
      if (kind == ColumnKind.STRING && !binaryComparable(metadata)) {
        kind = ColumnKind.OTHER;
      }
    }
    boolean partition = partitionLower.contains(name.toLowerCase(Locale.ROOT));
    return new ColumnInfo(name, physical, kind, precision, scale, partition);
  }

  /**
   * CHAR(n) columns compare with padding and collated strings compare by their collation, so our
   * code-point comparison would not be Spark's; such columns are never filtered on.
   */
  private static boolean binaryComparable(JsonNode metadata) {
    if (metadata == null || !metadata.isObject()) {
      return true;
    }
    if (metadata.has(COLLATIONS)) {
      return false;
    }
    JsonNode charVarchar = metadata.get(CHAR_VARCHAR);
    return charVarchar == null
        || !charVarchar.asText().trim().toLowerCase(Locale.ROOT).startsWith("char");
  }
}
