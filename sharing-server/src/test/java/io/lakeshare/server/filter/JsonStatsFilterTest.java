package io.lakeshare.server.filter;

import static io.lakeshare.protocol.predicate.ValueType.DATE;
import static io.lakeshare.protocol.predicate.ValueType.DOUBLE;
import static io.lakeshare.protocol.predicate.ValueType.FLOAT;
import static io.lakeshare.protocol.predicate.ValueType.INT;
import static io.lakeshare.protocol.predicate.ValueType.LONG;
import static io.lakeshare.protocol.predicate.ValueType.STRING;
import static io.lakeshare.protocol.predicate.ValueType.TIMESTAMP;
import static io.lakeshare.server.filter.Preds.and;
import static io.lakeshare.server.filter.Preds.cmp;
import static io.lakeshare.server.filter.Preds.col;
import static io.lakeshare.server.filter.Preds.eq;
import static io.lakeshare.server.filter.Preds.ge;
import static io.lakeshare.server.filter.Preds.gt;
import static io.lakeshare.server.filter.Preds.isNull;
import static io.lakeshare.server.filter.Preds.le;
import static io.lakeshare.server.filter.Preds.lit;
import static io.lakeshare.server.filter.Preds.lt;
import static io.lakeshare.server.filter.Preds.not;
import static io.lakeshare.server.filter.Preds.or;
import static io.lakeshare.server.filter.TestTable.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.lakeshare.protocol.predicate.ComparisonOp;
import io.lakeshare.protocol.predicate.JsonPredicate;
import io.lakeshare.server.delta.JsonStringBody;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Data-column pruning from per-file statistics (CONFORMANCE §4.2 "Safe evaluation", §3.6). */
class JsonStatsFilterTest {
  private static final boolean KEEP = true;
  private static final boolean DROP = false;

  /** age in [1, 3], no nulls, 3 rows. */
  private static final String AGE_1_TO_3 =
      stats(3).min("age", 1).max("age", 3).nulls("age", 0).json();

  private static final String AGE_ALL_2 =
      stats(3).min("age", 2).max("age", 2).nulls("age", 0).json();

  private static final String AGE_1_TO_3_WITH_NULLS =
      stats(3).min("age", 1).max("age", 3).nulls("age", 1).json();

  private static final String AGE_ALL_NULL = stats(3).nulls("age", 3).json();

