package io.lakeshare.spark.pushdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.protocol.predicate.JsonPredicate;
import io.lakeshare.protocol.predicate.JsonPredicates;
import io.lakeshare.protocol.predicate.ValueType;
import io.lakeshare.spark.pushdown.FileSkipping.DataFile;
import io.lakeshare.spark.pushdown.FileSkipping.Truth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.LiteralValue;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * Random rows and random predicate trees: whenever a row of a file satisfies the Spark predicates,
 * the JSON hint must not let a strict CONFORMANCE server ({@link FileSkipping}) skip that file.
 */
class PushdownSoundnessTest {
  private static final long SEED = 20240611L;
  private static final int TRIALS = 6000;
  private static final long TS_BASE = 1_619_652_837_955_000L; // 2021-04-28T23:33:57.955Z

  /** Column name, Spark type, protocol type, and the values rows and literals are drawn from. */
  private record Col(String name, DataType type, ValueType valueType, Object[] domain) {}

  private static final List<Col> COLUMNS =
      List.of(
          new Col("i", DataTypes.IntegerType, ValueType.INT, new Object[] {-2, -1, 0, 1, 2, 3}),
          new Col(
              "s",
              DataTypes.StringType,
              ValueType.STRING,
              strings("", "a", "ab", "b", "\uFFFF", "\uD83D\uDE00", "\uE000")),
          new Col(
              "d", DataTypes.DateType, ValueType.DATE, new Object[] {18000, 18001, 18002, 18003}),
          new Col(
              "t",
              DataTypes.TimestampType,
              ValueType.TIMESTAMP,
              new Object[] {
                TS_BASE, TS_BASE + 400, TS_BASE + 999, TS_BASE + 1000, TS_BASE + 1500, TS_BASE - 1
              }),
          new Col(
              "db",
              DataTypes.DoubleType,
              ValueType.DOUBLE,
              new Object[] {Double.NaN, -0.0, 0.0, -1.5, 1.5, 2.5}),
          new Col(
              "p",
              DataTypes.StringType,
              ValueType.STRING,
              strings("a", "b", "\uE000", "\uD83D\uDE00")),
          new Col("q", DataTypes.IntegerType, ValueType.INT, new Object[] {1, 2, 3}));

  private static final List<String> PARTITIONS = List.of("p", "q");
  private static final String[] COMPARISONS = {"=", "<>", "<", "<=", ">", ">=", "<=>"};

  private final Random random = new Random(SEED);

  /** The columns predicates of the current trial draw from: few, so that rows often match. */
  private List<Col> focus = COLUMNS;

