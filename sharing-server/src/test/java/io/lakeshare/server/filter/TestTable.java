package io.lakeshare.server.filter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The table most case tests run against, plus small builders for partition values and stats. */
final class TestTable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final List<String> PARTITIONS = List.of("date", "region", "year", "ts", "flag", "rate");

  static final String SCHEMA =
      new SchemaJson()
          .field("date", "date")
          .field("region", "string")
          .field("year", "integer")
          .field("ts", "timestamp")
          .field("flag", "boolean")
          .field("rate", "double")
          .field("age", "integer")
          .field("name", "string")
          .field("score", "double")
          .field("price", "decimal(10,2)")
          .field("event", "timestamp")
          .field("day", "date")
          .field("ntz", "timestamp_ntz")
          .field("big", "long")
          .structField("nested")
          .toString();

  static final TableColumns COLUMNS = TableColumns.fromSchemaString(SCHEMA, PARTITIONS);

  static final FilterSettings ALL_ON = new FilterSettings(true, true, true);

  private TestTable() {}

  static FileFilter json(io.lakeshare.protocol.predicate.JsonPredicate predicate) {
    return FileFilter.create(predicate, null, ALL_ON, COLUMNS);
  }

  static FileFilter sql(String... entries) {
    return FileFilter.create(null, List.of(entries), ALL_ON, COLUMNS);
  }

  /** Partition values from key/value pairs; values may be null. */
  static Map<String, String> parts(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  static Stats stats(long numRecords) {
    return new Stats(numRecords);
  }

  /** Builder of a stats JSON string. */
  static final class Stats {
    private final ObjectNode root = MAPPER.createObjectNode();

    Stats(long numRecords) {
      if (numRecords >= 0) {
        root.put("numRecords", numRecords);
      }
    }

    Stats min(String column, Object value) {
      put(root.withObjectProperty("minValues"), column, value);
      return this;
    }

    Stats max(String column, Object value) {
      put(root.withObjectProperty("maxValues"), column, value);
      return this;
    }

    Stats nulls(String column, long count) {
      root.withObjectProperty("nullCount").put(column, count);
      return this;
    }

    Stats extra(String key, boolean value) {
      root.put(key, value);
      return this;
    }

    String json() {
      return root.toString();
    }

    private static void put(ObjectNode node, String key, Object value) {
      if (value instanceof Integer i) {
        node.put(key, i);
      } else if (value instanceof Long l) {
        node.put(key, l);
      } else if (value instanceof Double d) {
        node.put(key, d);
      } else if (value instanceof Float f) {
        node.put(key, f);
      } else if (value instanceof BigDecimal b) {
        node.put(key, b);
      } else if (value instanceof Boolean b) {
        node.put(key, b);
      } else if (value instanceof ObjectNode o) {
        node.set(key, o);
      } else {
        node.put(key, (String) value);
      }
    }
  }

  static ObjectNode object(String key, int value) {
    return MAPPER.createObjectNode().put(key, value);
  }
}
