package io.lakeshare.server.filter;

import static io.lakeshare.protocol.predicate.ValueType.BOOL;
import static io.lakeshare.protocol.predicate.ValueType.DATE;
import static io.lakeshare.protocol.predicate.ValueType.DOUBLE;
import static io.lakeshare.protocol.predicate.ValueType.INT;
import static io.lakeshare.protocol.predicate.ValueType.STRING;
import static io.lakeshare.protocol.predicate.ValueType.TIMESTAMP;
import static io.lakeshare.server.filter.Preds.and;
import static io.lakeshare.server.filter.Preds.cmp;
import static io.lakeshare.server.filter.Preds.col;
import static io.lakeshare.server.filter.Preds.eq;
import static io.lakeshare.server.filter.Preds.ge;
import static io.lakeshare.server.filter.Preds.gt;
import static io.lakeshare.server.filter.Preds.isNull;
import static io.lakeshare.server.filter.Preds.lit;
import static io.lakeshare.server.filter.Preds.lt;
import static io.lakeshare.server.filter.Preds.not;
import static io.lakeshare.server.filter.Preds.or;
import static io.lakeshare.server.filter.Preds.unsupported;
import static io.lakeshare.server.filter.TestTable.parts;
import static io.lakeshare.server.filter.TestTable.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.lakeshare.protocol.predicate.ComparisonOp;
import io.lakeshare.protocol.predicate.JsonPredicate;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Partition-column evaluation: exact values and SQL three-valued logic (CONFORMANCE §4.2). */
class JsonPartitionFilterTest {
  private static final boolean KEEP = true;
  private static final boolean DROP = false;