  static Stream<Arguments> cases() {
    String score = stats(4).min("score", 1.0).max("score", 2.0).nulls("score", 0).json();
    String names = stats(2).min("name", "apple").max("name", "banana").nulls("name", 0).json();
    String truncated =
        stats(2).min("name", "x".repeat(32)).max("name", "x".repeat(32) + "\uFFFD").json();
    String events =
        stats(2)
            .min("event", "2021-04-28T23:33:57.100Z")
            .max("event", "2021-04-28T23:33:57.955Z")
            .json();
    String offsetEvents =
        stats(1)
            .min("event", "2021-04-28T16:33:57.955-07:00")
            .max("event", "2021-04-28T16:33:57.955-07:00")
            .json();
    String prices =
        stats(2).min("price", new BigDecimal("1.00")).max("price", new BigDecimal("2.50")).json();
    String days = stats(2).min("day", "2021-04-01").max("day", "2021-04-30").json();
    String bigs = stats(2).min("big", 1L).max("big", 1L << 40).json();
    return Stream.of(
        // range tests prove no-match only
        arguments("equal below min drops", eq("age", INT, "0"), AGE_1_TO_3, DROP),
        arguments("equal at min keeps", eq("age", INT, "1"), AGE_1_TO_3, KEEP),
        arguments("equal inside keeps", eq("age", INT, "2"), AGE_1_TO_3, KEEP),
        arguments("equal above max drops", eq("age", INT, "4"), AGE_1_TO_3, DROP),
        arguments("lessThan at min drops", lt("age", INT, "1"), AGE_1_TO_3, DROP),
        arguments("lessThan above min keeps", lt("age", INT, "2"), AGE_1_TO_3, KEEP),
        arguments("lessThanOrEqual below min drops", le("age", INT, "0"), AGE_1_TO_3, DROP),
        arguments("lessThanOrEqual at min keeps", le("age", INT, "1"), AGE_1_TO_3, KEEP),
        arguments("greaterThan at max drops", gt("age", INT, "3"), AGE_1_TO_3, DROP),
        arguments("greaterThan below max keeps", gt("age", INT, "2"), AGE_1_TO_3, KEEP),
        arguments("greaterThanOrEqual above max drops", ge("age", INT, "4"), AGE_1_TO_3, DROP),
        arguments("greaterThanOrEqual at max keeps", ge("age", INT, "3"), AGE_1_TO_3, KEEP),
        arguments(
            "literal on the left: 3 < age drops",
            cmp(ComparisonOp.LESS_THAN, lit("3", INT), col("age", INT)),
            AGE_1_TO_3,
            DROP),
        arguments(
            "literal on the left: 2 < age keeps",
            cmp(ComparisonOp.LESS_THAN, lit("2", INT), col("age", INT)),
            AGE_1_TO_3,
            KEEP),
        // not is pushed down, never flips a maybe (REF V2 bug, §8.6 case 87)
        arguments("not(equal) inside range keeps", not(eq("age", INT, "2")), AGE_1_TO_3, KEEP),
        arguments(
            "not(equal) when every value equals drops", not(eq("age", INT, "2")), AGE_ALL_2, DROP),
        arguments(
            "not(equal) when every non-null value equals drops (NULL rows are not TRUE)",
            not(eq("age", INT, "2")),
            stats(3).min("age", 2).max("age", 2).nulls("age", 1).json(),
            DROP),
        arguments("not(lessThan 4) is age >= 4: drops", not(lt("age", INT, "4")), AGE_1_TO_3, DROP),
        arguments(
            "not(greaterThan 0) is age <= 0: drops", not(gt("age", INT, "0")), AGE_1_TO_3, DROP),
        arguments(
            "not(lessThanOrEqual 3) is age > 3: drops", not(le("age", INT, "3")), AGE_1_TO_3, DROP),
        arguments(
            "not(greaterThanOrEqual 1) is age < 1: drops",
            not(ge("age", INT, "1")),
            AGE_1_TO_3,
            DROP),
        arguments(
            "De Morgan: not(age > 0 and age < 4) drops",
            not(and(gt("age", INT, "0"), lt("age", INT, "4"))),
            AGE_1_TO_3,
            DROP),
        arguments(
            "De Morgan: not(age = 5 or age = 6) keeps",
            not(or(eq("age", INT, "5"), eq("age", INT, "6"))),
            AGE_1_TO_3,
            KEEP),
        arguments("double not is identity", not(not(eq("age", INT, "9"))), AGE_1_TO_3, DROP),
        // isNull uses nullCount (REF V2 bug, §8.6 case 88)
        arguments(
            "isNull with nullCount > 0 keeps", isNull("age", INT), AGE_1_TO_3_WITH_NULLS, KEEP),
        arguments("isNull with nullCount 0 drops", isNull("age", INT), AGE_1_TO_3, DROP),
        arguments(
            "isNull without nullCount keeps",
            isNull("age", INT),
            stats(3).min("age", 1).max("age", 3).json(),
            KEEP),
        arguments(
            "not(isNull) when all rows are null drops",
            not(isNull("age", INT)),
            AGE_ALL_NULL,
            DROP),
        arguments(
            "not(isNull) with some non-null rows keeps",
            not(isNull("age", INT)),
            AGE_1_TO_3_WITH_NULLS,
            KEEP),
        arguments(
            "not(isNull) without numRecords keeps",
            not(isNull("age", INT)),
            stats(-1).nulls("age", 3).json(),
            KEEP),
        arguments(
            "comparison on an all-null column drops", eq("age", INT, "1"), AGE_ALL_NULL, DROP),
        arguments(
            "not(comparison) on an all-null column drops",
            not(eq("age", INT, "1")),
            AGE_ALL_NULL,
            DROP),
        // missing, partial, odd statistics
        arguments("no stats keeps", eq("age", INT, "0"), null, KEEP),
        arguments("stats that are not JSON keep", eq("age", INT, "0"), "{numRecords:", KEEP),
        arguments(
            "stats without the column keep",
            eq("age", INT, "0"),
            stats(3).min("name", "a").json(),
            KEEP),
        arguments(
            "only min: greaterThan keeps",
            gt("age", INT, "100"),
            stats(3).min("age", 1).json(),
            KEEP),
        arguments(
            "only min: lessThan below it drops",
            lt("age", INT, "1"),
            stats(3).min("age", 1).json(),
            DROP),
        arguments(
            "only max: lessThan keeps", lt("age", INT, "-5"), stats(3).max("age", 3).json(), KEEP),
        arguments(
            "only max: greaterThan above it drops",
            gt("age", INT, "3"),
            stats(3).max("age", 3).json(),
            DROP),
        arguments(
            "nested stats value keeps",
            eq("age", INT, "0"),
            stats(3).min("age", TestTable.object("x", 5)).max("age", 3).json(),
            KEEP),
        arguments(
            "extra keys such as tightBounds are tolerated",
            eq("age", INT, "0"),
            stats(3).min("age", 1).max("age", 3).extra("tightBounds", false).json(),
            DROP),
        arguments("column names match case-insensitively", eq("AGE", INT, "0"), AGE_1_TO_3, DROP),
        // types: the column leaf's valueType is a client-side cast
        arguments(
            "different value types on the two sides keep (§8.6 case 84)",
            cmp(ComparisonOp.EQUAL, col("age", INT), lit("0", LONG)),
            AGE_1_TO_3,
            KEEP),
        arguments("unparseable literal keeps", eq("age", INT, "zero"), AGE_1_TO_3, KEEP),
        arguments("int column read as long drops", eq("age", LONG, "0"), AGE_1_TO_3, DROP),
        arguments("int column read as double drops", gt("age", DOUBLE, "3.5"), AGE_1_TO_3, DROP),
        arguments(
            "int column read as string keeps (order differs)",
            gt("age", STRING, "9"),
            AGE_1_TO_3,
            KEEP),
        arguments("date column read as int keeps", eq("day", INT, "5"), days, KEEP),
        arguments(
            "long bounds outside int range with int valueType keep",
            lt("big", INT, "0"),
            bigs,
            KEEP),
        arguments("long column: lessThan below min drops", lt("big", LONG, "1"), bigs, DROP),
        // floating point: NaN sorts above everything and is missing from stats
        arguments(
            "double: greaterThan above max keeps (NaN rows)",
            gt("score", DOUBLE, "5.0"),
            score,
            KEEP),
        arguments("double: lessThan below min drops", lt("score", DOUBLE, "0.5"), score, DROP),
        arguments("double: NaN literal keeps", eq("score", DOUBLE, "NaN"), score, KEEP),
        arguments(
            "double read as float: lessThan below min drops",
            lt("score", FLOAT, "0.5"),
            score,
            DROP),
        arguments(
            "double: -0.0 equals 0.0",
            le("score", DOUBLE, "-0.0"),
            stats(1).min("score", 0.0).json(),
            KEEP),
        // strings: code-point order, max may be a truncated prefix
        arguments("string: lessThan min drops", lt("name", STRING, "apple"), names, DROP),
        arguments("string: equal above max drops", eq("name", STRING, "cherry"), names, DROP),
        arguments(
            "string: equal extending the max prefix keeps",
            eq("name", STRING, "bananas"),
            names,
            KEEP),
        arguments(
            "string: greaterThan max keeps (max may be truncated)",
            gt("name", STRING, "banana"),
            names,
            KEEP),
        arguments("string: greaterThan far above max drops", gt("name", STRING, "c"), names, DROP),
        arguments(
            "string: max with a tie-breaker character is not trusted past its prefix",
            gt("name", STRING, "x".repeat(32) + "\uFFFE"),
            truncated,
            KEEP),
        arguments(
            "string: bounds with characters where UTF-16 and code-point order differ are unused",
            lt("name", STRING, "\uFFFF"),
            stats(1).min("name", "\uD83D\uDE00").max("name", "\uD83D\uDE00").json(),
            KEEP),
        // timestamps: stats have milliseconds only
        arguments(
            "timestamp: greaterThan inside the truncated millisecond keeps",
            gt("event", TIMESTAMP, "2021-04-28T23:33:57.955500Z"),
            events,
            KEEP),
        arguments(
            "timestamp: greaterThan past max + 1ms drops",
            gt("event", TIMESTAMP, "2021-04-28T23:33:57.957Z"),
            events,
            DROP),
        arguments(
            "timestamp: lessThan below min - 1ms drops",
            lt("event", TIMESTAMP, "2021-04-28T23:33:57.099Z"),
            events,
            DROP),
        arguments(
            "timestamp: stats with an offset are instants (match)",
            eq("event", TIMESTAMP, "2021-04-28T23:33:57.955Z"),
            offsetEvents,
            KEEP),
        arguments(
            "timestamp: stats with an offset are instants (no match)",
            eq("event", TIMESTAMP, "2021-04-28T16:33:57.955Z"),
            offsetEvents,
            DROP),
        arguments(
            "timestamp_ntz column with timestamp valueType keeps",
            eq("ntz", TIMESTAMP, "2000-01-01T00:00:00Z"),
            stats(1).min("ntz", "2021-01-01T00:00:00").max("ntz", "2021-01-01T00:00:00").json(),
            KEEP),
        // decimals
        arguments(
            "decimal as double: just above max keeps (rounding slack)",
            gt("price", DOUBLE, "2.5"),
            prices,
            KEEP),
        arguments(
            "decimal as double: well above max drops", gt("price", DOUBLE, "3.0"), prices, DROP),
        arguments(
            "decimal as int truncates: lessThan 1 drops", lt("price", INT, "1"), prices, DROP),
        arguments("decimal as long: lessThan 2 keeps", lt("price", LONG, "2"), prices, KEEP),
        // dates
        arguments("date: greaterThan max drops", gt("day", DATE, "2021-05-01"), days, DROP),
        arguments("date: equal inside keeps", eq("day", DATE, "2021-04-15"), days, KEEP));
  }