  @Test
  void hintsNeverSkipAFileWithMatchingRows() {
    StructType schema = new StructType();
    Map<String, ValueType> types = new HashMap<>();
    for (Col c : COLUMNS) {
      schema = schema.add(c.name(), c.type());
      types.put(c.name(), c.valueType());
    }
    PushdownConverter converter = new PushdownConverter(schema, PARTITIONS, true);
    int withHint = 0;
    int skipped = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      focus = random.nextBoolean() ? List.of(col(COLUMNS)) : List.of(col(COLUMNS), col(COLUMNS));
      Predicate[] predicates = new Predicate[1 + random.nextInt(2)];
      for (int k = 0; k < predicates.length; k++) {
        predicates[k] = predicate(3);
      }
      DataFile file = new DataFile(rows(), types, PARTITIONS);
      PushdownConverter.Hints hints = converter.convert(predicates);
      if (hints.json() == null) {
        continue;
      }
      withHint++;
      String json = hints.jsonString();
      assertThat(JsonPredicates.parseStrict(json)).isEqualTo(hints.json());
      Truth truth = FileSkipping.eval(hints.json(), file);
      if (truth == Truth.NO) {
        skipped++;
        for (Map<String, Object> row : file.rows()) {
          assertThat(matches(predicates, row))
              .as(
                  "trial %d: %s skips a file with row %s; hint %s",
                  trial, List.of(predicates), row, json)
              .isNotEqualTo(Boolean.TRUE);
        }
      }
    }
    // the test only means something if hints exist and do skip files
    assertThat(withHint).isGreaterThan(TRIALS / 2);
    assertThat(skipped).isGreaterThan(TRIALS / 10);
  }

  @Test
  void theEvaluatorCatchesAnUnroundedTimestampBound() {
    // t > 57.955123 on a file holding 57.955500: statistics say max = 57.955, which a naive
    // `greaterThan` hint would use to skip the file
    Map<String, Object> row = new HashMap<>();
    row.put("t", TS_BASE + 500);
    DataFile file = new DataFile(List.of(row), Map.of("t", ValueType.TIMESTAMP), List.of());
    JsonPredicate naive =
        JsonPredicates.greaterThan(
            JsonPredicates.column("t", ValueType.TIMESTAMP),
            JsonPredicates.literal("2021-04-28T23:33:57.955123Z", ValueType.TIMESTAMP));
    assertThat(FileSkipping.eval(naive, file)).isEqualTo(Truth.NO);
    Predicate spark = Preds.pred(">", Preds.col("t"), Preds.ts("2021-04-28T23:33:57.955123Z"));
    assertThat(SparkTruth.eval(spark, row)).isTrue();
    StructType schema = new StructType().add("t", DataTypes.TimestampType);
    JsonPredicate converted =
        new PushdownConverter(schema, List.of(), false).convert(new Predicate[] {spark}).json();
    assertThat(FileSkipping.eval(converted, file)).isEqualTo(Truth.MAYBE);
  }

  private static Boolean matches(Predicate[] predicates, Map<String, Object> row) {
    Boolean result = true;
    for (Predicate p : predicates) {
      result = SparkTruth.and(result, SparkTruth.eval(p, row));
    }
    return result;
  }

  private List<Map<String, Object>> rows() {
    int n = 1 + random.nextInt(5);
    Map<String, Object> partition = new HashMap<>();
    for (String p : PARTITIONS) {
      partition.put(p, value(column(p)));
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      Map<String, Object> row = new HashMap<>(partition);
      for (Col c : COLUMNS) {
        if (!PARTITIONS.contains(c.name())) {
          row.put(c.name(), value(c));
        }
      }
      rows.add(row);
    }
    return rows;
  }

  private Predicate predicate(int depth) {
    int kind = random.nextInt(depth > 0 ? 16 : 8);
    switch (kind) {
      case 0, 1, 2, 3:
        return comparison();
      case 4:
        return in();
      case 5:
        return Preds.pred(
            random.nextBoolean() ? "IS_NULL" : "IS_NOT_NULL", Preds.col(col().name()));
      case 6:
        return random.nextInt(3) == 0
            ? Preds.pred("STARTS_WITH", Preds.col("s"), literal(column("s"), false))
            : comparison();
      case 7:
        return random.nextInt(3) > 0
            ? comparison()
            : random.nextBoolean() ? Preds.alwaysTrue() : Preds.alwaysFalse();
      case 8, 9:
        return Preds.and(predicate(depth - 1), predicate(depth - 1));
      case 10, 11:
        return Preds.or(predicate(depth - 1), predicate(depth - 1));
      default:
        return Preds.not(predicate(depth - 1));
    }
  }

  private Predicate comparison() {
    Col c = col();
    String op = COMPARISONS[random.nextInt(COMPARISONS.length)];
    Expression lit = literal(c, random.nextInt(12) == 0);
    return random.nextBoolean()
        ? Preds.pred(op, Preds.col(c.name()), lit)
        : Preds.pred(op, lit, Preds.col(c.name()));
  }

  private Predicate in() {
    Col c = col();
    Expression[] children = new Expression[2 + random.nextInt(3)];
    children[0] = Preds.col(c.name());
    for (int k = 1; k < children.length; k++) {
      children[k] = literal(c, random.nextInt(10) == 0);
    }
    return Preds.pred("IN", children);
  }

  private LiteralValue<Object> literal(Col c, boolean isNull) {
    return new LiteralValue<>(
        isNull ? null : c.domain()[random.nextInt(c.domain().length)], c.type());
  }

  private Object value(Col c) {
    return random.nextInt(5) == 0 ? null : c.domain()[random.nextInt(c.domain().length)];
  }

  private Col col() {
    return col(focus);
  }

  private Col col(List<Col> from) {
    return from.get(random.nextInt(from.size()));
  }

  private static Col column(String name) {
    return COLUMNS.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private static Object[] strings(String... values) {
    Object[] out = new Object[values.length];
    for (int k = 0; k < values.length; k++) {
      out[k] = UTF8String.fromString(values[k]);
    }
    return out;
  }
}