  static Stream<Arguments> cases() {
    Map<String, String> nullRegion = parts("region", "", "year", "2");
    Map<String, String> jsonNullRegion = parts("region", null, "year", "2");
    return Stream.of(
        // equality and ranges on each type
        arguments(
            "date equality keeps its partition (§8.6 case 79)",
            eq("date", DATE, "2020-01-01"),
            parts("date", "2020-01-01"),
            KEEP),
        arguments(
            "date equality drops other partitions (§8.6 case 79)",
            eq("date", DATE, "2020-01-01"),
            parts("date", "2020-01-02"),
            DROP),
        arguments(
            "date range drops outside",
            and(lt("date", DATE, "2020-02-03"), ge("date", DATE, "2020-01-01")),
            parts("date", "2020-02-03"),
            DROP),
        arguments(
            "date range keeps inside",
            and(lt("date", DATE, "2020-02-03"), ge("date", DATE, "2020-01-01")),
            parts("date", "2020-01-01"),
            KEEP),
        arguments("string equality", eq("region", STRING, "us"), parts("region", "us"), KEEP),
        arguments(
            "string inequality drops", eq("region", STRING, "us"), parts("region", "eu"), DROP),
        arguments("string range", gt("region", STRING, "f"), parts("region", "eu"), DROP),
        arguments(
            "strings compare by code point like Spark",
            lt("region", STRING, "\uFFFF"),
            parts("region", "\uD83D\uDE00"),
            DROP),
        arguments("int range keeps", gt("year", INT, "2020"), parts("year", "2021"), KEEP),
        arguments("int range drops", gt("year", INT, "2020"), parts("year", "2019"), DROP),
        arguments(
            "partition key looked up case-insensitively",
            eq("year", INT, "1"),
            parts("YEAR", "2"),
            DROP),
        // timestamps
        arguments(
            "ISO timestamp partition equal instant keeps",
            eq("ts", TIMESTAMP, "2021-04-28T12:00:00+02:00"),
            parts("ts", "2021-04-28T10:00:00Z"),
            KEEP),
        arguments(
            "ISO timestamp partition one second off drops",
            eq("ts", TIMESTAMP, "2021-04-28T10:00:01Z"),
            parts("ts", "2021-04-28T10:00:00Z"),
            DROP),
        arguments(
            "zone-less timestamp partition within 18h of the literal keeps",
            eq("ts", TIMESTAMP, "2021-04-28T20:00:00Z"),
            parts("ts", "2021-04-28 10:00:00"),
            KEEP),
        arguments(
            "zone-less timestamp partition two days away drops",
            eq("ts", TIMESTAMP, "2021-04-30T10:00:00Z"),
            parts("ts", "2021-04-28 10:00:00"),
            DROP),
        arguments(
            "zone-less timestamp partition certainly before the literal drops",
            gt("ts", TIMESTAMP, "2021-04-29T05:00:00Z"),
            parts("ts", "2021-04-28 10:00:00.123456"),
            DROP),
        arguments(
            "zone-less timestamp partition certainly after the literal keeps",
            gt("ts", TIMESTAMP, "2021-04-27T00:00:00Z"),
            parts("ts", "2021-04-28 10:00:00"),
            KEEP),
        // SQL NULL partition values: empty string and JSON null
        arguments("equal on null partition drops", eq("region", STRING, "x"), nullRegion, DROP),
        arguments(
            "not(equal) on null partition drops (NOT NULL is NULL)",
            not(eq("region", STRING, "x")),
            nullRegion,
            DROP),
        arguments("isNull on null partition keeps", isNull("region", STRING), nullRegion, KEEP),
        arguments(
            "isNull on JSON-null partition keeps", isNull("region", STRING), jsonNullRegion, KEEP),
        arguments(
            "not(isNull) on null partition drops",
            not(isNull("region", STRING)),
            jsonNullRegion,
            DROP),
        arguments(
            "isNull on a set partition drops",
            isNull("region", STRING),
            parts("region", "us"),
            DROP),
        arguments(
            "missing partition key keeps", eq("region", STRING, "x"), parts("year", "2"), KEEP),
        // Kleene logic
        arguments(
            "or(NULL, TRUE) is TRUE: keeps",
            or(eq("region", STRING, "a"), eq("year", INT, "2")),
            nullRegion,
            KEEP),
        arguments(
            "or(NULL, isNull) keeps",
            or(eq("region", STRING, "x"), isNull("region", STRING)),
            nullRegion,
            KEEP),
        arguments(
            "not(or(NULL, FALSE)) is NULL: drops",
            not(or(eq("region", STRING, "a"), eq("year", INT, "1"))),
            nullRegion,
            DROP),
        arguments(
            "and(TRUE, NULL) is NULL: drops",
            and(eq("year", INT, "2"), eq("region", STRING, "a")),
            nullRegion,
            DROP),
        arguments(
            "not(and(FALSE, NULL)) is TRUE: keeps",
            not(and(eq("year", INT, "1"), eq("region", STRING, "a"))),
            nullRegion,
            KEEP),
        // client-side casts of partition values
        arguments(
            "string partition read as int matches numerically",
            eq("region", INT, "1"),
            parts("region", "01"),
            KEEP),
        arguments(
            "string partition read as int differs",
            eq("region", INT, "1"),
            parts("region", "2"),
            DROP),
        arguments(
            "string partition that is no int keeps",
            eq("region", INT, "1"),
            parts("region", "abc"),
            KEEP),
        arguments(
            "int partition read as string",
            eq("year", STRING, "2021"),
            parts("year", "2021"),
            KEEP),
        arguments(
            "int partition read as string differs",
            eq("year", STRING, "2021"),
            parts("year", "2020"),
            DROP),
        arguments(
            "date partition read as string",
            eq("date", STRING, "2020-01-01"),
            parts("date", "2020-01-02"),
            DROP),
        arguments(
            "int partition read as double",
            lt("year", DOUBLE, "2020.5"),
            parts("year", "2021"),
            DROP),
        // booleans stand alone as predicates
        arguments("bool column true keeps", col("flag", BOOL), parts("flag", "true"), KEEP),
        arguments("bool column false drops", col("flag", BOOL), parts("flag", "false"), DROP),
        arguments("bool column null drops", col("flag", BOOL), parts("flag", ""), DROP),
        arguments(
            "not(bool column) true drops", not(col("flag", BOOL)), parts("flag", "true"), DROP),
        arguments("false literal drops everything", lit("false", BOOL), parts(), DROP),
        arguments(
            "literal comparison that is false drops",
            cmp(ComparisonOp.EQUAL, lit("1", INT), lit("2", INT)),
            parts(),
            DROP),
        // doubles
        arguments("NaN partition keeps", gt("rate", DOUBLE, "1.0"), parts("rate", "NaN"), KEEP),
        arguments(
            "double partition below drops", gt("rate", DOUBLE, "1.0"), parts("rate", "0.5"), DROP),
        arguments("-0.0 equals 0.0", eq("rate", DOUBLE, "-0.0"), parts("rate", "0.0"), KEEP),
        // unsupported subtrees (§8.6 cases 83, 89)
        arguments(
            "and(partition filter, unsupported) still prunes",
            and(eq("date", DATE, "2020-01-01"), unsupported()),
            parts("date", "2020-01-02"),
            DROP),
        arguments(
            "or(partition filter, unsupported) does not prune",
            or(eq("date", DATE, "2020-01-01"), unsupported()),
            parts("date", "2020-01-02"),
            KEEP),
        arguments(
            "not(and(TRUE, unsupported)) keeps",
            not(and(eq("date", DATE, "2020-01-01"), unsupported())),
            parts("date", "2020-01-01"),
            KEEP),
        arguments(
            "not(or(TRUE, unsupported)) drops",
            not(or(eq("date", DATE, "2020-01-01"), unsupported())),
            parts("date", "2020-01-01"),
            DROP),
        arguments(
            "non-boolean column as predicate keeps", col("year", INT), parts("year", "0"), KEEP),
        // partition and stats together (§8.6 case 80)
        arguments(
            "partition range and data range: data proves no match",
            and(
                lt("date", DATE, "2020-02-03"),
                ge("date", DATE, "2020-01-01"),
                lt("age", INT, "2")),
            parts("date", "2020-01-15"),
            DROP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void partitionRule(
      String rule, JsonPredicate predicate, Map<String, String> values, boolean kept) {
    String ageStats = stats(3).min("age", 5).max("age", 9).nulls("age", 0).json();
    assertThat(TestTable.json(predicate).mightMatch(values, ageStats)).as(rule).isEqualTo(kept);
  }

  @Test
  void unsupportedRootIsNoop() {
    FileFilter filter = TestTable.json(unsupported());

    assertThat(filter.isNoop()).isTrue();
    assertThat(filter.mightMatch(parts("date", "2020-01-02"), null)).isTrue();
  }

  @Test
  void partitionFilterIsNotNoop() {
    assertThat(TestTable.json(eq("date", DATE, "2020-01-01")).isNoop()).isFalse();
  }
}