  @Test
  void columnMappingStatsAndPartitionsAreFoundByPhysicalName() {
    String schema =
        new SchemaJson()
            .field("age", "integer", "delta.columnMapping.physicalName", "col-a1")
            .field("p", "string", "delta.columnMapping.physicalName", "col-p1")
            .toString();
    TableColumns columns = TableColumns.fromSchemaString(schema, List.of("p"));
    FileFilter f =
        FileFilter.create(
            and(eq("age", INT, "0"), eq("p", STRING, "x")), null, TestTable.ALL_ON, columns);

    assertThat(f.mightMatch(Map.of("col-p1", "x"), stats(1).min("col-a1", 1).json())).isFalse();
    assertThat(f.mightMatch(Map.of("col-p1", "y"), stats(1).min("col-a1", 0).json())).isFalse();
    assertThat(f.mightMatch(Map.of("col-p1", "x"), stats(1).min("col-a1", 0).json())).isTrue();
    assertThat(f.mightMatch(Map.of("p", "x"), stats(1).min("age", 0).json())).isTrue();
    assertThat(f.mightMatch(Map.of("p", "y"), stats(1).min("age", 5).json())).isTrue();
  }

  @Test
  void columnMappingNeverFallsBackToALogicalNameThatIsAnotherColumnsPhysicalName() {
    // column a was renamed to b (physical name still "a"), then a new column a was added
    String schema =
        new SchemaJson()
            .field("b", "integer", "delta.columnMapping.physicalName", "a")
            .field("a", "integer", "delta.columnMapping.physicalName", "col-new")
            .field("q", "string", "delta.columnMapping.physicalName", "col-q")
            .toString();
    TableColumns columns = TableColumns.fromSchemaString(schema, List.of("q"));
    String oldFile = stats(2).min("a", 1).max("a", 2).json();
    FileFilter onNewA = FileFilter.create(gt("a", INT, "100"), null, TestTable.ALL_ON, columns);
    FileFilter onB = FileFilter.create(gt("b", INT, "100"), null, TestTable.ALL_ON, columns);
    assertThat(onNewA.mightMatch(Map.of(), oldFile)).isTrue();
    assertThat(onB.mightMatch(Map.of(), oldFile)).isFalse();
    FileFilter onQ = FileFilter.create(eq("q", STRING, "x"), null, TestTable.ALL_ON, columns);
    assertThat(onQ.mightMatch(Map.of("q", "y"), null)).isTrue();
    assertThat(onQ.mightMatch(Map.of("col-q", "y"), null)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void statsRule(String rule, JsonPredicate predicate, String statsJson, boolean kept) {
    FileFilter filter = TestTable.json(predicate);
    assertThat(filter.mightMatch(Map.of(), statsJson)).as(rule).isEqualTo(kept);
    // the same from the stats as a kept file holds them
    byte[] body = statsJson == null ? null : JsonStringBody.encode(statsJson);
    assertThat(filter.mightMatchBody(Map.of(), body)).as(rule).isEqualTo(kept);
  }
}
