package io.lakeshare.server.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeshare.protocol.predicate.ComparisonOp;
import io.lakeshare.protocol.predicate.JsonPredicate;
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
 * One random trial of {@link FilterSoundnessTest}. The filter's one hard rule, tested on random
 * data: whenever some row of a file satisfies the predicate (evaluated row by row with Spark
 * semantics by {@link SparkOracle}), the file is kept. Files are made of random rows; their
 * partition values and statistics are derived from the rows the way various writers do it
 * (truncated strings, millisecond timestamps, NaN left out, offsets, missing and partial stats,
 * rows deleted after the stats were written).
 */
final class SoundnessRun {
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

  private static final List<String> STRINGS =
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
    16777217.0,
    3.4e38,
    0.30000000000000004
  };
  private static final String[] DECIMALS = {
    "-1.00", "0.00", "0.10", "1.50", "2.50", "999.99", "0.30", "1.01"
  };

  private final Random rnd;
  private final ZoneId session;

  SoundnessRun(Random rnd) {
    this.rnd = rnd;
    this.session = ZONES.get(rnd.nextInt(ZONES.size()));
  }

  /** Returns {files without a matching row, of which dropped}. */
  int[] checkJson(int seed) {
    JsonPredicate predicate = predicate(3);
    List<FilterSettings> switches =
        List.of(
            TestTable.ALL_ON,
            TestTable.ALL_ON,
            new FilterSettings(false, true, false),
            new FilterSettings(false, false, true));
    FileFilter filter =
        FileFilter.create(predicate, null, switches.get(rnd.nextInt(switches.size())), COLUMNS);
    int nonMatching = 0;
    int dropped = 0;
    for (int f = 0; f < 8; f++) {
      DataFile file = dataFile();
      boolean anyRowMatches = false;
      for (Map<String, Object> row : file.rows) {
        anyRowMatches |= (eval(predicate, row) & SparkOracle.T) != 0;
      }
      boolean kept = filter.mightMatch(file.partitionValues, file.stats);
      if (anyRowMatches) {
        assertThat(kept)
            .as(
                "seed %d session %s\npredicate %s\npartitions %s\nstats %s\nrows %s",
                seed, session, predicate, file.partitionValues, file.stats, file.rows)
            .isTrue();
      } else {
        nonMatching++;
        dropped += kept ? 0 : 1;
      }
    }
    return new int[] {nonMatching, dropped};
  }

  int[] checkSql(int seed) {
    List<String> entries = new ArrayList<>();
    List<Sql> trees = new ArrayList<>();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      if (rnd.nextInt(10) == 0) {
        entries.add(rnd.nextBoolean() ? "p_int === 1" : "d_int = 1 AND p_int = 2");
      } else {
        Sql tree = sqlPredicate(3);
        trees.add(tree);
        entries.add(tree.render());
      }
    }
    FileFilter filter = FileFilter.create(null, entries, TestTable.ALL_ON, COLUMNS);
    int nonMatching = 0;
    int dropped = 0;
    for (int f = 0; f < 8; f++) {
      DataFile file = dataFile();
      boolean anyRowMatches = false;
      for (Map<String, Object> row : file.rows) {
        int all = SparkOracle.T;
        for (Sql t : trees) {
          all = SparkOracle.and(all, t.eval(row, session));
        }
        anyRowMatches |= (all & SparkOracle.T) != 0;
      }
      boolean kept = filter.mightMatch(file.partitionValues, file.stats);
      if (anyRowMatches) {
        assertThat(kept)
            .as(
                "seed %d session %s\nentries %s\npartitions %s\nrows %s",
                seed, session, entries, file.partitionValues, file.rows)
            .isTrue();
      } else {
        nonMatching++;
        dropped += kept ? 0 : 1;
      }
    }
    return new int[] {nonMatching, dropped};
  }

  // ---------------------------------------------------------------- data files

  record DataFile(
      List<Map<String, Object>> rows, Map<String, String> partitionValues, String stats) {}

  private DataFile dataFile() {
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

  private Object value(Type type, boolean partition) {
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
    return s.substring(0, Math.min(s.length(), 1 + rnd.nextInt(33)));
  }

  /** Writers differ: exact, plain prefix, prefix plus U+FFFD, prefix plus U+10FFFF. */
  private String truncateMax(String s) {
    int k = Math.min(s.length(), 1 + rnd.nextInt(33));
    return switch (rnd.nextInt(4)) {
      case 0 -> s;
      case 1 -> s.substring(0, k);
      case 2 -> s.length() > k ? s.substring(0, k) + "\uFFFD" : s;
      default -> s.length() > k ? s.substring(0, k) + "\uDBFF\uDFFF" : s;
    };
  }

  // ---------------------------------------------------------------- JSON predicates

  private JsonPredicate predicate(int depth) {
    if (depth == 0 || rnd.nextInt(10) < 4) {
      return leaf();
    }
    return switch (rnd.nextInt(5)) {
      case 0 -> new JsonPredicate.Not(predicate(depth - 1));
      case 1, 2 -> new JsonPredicate.And(children(depth));
      default -> new JsonPredicate.Or(children(depth));
    };
  }

  private List<JsonPredicate> children(int depth) {
    List<JsonPredicate> out = new ArrayList<>();
    int n = 2 + rnd.nextInt(2);
    for (int i = 0; i < n; i++) {
      out.add(predicate(depth - 1));
    }
    return out;
  }

  private JsonPredicate leaf() {
    int r = rnd.nextInt(100);
    Col c = COLS.get(rnd.nextInt(COLS.size()));
    ValueType vt = c.readAs().get(rnd.nextInt(c.readAs().size()));
    JsonPredicate column = new JsonPredicate.Column(c.name(), vt);
    ComparisonOp op = ComparisonOp.values()[rnd.nextInt(ComparisonOp.values().length)];
    if (r < 55) {
      JsonPredicate literal = new JsonPredicate.Literal(literalText(c, vt), vt);
      return rnd.nextInt(10) < 7
          ? new JsonPredicate.Comparison(op, column, literal)
          : new JsonPredicate.Comparison(op, literal, column);
    }
    if (r < 63) {
      Col other = COLS.stream().filter(o -> o.readAs().contains(vt) && o != c).findAny().orElse(c);
      return new JsonPredicate.Comparison(op, column, new JsonPredicate.Column(other.name(), vt));
    }
    if (r < 67) {
      return new JsonPredicate.Comparison(
          op,
          new JsonPredicate.Literal(literalText(c, vt), vt),
          new JsonPredicate.Literal(literalText(c, vt), vt));
    }
    if (r < 80) {
      return new JsonPredicate.IsNull(column);
    }
    if (r < 86) {
      String b = rnd.nextBoolean() ? (rnd.nextBoolean() ? "p_bool" : "d_bool") : "";
      return b.isEmpty()
          ? new JsonPredicate.Literal(rnd.nextBoolean() ? "true" : "false", ValueType.BOOL)
          : new JsonPredicate.Column(b, ValueType.BOOL);
    }
    if (r < 91) {
      return new JsonPredicate.Unsupported("like", "unknown op");
    }
    if (r < 94) {
      ValueType otherType = ValueType.values()[rnd.nextInt(ValueType.values().length)];
      return new JsonPredicate.Comparison(
          op, column, new JsonPredicate.Literal(literalText(c, otherType), otherType));
    }
    if (r < 96) {
      return column; // non-boolean column as a predicate
    }
    return new JsonPredicate.Comparison(
        op, column, new JsonPredicate.Literal(literalText(c, vt), vt));
  }

  /** A literal of type vt: mostly a value the column could hold, sometimes odd text. */
  private String literalText(Col c, ValueType vt) {
    if (rnd.nextInt(10) < 6) {
      Object v = SparkOracle.cast(value(c.type(), c.partition()), c.type(), vt, session);
      if (v != null) {
        return render(v, vt);
      }
    }
    List<String> odd =
        switch (vt) {
          case BOOL -> List.of("true", "false", "TRUE", "maybe");
          case INT -> List.of("-3", "0", "2", "2147483647", "2147483648", "1.5", "abc", "01", " 7");
          case LONG -> List.of("-1", "3", "1099511627776", "9223372036854775807", "x");
          case STRING -> STRINGS;
          case DATE -> List.of("2021-04-27", "2021-4-28", "1969-12-31", "2020-07-01", "");
          case FLOAT -> List.of("NaN", "Infinity", "-0.0", "16777217", "0.1", "1.0E10", "q");
          case DOUBLE -> List.of("NaN", "-Infinity", "0.1", "1e300", "2.0000000000000004", "-");
          case TIMESTAMP ->
              List.of(
                  "2021-04-28T10:00:00Z",
                  "2021-04-28T10:00:00.000999+02:00",
                  "2021-04-28T10:00:00",
                  "2021-04-28 03:00:00.000001",
                  "2021-04-29T04:00:00Z",
                  "yesterday");
        };
    return odd.get(rnd.nextInt(odd.size()));
  }

  private String render(Object v, ValueType vt) {
    return switch (vt) {
      case FLOAT -> Float.toString((float) (double) (Double) v);
      case TIMESTAMP -> {
        Instant i = SparkOracle.instant((Long) v);
        yield rnd.nextBoolean()
            ? i.toString()
            : OffsetDateTime.ofInstant(i, ZoneOffset.ofHours(rnd.nextInt(25) - 12)).toString();
      }
      default -> v.toString();
    };
  }

  /** Row-level truth of a JSON predicate, with Unsupported as "anything". */
  private int eval(JsonPredicate p, Map<String, Object> row) {
    if (p instanceof JsonPredicate.And a) {
      int acc = SparkOracle.T;
      for (JsonPredicate c : a.children()) {
        acc = SparkOracle.and(acc, eval(c, row));
      }
      return acc;
    }
    if (p instanceof JsonPredicate.Or o) {
      int acc = SparkOracle.F;
      for (JsonPredicate c : o.children()) {
        acc = SparkOracle.or(acc, eval(c, row));
      }
      return acc;
    }
    if (p instanceof JsonPredicate.Not n) {
      return SparkOracle.not(eval(n.child(), row));
    }
    if (p instanceof JsonPredicate.IsNull n) {
      Object v = leafValue(n.child(), row);
      return v == SparkOracle.INVALID ? SparkOracle.ANY : v == null ? SparkOracle.T : SparkOracle.F;
    }
    if (p instanceof JsonPredicate.Comparison c) {
      if (leafType(c.left()) != leafType(c.right())) {
        return SparkOracle.ANY;
      }
      String op =
          switch (c.op()) {
            case EQUAL -> "=";
            case LESS_THAN -> "<";
            case LESS_THAN_OR_EQUAL -> "<=";
            case GREATER_THAN -> ">";
            case GREATER_THAN_OR_EQUAL -> ">=";
          };
      return SparkOracle.compare(op, leafValue(c.left(), row), leafValue(c.right(), row));
    }
    if ((p instanceof JsonPredicate.Column || p instanceof JsonPredicate.Literal)
        && leafType(p) == ValueType.BOOL) {
      Object v = leafValue(p, row);
      return v == SparkOracle.INVALID
          ? SparkOracle.ANY
          : v == null ? SparkOracle.N : (Boolean) v ? SparkOracle.T : SparkOracle.F;
    }
    return SparkOracle.ANY;
  }

  private static ValueType leafType(JsonPredicate leaf) {
    return leaf instanceof JsonPredicate.Column c
        ? c.valueType()
        : ((JsonPredicate.Literal) leaf).valueType();
  }

  private Object leafValue(JsonPredicate leaf, Map<String, Object> row) {
    if (leaf instanceof JsonPredicate.Literal l) {
      return SparkOracle.literal(l.value(), l.valueType(), session);
    }
    JsonPredicate.Column c = (JsonPredicate.Column) leaf;
    Col col = COLS.stream().filter(x -> x.name().equals(c.name())).findFirst().orElseThrow();
    return SparkOracle.cast(row.get(col.name()), col.type(), c.valueType(), session);
  }

  // ---------------------------------------------------------------- SQL predicates

  /** A generated SQL predicate over partition columns that knows its own row-level truth. */
  interface Sql {
    String render();

    int eval(Map<String, Object> row, ZoneId session);
  }

  private Sql sqlPredicate(int depth) {
    if (depth == 0 || rnd.nextInt(10) < 4) {
      return sqlLeaf();
    }
    Sql a = sqlPredicate(depth - 1);
    Sql b = sqlPredicate(depth - 1);
    return switch (rnd.nextInt(3)) {
      case 0 ->
          new Sql() {
            public String render() {
              return (rnd.nextBoolean() ? "NOT (" : "not(") + a.render() + ")";
            }

            public int eval(Map<String, Object> row, ZoneId z) {
              return SparkOracle.not(a.eval(row, z));
            }
          };
      case 1 ->
          new Sql() {
            public String render() {
              return "(" + a.render() + ") AND (" + b.render() + ")";
            }

            public int eval(Map<String, Object> row, ZoneId z) {
              return SparkOracle.and(a.eval(row, z), b.eval(row, z));
            }
          };
      default ->
          new Sql() {
            public String render() {
              return "(" + a.render() + ") or (" + b.render() + ")";
            }

            public int eval(Map<String, Object> row, ZoneId z) {
              return SparkOracle.or(a.eval(row, z), b.eval(row, z));
            }
          };
    };
  }

  private Sql sqlLeaf() {
    List<Col> parts = COLS.stream().filter(Col::partition).toList();
    Col c = parts.get(rnd.nextInt(parts.size()));
    String column = rnd.nextBoolean() ? c.name() : "`" + c.name() + "`";
    int r = rnd.nextInt(10);
    if (r == 0) {
      boolean negated = rnd.nextBoolean();
      String text = column + (negated ? " IS NOT NULL" : " IS NULL");
      return fixed(
          text, (row, z) -> (row.get(c.name()) == null) != negated ? SparkOracle.T : SparkOracle.F);
    }
    if (r == 1 && c.type() == Type.BOOLEAN) {
      return fixed(
          column,
          (row, z) -> {
            Object v = row.get(c.name());
            return v == null ? SparkOracle.N : (Boolean) v ? SparkOracle.T : SparkOracle.F;
          });
    }
    String op = List.of("=", "<", "<=", ">", ">=", "<>", "!=", "<=>").get(rnd.nextInt(8));
    boolean castToString =
        rnd.nextInt(6) == 0
            && c.type() != Type.TIMESTAMP
            && c.type() != Type.DOUBLE
            && c.type() != Type.DECIMAL;
    ValueType domain = castToString ? ValueType.STRING : natural(c.type());
    if (domain == null) {
      // decimal: only nullness makes sense without knowing Spark's decimal typing
      return fixed(
          column + " IS NULL",
          (row, z) -> row.get(c.name()) == null ? SparkOracle.T : SparkOracle.F);
    }
    Object literalValue =
        rnd.nextInt(12) == 0
            ? null
            : SparkOracle.cast(value(c.type(), true), c.type(), domain, session);
    String literal = literalValue == null ? "NULL" : sqlLiteral(literalValue, domain, c.type());
    String lhs = castToString ? "CAST(" + column + " AS STRING)" : column;
    boolean flip = rnd.nextInt(4) == 0;
    String text = flip ? literal + " " + mirror(op) + " " + lhs : lhs + " " + op + " " + literal;
    Object lit = literalValue;
    return fixed(
        text,
        (row, z) -> {
          Object v = SparkOracle.cast(row.get(c.name()), c.type(), domain, z);
          return switch (op) {
            case "<>", "!=" -> SparkOracle.not(SparkOracle.compare("=", v, lit));
            case "<=>" ->
                v == null || lit == null
                    ? (v == null && lit == null ? SparkOracle.T : SparkOracle.F)
                    : SparkOracle.compare("=", v, lit);
            default -> SparkOracle.compare(op, v, lit);
          };
        });
  }

  private static String mirror(String op) {
    return switch (op) {
      case "<" -> ">";
      case ">" -> "<";
      case "<=" -> ">=";
      case ">=" -> "<=";
      default -> op;
    };
  }

  private static ValueType natural(Type t) {
    return switch (t) {
      case STRING -> ValueType.STRING;
      case INT, LONG -> ValueType.LONG;
      case DOUBLE -> ValueType.DOUBLE;
      case FLOAT -> ValueType.FLOAT;
      case DATE -> ValueType.DATE;
      case TIMESTAMP -> ValueType.TIMESTAMP;
      case BOOLEAN -> ValueType.BOOL;
      case DECIMAL -> null;
    };
  }

  /** Renders a literal so that Spark would type it as the column's type. */
  private String sqlLiteral(Object v, ValueType domain, Type columnType) {
    return switch (domain) {
      case STRING -> quote((String) v);
      case LONG -> v.toString();
      case BOOL -> v.toString().toUpperCase(java.util.Locale.ROOT);
      case DATE ->
          switch (rnd.nextInt(3)) {
            case 0 -> "DATE '" + v + "'";
            case 1 -> "CAST('" + v + "' AS DATE)";
            default -> "'" + v + "'";
          };
      case TIMESTAMP -> {
        Instant i = SparkOracle.instant((Long) v);
        yield rnd.nextBoolean()
            ? "TIMESTAMP '" + i + "'"
            : "TIMESTAMP '"
                + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                    .format(LocalDateTime.ofInstant(i, session))
                + "'";
      }
      case DOUBLE -> {
        double d = (Double) v;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          yield "CAST('" + d + "' AS DOUBLE)";
        }
        String s = Double.toString(d);
        yield s.contains("E") ? s : s + "E0";
      }
      default -> throw new IllegalStateException(domain.toString());
    };
  }

  /** Backslash is an escape character in Spark strings either way; quotes double or escape. */
  private String quote(String s) {
    String escaped = s.replace("\\", "\\\\");
    return "'"
        + (rnd.nextBoolean() ? escaped.replace("'", "''") : escaped.replace("'", "\\'"))
        + "'";
  }

  private interface Truth2 {
    int eval(Map<String, Object> row, ZoneId z);
  }

  private static Sql fixed(String text, Truth2 truth) {
    return new Sql() {
      public String render() {
        return text;
      }

      public int eval(Map<String, Object> row, ZoneId z) {
        return truth.eval(row, z);
      }
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
