package io.lakeshare.spark.pushdown;

import static io.lakeshare.spark.pushdown.Preds.and;
import static io.lakeshare.spark.pushdown.Preds.col;
import static io.lakeshare.spark.pushdown.Preds.date;
import static io.lakeshare.spark.pushdown.Preds.eq;
import static io.lakeshare.spark.pushdown.Preds.lit;
import static io.lakeshare.spark.pushdown.Preds.not;
import static io.lakeshare.spark.pushdown.Preds.nullLit;
import static io.lakeshare.spark.pushdown.Preds.or;
import static io.lakeshare.spark.pushdown.Preds.pred;
import static io.lakeshare.spark.pushdown.Preds.str;
import static io.lakeshare.spark.pushdown.Preds.ts;
import static io.lakeshare.spark.pushdown.Preds.typed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SqlHintsTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.IntegerType)
          .add("p", DataTypes.StringType)
          .add("year", DataTypes.IntegerType)
          .add("big", DataTypes.LongType)
          .add("day", DataTypes.DateType)
          .add("flag", DataTypes.BooleanType)
          .add("ratio", DataTypes.DoubleType)
          .add("at", DataTypes.TimestampType)
          .add("my col", DataTypes.StringType)
          .add("date", DataTypes.StringType);

  private final PushdownConverter converter =
      new PushdownConverter(
          SCHEMA,
          List.of("p", "year", "big", "day", "flag", "ratio", "at", "my col", "date"),
          false);

  private List<String> sql(Predicate... predicates) {
    return converter.convert(predicates).sql();
  }

  @Test
  void comparisonsOnPartitionColumns() {
    assertThat(
            sql(
                eq(col("p"), str("a")),
                pred(">=", col("year"), lit(2020)),
                pred("<>", col("big"), lit(-5L)),
                pred("<", col("day"), date("2021-04-28")),
                eq(col("flag"), typed(false, DataTypes.BooleanType))))
        .containsExactly(
            "p = 'a'", "year >= 2020", "big <> -5", "day < DATE '2021-04-28'", "flag = false");
  }

  @Test
  void nullChecksAndNullSafeEqual() {
    assertThat(
            sql(
                pred("IS_NULL", col("p")),
                pred("IS_NOT_NULL", col("year")),
                pred("<=>", col("p"), str("x")),
                pred("<=>", nullLit(DataTypes.StringType), col("p"))))
        .containsExactly("p is null", "year is not null", "p = 'x'", "p is null");
  }

  @Test
  void literalOnTheLeftIsFlipped() {
    assertThat(sql(pred("<", lit(2020), col("year")), pred(">=", str("m"), col("p"))))
        .containsExactly("year > 2020", "p <= 'm'");
  }

  @Test
  void dataColumnsAndMixedPredicatesAreOmitted() {
    assertThat(
            sql(
                eq(col("id"), lit(1)),
                or(eq(col("p"), str("a")), eq(col("year"), lit(1))),
                not(eq(col("p"), str("a"))),
                pred("IN", col("p"), str("a"), str("b")),
                pred("STARTS_WITH", col("p"), str("a")),
                eq(col("p"), col("date")),
                eq(col("p"), nullLit(DataTypes.StringType))))
        .isEmpty();
  }

  @Test
  void andKeepsItsPartitionParts() {
    assertThat(
            sql(
                and(
                    eq(col("p"), str("a")),
                    and(eq(col("id"), lit(3)), pred(">", col("year"), lit(2000))))))
        .containsExactly("p = 'a' AND year > 2000");
  }

  @Test
  void typesTheGrammarCannotCarryAreOmitted() {
    assertThat(
            sql(
                eq(col("ratio"), typed(1.5, DataTypes.DoubleType)),
                eq(col("at"), ts("2021-01-01T00:00:00Z")),
                pred("<", col("flag"), typed(true, DataTypes.BooleanType)),
                eq(col("year"), lit(1L << 40))))
        .isEmpty();
  }

  @Test
  void oddNamesAreBackQuoted() {
    assertThat(sql(eq(col("my col"), str("v")), eq(col("DATE"), str("v"))))
        .containsExactly("`my col` = 'v'", "`date` = 'v'");
  }

  @Test
  void stringsThatParsersReadDifferentlyAreOmitted() {
    // 'it''s' is "its" to Spark 3 (adjacent literals); backslashes are escapes to Spark only
    assertThat(
            sql(
                eq(col("p"), str("it's")),
                eq(col("p"), str("a\\b")),
                eq(col("p"), str("line\nbreak")),
                eq(col("p"), str("ok é ☃"))))
        .containsExactly("p = 'ok é ☃'");
    // ordering comparisons follow the same string-order rule as the JSON hints
    assertThat(sql(pred("<", col("p"), str("\uE000")), eq(col("p"), str("\uE000"))))
        .containsExactly("p = '\uE000'");
  }

  @Test
  void quotingDoublesSingleQuotes() {
    assertThat(SqlHints.quote("it's")).isEqualTo("'it''s'");
    assertThat(SqlHints.quote("")).isEqualTo("''");
  }

  @Test
  void sqlHintsDoNotDependOnTheJsonSizeLimit() {
    PushdownConverter.Hints h =
        converter.convert(new Predicate[] {eq(col("p"), str("a")), eq(col("id"), lit(2))});
    assertThat(h.sql()).containsExactly("p = 'a'");
    assertThat(h.converted()).hasSize(2);
  }
}
