package io.lakeshare.server.filter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeshare.protocol.predicate.ValueType;
import io.lakeshare.server.filter.SparkOracle.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random table for the soundness tests: sixteen columns (partition and data, every filterable
 * type), random rows, and files whose partition values and statistics are derived from the rows the
 * way various writers do it (truncated strings, millisecond timestamps, NaN left out, offsets,
 * missing and partial stats, rows deleted after the stats were written).
 */
final class RandomTable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long BASE_MICROS = SparkOracle.micros(Instant.parse("2021-04-28T10:00:00Z"));
  private static final long HOUR = 3_600_000_000L;
  private static final List<ZoneId> ZONES =
      List.of(
          ZoneOffset.UTC,
          ZoneOffset.ofHours(-8),
          ZoneOffset.ofHoursMinutes(5, 30),
          ZoneOffset.ofHours(14),
          ZoneOffset.ofHours(-12),
          ZoneId.of("America/Los_Angeles"));

  record Col(String name, Type type, boolean partition, List<ValueType> readAs) {}

  static final List<Col> COLS =
      List.of(
          new Col("p_str", Type.STRING, true, vt("STRING INT DATE BOOL LONG DOUBLE TIMESTAMP")),
          new Col("p_int", Type.INT, true, vt("INT LONG DOUBLE FLOAT STRING")),
          new Col("p_date", Type.DATE, true, vt("DATE STRING TIMESTAMP")),
          new Col("p_ts", Type.TIMESTAMP, true, vt("TIMESTAMP DATE STRING")),
          new Col("p_dbl", Type.DOUBLE, true, vt("DOUBLE FLOAT INT")),
          new Col("p_bool", Type.BOOLEAN, true, vt("BOOL STRING")),
          new Col("p_dec", Type.DECIMAL, true, vt("DOUBLE FLOAT INT LONG")),
          new Col("d_int", Type.INT, false, vt("INT LONG DOUBLE FLOAT STRING")),
          new Col("d_long", Type.LONG, false, vt("LONG INT DOUBLE")),
          new Col("d_dbl", Type.DOUBLE, false, vt("DOUBLE FLOAT INT")),
          new Col("d_flt", Type.FLOAT, false, vt("FLOAT DOUBLE")),
          new Col("d_str", Type.STRING, false, vt("STRING INT")),
          new Col("d_date", Type.DATE, false, vt("DATE STRING")),
          new Col("d_ts", Type.TIMESTAMP, false, vt("TIMESTAMP DATE")),
          new Col("d_bool", Type.BOOLEAN, false, vt("BOOL")),
          new Col("d_dec", Type.DECIMAL, false, vt("DOUBLE LONG INT FLOAT")));

  static final TableColumns COLUMNS = TableColumns.fromSchemaString(schema(), partitionNames());

  static final List<String> STRINGS =
      List.of(
          "a",
          "ab",
          "abc",
          "b",
          "ba",
          "z",
          "1",
          "01",
          "10",
          "-3",
          " 2",
          "1.5",
          "2021-04-28",
          "2021-04-28 10:00:00",
          "true",
          "FALSE",
          "\uFFFD",
          "\uE000x",
          "\uD83D\uDE00",
          "a\uD83D\uDE00",
          "x".repeat(31) + "a",
          "x".repeat(32),
          "x".repeat(32) + "a",
          "x".repeat(32) + "\uD83D\uDE00",
          "x".repeat(32) + "\uFFFF",
          "x".repeat(40),
          "O'B\\r");
  private static final long[] LONGS = {
    -3,
    -2,
    -1,
    0,
    1,
    2,
    3,
    100,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    1L << 40,
    Integer.MAX_VALUE + 1L,
    Long.MAX_VALUE,
    Long.MIN_VALUE
  };
  private static final double[] DOUBLES = {
    -1.5,
    -0.0,
    0.0,
    0.1,
    1.0,
    2.0,
    1e300,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.NaN,
    Double.NaN,
    16777217.0,
    3.4e38,
    0.30000000000000004
  };
  private static final String[] DECIMALS = {
    "-1.00", "0.00", "0.10", "1.50", "2.50", "999.99", "0.30", "1.01"
  };

  final Random rnd;
  final ZoneId session;

  RandomTable(Random rnd) {
    this.rnd = rnd;
    this.session = ZONES.get(rnd.nextInt(ZONES.size()));
  }

  /** Returns {files without a matching row, of which dropped}. */
  // ---------------------------------------------------------------- data files

  record DataFile(
      List<Map<String, Object>> rows, Map<String, String> partitionValues, String stats) {}

  DataFile dataFile() {
    Map<String, Object> partitionRow = new HashMap<>();
    Map<String, String> partitionValues = new HashMap<>();
    for (Col c : COLS) {
      if (c.partition()) {
        Object v = rnd.nextInt(6) == 0 ? null : value(c.type(), true);
        partitionRow.put(c.name(), v);
        if (rnd.nextInt(30) != 0) { // else the key is missing altogether
          partitionValues.put(
              c.name(),
              v == null ? (rnd.nextBoolean() ? "" : null) : serializePartition(c.type(), v));
        }
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    int count = 1 + rnd.nextInt(5);
    for (int i = 0; i < count; i++) {
      Map<String, Object> row = new HashMap<>(partitionRow);
      for (Col c : COLS) {
        if (!c.partition()) {
          row.put(c.name(), rnd.nextInt(5) == 0 ? null : value(c.type(), false));
        }
      }
      rows.add(row);
    }
    String stats = stats(rows);
    if (rnd.nextInt(5) == 0) { // deletion vectors: rows go away, stats stay
      rows.removeIf(r -> rnd.nextBoolean());
    }
    return new DataFile(rows, partitionValues, stats);
  }

  Object value(Type type, boolean partition) {
    return switch (type) {
      case STRING -> STRINGS.get(rnd.nextInt(STRINGS.size()));
      case INT -> (long) (int) LONGS[rnd.nextInt(10)];
      case LONG -> LONGS[rnd.nextInt(LONGS.length)];
      case DOUBLE -> DOUBLES[rnd.nextInt(DOUBLES.length)]; // -0.0 and NaN stay as they are
      case FLOAT -> (double) (float) DOUBLES[rnd.nextInt(DOUBLES.length)];
      case DATE ->
          LocalDate.of(2021, 4, 26).plusDays(rnd.nextInt(5) - (rnd.nextInt(9) == 0 ? 300 : 0));
      case TIMESTAMP -> BASE_MICROS + timestampOffset();
      case BOOLEAN -> rnd.nextBoolean();
      case DECIMAL -> new BigDecimal(DECIMALS[rnd.nextInt(DECIMALS.length)]);
    };
  }

  private long timestampOffset() {
    long[] offsets = {
      0,
      1,
      999,
      1000,
      1001,
      500_000,
      -1,
      HOUR,
      18 * HOUR,
      18 * HOUR + 1,
      -18 * HOUR - 1,
      48 * HOUR,
      -48 * HOUR
    };
    return offsets[rnd.nextInt(offsets.length)];
  }

  private String serializePartition(Type type, Object v) {
    return switch (type) {
      case TIMESTAMP -> {
        Instant i = SparkOracle.instant((Long) v);
        if (rnd.nextInt(3) == 0) {
          yield i.toString();
        }
        ZoneId writer = ZONES.get(rnd.nextInt(ZONES.size()));
        yield DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .format(LocalDateTime.ofInstant(i, writer));
      }
      case DECIMAL -> ((BigDecimal) v).toPlainString();
      default -> v.toString();
    };
  }

  private String stats(List<Map<String, Object>> rows) {
    switch (rnd.nextInt(20)) {
      case 0:
        return null;
      case 1:
        return "{\"numRecords\":";
      default:
        break;
    }
    ObjectNode root = MAPPER.createObjectNode();
    if (rnd.nextInt(10) != 0) {
      root.put("numRecords", rows.size());
    }
    ObjectNode min = root.putObject("minValues");
    ObjectNode max = root.putObject("maxValues");
    ObjectNode nulls = root.putObject("nullCount");
    boolean utf16Writer = rnd.nextInt(5) == 0;
    for (Col c : COLS) {
      if (c.partition()) {
        continue;
      }
      List<Object> values = new ArrayList<>();
      long nullCount = 0;
      for (Map<String, Object> r : rows) {
        Object v = r.get(c.name());
        if (v == null) {
          nullCount++;
        } else if (!(v instanceof Double d && d.isNaN())) {
          values.add(v); // writers leave NaN out of min/max
        }
      }
      if (rnd.nextInt(5) != 0) {
        nulls.put(c.name(), nullCount);
      }
      if (values.isEmpty()) {
        continue;
      }
      Comparator<Object> order =
          c.type() == Type.STRING && utf16Writer
              ? Comparator.comparing(o -> (String) o)
              : SparkOracle::compare;
      Object lo = values.stream().min(order).orElseThrow();
      Object hi = values.stream().max(order).orElseThrow();
      if (rnd.nextInt(5) != 0) {
        putStat(min, c, lo, false);
      }
      if (rnd.nextInt(5) != 0) {
        putStat(max, c, hi, true);
      }
    }
    return root.toString();
  }

  private void putStat(ObjectNode node, Col c, Object v, boolean isMax) {
    String name = c.name();
    switch (c.type()) {
      case INT, LONG -> node.put(name, (Long) v);
      case DOUBLE -> node.put(name, (Double) v);
      case FLOAT -> node.put(name, (float) (double) (Double) v);
      case DECIMAL -> node.put(name, (BigDecimal) v);
      case BOOLEAN -> node.put(name, (Boolean) v);
      case DATE -> node.put(name, v.toString());
      case TIMESTAMP -> {
        long micros = (Long) v;
        long millis = Math.floorDiv(micros, 1000L);
        ZoneOffset offset =
            List.of(ZoneOffset.UTC, ZoneOffset.ofHours(-7), ZoneOffset.ofHoursMinutes(5, 30))
                .get(rnd.nextInt(3));
        node.put(
            name,
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
                .format(OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), offset)));
      }
      case STRING -> node.put(name, isMax ? truncateMax((String) v) : truncateMin((String) v));
    }
  }

  private String truncateMin(String s) {
    if (rnd.nextBoolean() || s.isEmpty()) {
      return s;
    }
    return s.substring(0, 1 + rnd.nextInt(s.length()));
  }

  /** Writers differ: exact, plain prefix, prefix plus U+FFFD, prefix plus U+10FFFF. */
  private String truncateMax(String s) {
    if (s.isEmpty()) {
      return s;
    }
    int k = 1 + rnd.nextInt(s.length());
    return switch (rnd.nextInt(4)) {
      case 0 -> s;
      case 1 -> s.substring(0, k);
      case 2 -> s.length() > k ? s.substring(0, k) + "\uFFFD" : s;
      default -> s.length() > k ? s.substring(0, k) + "\uDBFF\uDFFF" : s;
    };
  }

  // ---------------------------------------------------------------- table

  private static List<ValueType> vt(String names) {
    List<ValueType> out = new ArrayList<>();
    for (String n : names.split(" ")) {
      out.add(ValueType.valueOf(n));
    }
    return out;
  }

  private static List<String> partitionNames() {
    return COLS.stream().filter(Col::partition).map(Col::name).toList();
  }

  private static String schema() {
    SchemaJson s = new SchemaJson();
    for (Col c : COLS) {
      s.field(
          c.name(),
          switch (c.type()) {
            case STRING -> "string";
            case INT -> "integer";
            case LONG -> "long";
            case DOUBLE -> "double";
            case FLOAT -> "float";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case BOOLEAN -> "boolean";
            case DECIMAL -> c.partition() ? "decimal(5,2)" : "decimal(10,2)";
          });
    }
    return s.toString();
  }
}
