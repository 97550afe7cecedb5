package io.lakeshare.spark.pushdown;

import static io.lakeshare.spark.pushdown.Preds.and;
import static io.lakeshare.spark.pushdown.Preds.cmp;
import static io.lakeshare.spark.pushdown.Preds.col;
import static io.lakeshare.spark.pushdown.Preds.date;
import static io.lakeshare.spark.pushdown.Preds.eq;
import static io.lakeshare.spark.pushdown.Preds.isNullJson;
import static io.lakeshare.spark.pushdown.Preds.lit;
import static io.lakeshare.spark.pushdown.Preds.node;
import static io.lakeshare.spark.pushdown.Preds.not;
import static io.lakeshare.spark.pushdown.Preds.nullLit;
import static io.lakeshare.spark.pushdown.Preds.pred;
import static io.lakeshare.spark.pushdown.Preds.str;
import static io.lakeshare.spark.pushdown.Preds.ts;
import static io.lakeshare.spark.pushdown.Preds.typed;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.protocol.predicate.JsonPredicates;
import java.util.List;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PushdownConverterTest {
  static final StructType SCHEMA =
      new StructType()
          .add("i", DataTypes.IntegerType)
          .add("sh", DataTypes.ShortType)
          .add("l", DataTypes.LongType)
          .add("s", DataTypes.StringType)
          .add("d", DataTypes.DateType)
          .add("t", DataTypes.TimestampType)
          .add("f", DataTypes.FloatType)
          .add("db", DataTypes.DoubleType)
          .add("b", DataTypes.BooleanType)
          .add("p", DataTypes.StringType)
          .add("pt", DataTypes.TimestampType);

  private final PushdownConverter converter =
      new PushdownConverter(SCHEMA, List.of("p", "pt"), false);

  /** The JSON text for the given predicates, checked to be a valid, strict-parseable hint. */
  static String json(PushdownConverter c, Predicate... predicates) {
    PushdownConverter.Hints h = c.convert(predicates);
    String json = h.jsonString();
    if (json != null) {
      assertThat(JsonPredicates.problems(JsonPredicates.parseStrict(json))).isEmpty();
      assertThat(JsonPredicates.parseStrict(json)).isEqualTo(h.json());
      assertThat(json.length()).isLessThanOrEqualTo(JsonPredicates.MAX_LENGTH);
    } else {
      assertThat(h.converted()).isEmpty();
    }
    return json;
  }

  private String json(Predicate... predicates) {
    return json(converter, predicates);
  }

  @Test
  void equalityOnEveryValueType() {
    assertThat(json(eq(col("i"), lit(7))))
        .isEqualTo(
            "{\"op\":\"equal\",\"children\":[{\"op\":\"column\",\"name\":\"i\",\"valueType\":\"int\"},"
                + "{\"op\":\"literal\",\"value\":\"7\",\"valueType\":\"int\"}]}");
    assertThat(json(eq(col("sh"), typed((short) -3, DataTypes.ShortType))))
        .isEqualTo(cmp("equal", "sh", "int", "-3"));
    assertThat(json(eq(col("l"), lit(9_000_000_000L))))
        .isEqualTo(cmp("equal", "l", "long", "9000000000"));
    assertThat(json(eq(col("s"), str("héllo \"x\""))))
        .isEqualTo(cmp("equal", "s", "string", "héllo \\\"x\\\""));
    assertThat(json(eq(col("d"), date("2021-04-28"))))
        .isEqualTo(cmp("equal", "d", "date", "2021-04-28"));
    assertThat(json(eq(col("t"), ts("2021-04-28T23:33:57.955Z"))))
        .isEqualTo(cmp("equal", "t", "timestamp", "2021-04-28T23:33:57.955Z"));
    assertThat(json(eq(col("f"), typed(1.5f, DataTypes.FloatType))))
        .isEqualTo(cmp("equal", "f", "float", "1.5"));
    assertThat(json(eq(col("db"), typed(1e20, DataTypes.DoubleType))))
        .isEqualTo(cmp("equal", "db", "double", "100000000000000000000"));
    assertThat(json(eq(col("b"), typed(true, DataTypes.BooleanType))))
        .isEqualTo(cmp("equal", "b", "bool", "true"));
  }

  @Test
  void everyComparisonOperatorOnIntegers() {
    assertThat(json(pred("<", col("i"), lit(1)))).isEqualTo(cmp("lessThan", "i", "int", "1"));
    assertThat(json(pred("<=", col("i"), lit(1))))
        .isEqualTo(cmp("lessThanOrEqual", "i", "int", "1"));
    assertThat(json(pred(">", col("i"), lit(1)))).isEqualTo(cmp("greaterThan", "i", "int", "1"));
    assertThat(json(pred(">=", col("i"), lit(1))))
        .isEqualTo(cmp("greaterThanOrEqual", "i", "int", "1"));
    // a <> 1 is NOT(a = 1) in three-valued logic: NULL rows are dropped by both
    assertThat(json(pred("<>", col("i"), lit(1))))
        .isEqualTo(node("not", cmp("equal", "i", "int", "1")));
  }

  @Test
  void literalOnTheLeftIsFlipped() {
    assertThat(json(pred("<", lit(1), col("i")))).isEqualTo(cmp("greaterThan", "i", "int", "1"));
    assertThat(json(pred("<=", lit(1), col("i"))))
        .isEqualTo(cmp("greaterThanOrEqual", "i", "int", "1"));
    assertThat(json(pred(">", lit(1), col("i")))).isEqualTo(cmp("lessThan", "i", "int", "1"));
    assertThat(json(pred(">=", lit(1), col("i"))))
        .isEqualTo(cmp("lessThanOrEqual", "i", "int", "1"));
    assertThat(json(pred("=", str("x"), col("s")))).isEqualTo(cmp("equal", "s", "string", "x"));
  }

  @Test
  void nullChecks() {
    assertThat(json(pred("IS_NULL", col("d")))).isEqualTo(isNullJson("d", "date"));
    assertThat(json(pred("IS_NOT_NULL", col("f"))))
        .isEqualTo(node("not", isNullJson("f", "float")));
    // timestamp partition values cannot be compared reliably, but nullness can
    assertThat(json(pred("IS_NULL", col("pt")))).isEqualTo(isNullJson("pt", "timestamp"));
  }

  @Test
  void inBecomesOrOfEqualsWithoutDuplicates() {
    assertThat(json(pred("IN", col("i"), lit(1), lit(2), lit(1))))
        .isEqualTo(node("or", cmp("equal", "i", "int", "1"), cmp("equal", "i", "int", "2")));
    assertThat(json(pred("IN", col("s"), str("a")))).isEqualTo(cmp("equal", "s", "string", "a"));
  }

  @Test
  void inWithNullHugeListOrNonColumnIsDropped() {
    assertThat(json(pred("IN", col("i"), lit(1), nullLit(DataTypes.IntegerType)))).isNull();
    Expression[] huge = new Expression[PredicateTranslator.MAX_IN_VALUES + 2];
    huge[0] = col("i");
    for (int k = 1; k < huge.length; k++) {
      huge[k] = lit(k);
    }
    assertThat(json(pred("IN", huge))).isNull();
    Expression[] largest = java.util.Arrays.copyOf(huge, huge.length - 1);
    assertThat(json(pred("IN", largest))).startsWith("{\"op\":\"or\"");
    assertThat(json(pred("IN", lit(1), col("i")))).isNull();
    assertThat(json(pred("IN", col("i")))).isNull();
  }

  @Test
  void nullSafeEqualIsEqualAndNotNull() {
    // NOT(a <=> 1) is TRUE for NULL rows; a bare `equal` would be NULL there and, negated, skip
    // them
    String expected =
        node("and", cmp("equal", "i", "int", "1"), node("not", isNullJson("i", "int")));
    assertThat(json(pred("<=>", col("i"), lit(1)))).isEqualTo(expected);
    assertThat(json(pred("<=>", lit(1), col("i")))).isEqualTo(expected);
    assertThat(json(not(pred("<=>", col("i"), lit(1))))).isEqualTo(node("not", expected));
    assertThat(json(pred("<=>", col("i"), nullLit(DataTypes.IntegerType))))
        .isEqualTo(isNullJson("i", "int"));
  }

  @Test
  void comparisonWithNullLiteralIsDropped() {
    assertThat(json(eq(col("i"), nullLit(DataTypes.IntegerType)))).isNull();
    assertThat(json(pred("<>", col("i"), nullLit(DataTypes.IntegerType)))).isNull();
    assertThat(json(pred("<", nullLit(DataTypes.IntegerType), col("i")))).isNull();
  }

  @Test
  void columnsResolveCaseInsensitivelyUnlessCaseSensitive() {
    assertThat(json(eq(col("I"), lit(1)))).isEqualTo(cmp("equal", "i", "int", "1"));
    PushdownConverter sensitive = new PushdownConverter(SCHEMA, List.of("p"), true);
    assertThat(json(sensitive, eq(col("I"), lit(1)))).isNull();
    assertThat(json(sensitive, eq(col("i"), lit(1)))).isEqualTo(cmp("equal", "i", "int", "1"));
    // the name sent is the schema's, whatever case Spark used
    StructType mixed = new StructType().add("Year", DataTypes.IntegerType);
    PushdownConverter c = new PushdownConverter(mixed, List.of("year"), false);
    PushdownConverter.Hints h = c.convert(new Predicate[] {eq(col("YEAR"), lit(2020))});
    assertThat(h.jsonString()).isEqualTo(cmp("equal", "Year", "int", "2020"));
    assertThat(h.sql()).containsExactly("Year = 2020");
  }

  @Test
  void ambiguousCaseInsensitiveNameIsDropped() {
    StructType twins =
        new StructType().add("a", DataTypes.IntegerType).add("A", DataTypes.IntegerType);
    assertThat(json(new PushdownConverter(twins, List.of(), false), eq(col("a"), lit(1)))).isNull();
    assertThat(json(new PushdownConverter(twins, List.of(), true), eq(col("A"), lit(1))))
        .isEqualTo(cmp("equal", "A", "int", "1"));
  }

  @Test
  void nestedAndUnknownColumnsAreDropped() {
    StructType nested =
        new StructType().add("st", new StructType().add("x", DataTypes.IntegerType));
    PushdownConverter c = new PushdownConverter(nested, List.of(), false);
    Expression stx = new Preds.Ref(new String[] {"st", "x"});
    assertThat(json(c, eq(stx, lit(1)))).isNull();
    assertThat(json(c, pred("IS_NULL", stx))).isNull();
    assertThat(json(c, pred("IS_NULL", col("st")))).isNull();
    assertThat(json(eq(col("nope"), lit(1)))).isNull();
    assertThat(json(c, eq(Preds.path("st.x"), lit(1)))).isNull();
    // a top-level column whose name contains a dot is not nested
    StructType dotted = new StructType().add("a.b", DataTypes.IntegerType);
    assertThat(json(new PushdownConverter(dotted, List.of(), false), eq(col("a.b"), lit(1))))
        .isEqualTo(cmp("equal", "a.b", "int", "1"));
  }

  @Test
  void unsupportedExpressionsAreDroppedWithoutThrowing() {
    Expression plus =
        new org.apache.spark.sql.connector.expressions.GeneralScalarExpression(
            "+", new Expression[] {col("i"), lit(1)});
    Expression udf =
        new org.apache.spark.sql.connector.expressions.UserDefinedScalarFunc(
            "f", "my.f", new Expression[] {col("i")});
    Predicate[] weird = {
      pred("STARTS_WITH", col("s"), str("a")),
      pred("ENDS_WITH", col("s"), str("a")),
      pred("CONTAINS", col("s"), str("a")),
      eq(plus, lit(2)),
      pred("<", udf, lit(2)),
      eq(col("i"), col("l")),
      eq(lit(1), lit(1)),
      pred("=", col("i")),
      pred("=", col("i"), lit(1), lit(2)),
      pred("NOT", eq(col("i"), lit(1)), eq(col("i"), lit(2))),
      pred("IS_NULL", plus),
      pred("IN", plus, lit(1)),
      pred("IN", col("i"), plus),
      pred("my_udf_predicate", col("i")),
      pred("=", col("i"), null),
      pred("AND", eq(col("i"), lit(1)), null),
      null,
    };
    PushdownConverter.Hints h = converter.convert(weird);
    // only the AND keeps its one convertible child
    assertThat(h.jsonString()).isEqualTo(cmp("equal", "i", "int", "1"));
    assertThat(h.converted()).containsExactly(weird[15]);
    assertThat(converter.convert(null).json()).isNull();
    assertThat(converter.convert(new Predicate[0]).sql()).isEmpty();
  }

  @Test
  void unsupportedColumnTypesAreDropped() {
    StructType schema =
        new StructType()
            .add("dec", DataTypes.createDecimalType(10, 2))
            .add("bin", DataTypes.BinaryType)
            .add("ntz", DataTypes.TimestampNTZType)
            .add("arr", DataTypes.createArrayType(DataTypes.IntegerType));
    if (LineTypes.lowerCaseCollatedString() != null) {
      schema = schema.add("lcase", LineTypes.lowerCaseCollatedString());
    }
    schema =
        schema.add(
            "ch",
            DataTypes.StringType,
            true,
            Metadata.fromJson("{\"__CHAR_VARCHAR_TYPE_STRING\":\"char(5)\"}"));
    PushdownConverter c = new PushdownConverter(schema, List.of(), false);
    assertThat(
            json(
                c,
                eq(col("dec"), typed(Decimal.apply("1.50"), DataTypes.createDecimalType(10, 2))),
                pred("IS_NULL", col("dec")),
                eq(col("bin"), typed(new byte[] {1}, DataTypes.BinaryType)),
                eq(col("ntz"), typed(0L, DataTypes.TimestampNTZType)),
                pred("IS_NOT_NULL", col("arr")),
                eq(col("lcase"), str("a")),
                eq(col("ch"), str("a    "))))
        .isNull();
  }

  @Test
  void literalsAreConvertedToTheColumnTypeOnlyWhenExact() {
    assertThat(json(eq(col("l"), lit(5)))).isEqualTo(cmp("equal", "l", "long", "5"));
    assertThat(json(eq(col("i"), lit(5L)))).isEqualTo(cmp("equal", "i", "int", "5"));
    assertThat(json(eq(col("i"), lit(1L << 40)))).isNull();
    assertThat(json(eq(col("i"), typed(Decimal.apply("5.00"), DataTypes.createDecimalType(3, 2)))))
        .isEqualTo(cmp("equal", "i", "int", "5"));
    assertThat(json(eq(col("i"), typed(Decimal.apply("5.5"), DataTypes.createDecimalType(2, 1)))))
        .isNull();
    assertThat(json(eq(col("f"), typed(0.5, DataTypes.DoubleType))))
        .isEqualTo(cmp("equal", "f", "float", "0.5"));
    assertThat(json(eq(col("f"), typed(0.1, DataTypes.DoubleType)))).isNull();
    assertThat(json(eq(col("db"), typed(0.1f, DataTypes.FloatType))))
        .isEqualTo(cmp("equal", "db", "double", "0.10000000149011612"));
    assertThat(json(eq(col("db"), lit(3)))).isEqualTo(cmp("equal", "db", "double", "3.0"));
    // a value of the wrong kind is never coerced
    assertThat(json(eq(col("d"), lit(18000)))).isNull();
    assertThat(json(eq(col("i"), date("2021-01-01")))).isNull();
    assertThat(json(eq(col("s"), lit(1)))).isNull();
    assertThat(json(eq(col("t"), lit(0L)))).isNull();
    assertThat(json(eq(col("b"), lit(1)))).isNull();
    assertThat(json(eq(col("i"), typed("1", DataTypes.IntegerType)))).isNull();
  }

  @Test
  void floatingPointKeepsOnlyComparisonsThatAreFalseForNaN() {
    LiteralValueHolder x = new LiteralValueHolder();
    assertThat(json(pred("<", col("db"), x.d))).isEqualTo(cmp("lessThan", "db", "double", "2.5"));
    assertThat(json(pred("<=", col("db"), x.d)))
        .isEqualTo(cmp("lessThanOrEqual", "db", "double", "2.5"));
    assertThat(json(pred(">", x.d, col("db")))).isEqualTo(cmp("lessThan", "db", "double", "2.5"));
    // Spark: NaN > 2.5 and NaN <> 2.5 are TRUE, and statistics may not account for NaN
    assertThat(json(pred(">", col("db"), x.d))).isNull();
    assertThat(json(pred(">=", col("db"), x.d))).isNull();
    assertThat(json(pred("<>", col("db"), x.d))).isNull();
    assertThat(json(not(pred("<", col("db"), x.d)))).isNull();
    assertThat(json(not(pred("IN", col("f"), typed(1f, DataTypes.FloatType))))).isNull();
    // zero (-0.0 = 0.0 in Spark, not in every server), NaN and infinity have no safe literal
    assertThat(json(eq(col("db"), typed(0.0, DataTypes.DoubleType)))).isNull();
    assertThat(json(eq(col("db"), typed(-0.0, DataTypes.DoubleType)))).isNull();
    assertThat(json(eq(col("db"), typed(Double.NaN, DataTypes.DoubleType)))).isNull();
    assertThat(json(pred("<", col("f"), typed(Float.POSITIVE_INFINITY, DataTypes.FloatType))))
        .isNull();
    // null checks on floating columns are exact
    assertThat(json(not(pred("IS_NULL", col("db")))))
        .isEqualTo(node("not", isNullJson("db", "double")));
  }

  private static final class LiteralValueHolder {
    final Expression d = typed(2.5, DataTypes.DoubleType);
  }

  @Test
  void stringsOutsideTheSafeOrderKeepOnlyPartitionEquality() {
    String supplementary = "a\uD83D\uDE00"; // UTF-16 and UTF-8 orders disagree on it
    String privateUse = "\uE000";
    // a data column is tested against min/max picked in Spark's order: even equality is unsafe
    assertThat(json(eq(col("s"), str(supplementary)))).isNull();
    assertThat(json(pred("<", col("s"), str(supplementary)))).isNull();
    assertThat(json(pred(">=", col("s"), str(privateUse)))).isNull();
    assertThat(json(pred("<>", col("s"), str(privateUse)))).isNull();
    // a partition column has one value per file: equality does not depend on the order
    assertThat(json(eq(col("p"), str(supplementary))))
        .isEqualTo(cmp("equal", "p", "string", supplementary));
    assertThat(json(pred("<>", col("p"), str(privateUse))))
        .isEqualTo(node("not", cmp("equal", "p", "string", privateUse)));
    assertThat(json(pred("<", col("p"), str(privateUse)))).isNull();
    assertThat(json(pred("<", col("s"), str("zé"))))
        .isEqualTo(cmp("lessThan", "s", "string", "zé"));
    assertThat(json(pred("<>", col("s"), str("zé"))))
        .isEqualTo(node("not", cmp("equal", "s", "string", "zé")));
  }

  @Test
  void timestampLowerBoundsAreRoundedDownToMilliseconds() {
    LiteralValueHolderTs x = new LiteralValueHolderTs();
    assertThat(json(pred("<", col("t"), x.micro)))
        .isEqualTo(cmp("lessThan", "t", "timestamp", "2021-04-28T23:33:57.955123Z"));
    assertThat(json(pred("<=", col("t"), x.micro)))
        .isEqualTo(cmp("lessThanOrEqual", "t", "timestamp", "2021-04-28T23:33:57.955123Z"));
    // statistics truncate the max to milliseconds: 57.955999 is stored as 57.955
    assertThat(json(pred(">", col("t"), x.micro)))
        .isEqualTo(cmp("greaterThanOrEqual", "t", "timestamp", "2021-04-28T23:33:57.955Z"));
    assertThat(json(pred(">", col("t"), x.milli)))
        .isEqualTo(cmp("greaterThanOrEqual", "t", "timestamp", "2021-04-28T23:33:57.955Z"));
    assertThat(json(pred(">=", col("t"), x.micro)))
        .isEqualTo(cmp("greaterThanOrEqual", "t", "timestamp", "2021-04-28T23:33:57.955Z"));
    assertThat(json(eq(col("t"), x.micro)))
        .isEqualTo(
            node(
                "and",
                cmp("greaterThanOrEqual", "t", "timestamp", "2021-04-28T23:33:57.955Z"),
                cmp("lessThanOrEqual", "t", "timestamp", "2021-04-28T23:33:57.955123Z")));
    assertThat(json(eq(col("t"), ts("1969-12-31T23:59:59.999999Z"))))
        .isEqualTo(
            node(
                "and",
                cmp("greaterThanOrEqual", "t", "timestamp", "1969-12-31T23:59:59.999Z"),
                cmp("lessThanOrEqual", "t", "timestamp", "1969-12-31T23:59:59.999999Z")));
    assertThat(json(eq(col("t"), ts("2021-01-01T00:00:00Z"))))
        .isEqualTo(cmp("equal", "t", "timestamp", "2021-01-01T00:00:00Z"));
    // negated, an upper bound becomes a lower one: never exact
    assertThat(json(not(pred("<", col("t"), x.milli)))).isNull();
    assertThat(json(pred("<>", col("t"), x.milli))).isNull();
    // partition timestamps carry no reliable zone
    assertThat(json(eq(col("pt"), x.milli))).isNull();
  }

  private static final class LiteralValueHolderTs {
    final Expression micro = ts("2021-04-28T23:33:57.955123Z");
    final Expression milli = ts("2021-04-28T23:33:57.955Z");
  }

  @Test
  void datesAndTimestampsOutsideYearsOneTo9999AreDropped() {
    assertThat(json(eq(col("d"), date("+10000-01-01")))).isNull();
    assertThat(json(eq(col("d"), date("0000-12-31")))).isNull();
    assertThat(json(eq(col("d"), date("0001-01-01"))))
        .isEqualTo(cmp("equal", "d", "date", "0001-01-01"));
    assertThat(json(pred("<", col("t"), ts("+10000-01-01T00:00:00Z")))).isNull();
  }

  @Test
  void booleansSupportEqualityOnly() {
    Expression t = typed(true, DataTypes.BooleanType);
    assertThat(json(pred("<>", col("b"), t)))
        .isEqualTo(node("not", cmp("equal", "b", "bool", "true")));
    assertThat(json(pred("<", col("b"), t))).isNull();
    // a bare boolean column or literal in predicate position
    assertThat(json(and(eq(col("i"), lit(1)), pred("NOT", col("b")))))
        .isEqualTo(
            node(
                "and",
                cmp("equal", "i", "int", "1"),
                node("not", cmp("equal", "b", "bool", "true"))));
    assertThat(json(pred("OR", eq(col("i"), lit(1)), typed(false, DataTypes.BooleanType))))
        .isEqualTo(cmp("equal", "i", "int", "1"));
  }
}
