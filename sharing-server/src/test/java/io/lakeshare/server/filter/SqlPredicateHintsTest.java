package io.lakeshare.server.filter;

import static io.lakeshare.server.filter.TestTable.COLUMNS;
import static io.lakeshare.server.filter.TestTable.parts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SQL {@code predicateHints} on partition columns (CONFORMANCE §4.1, §8.6 cases 76-78). */
class SqlPredicateHintsTest {
  private static final boolean KEEP = true;
  private static final boolean DROP = false;

  static Stream<Arguments> cases() {
    Map<String, String> d28 = parts("date", "2021-04-28", "region", "us", "year", "2021");
    Map<String, String> d29 = parts("date", "2021-04-29", "region", "eu", "year", "2020");
    Map<String, String> nulls = parts("date", "", "region", null, "year", "", "flag", "");
    return Stream.of(
        arguments(
            "CAST string to DATE (§8.6 case 78)", "date = CAST('2021-04-28' AS DATE)", d28, KEEP),
        arguments(
            "CAST string to DATE drops others", "date = CAST('2021-04-28' AS DATE)", d29, DROP),
        arguments(
            "Spark rendering with parentheses and typed literal",
            "(date = DATE '2021-04-28')",
            d29,
            DROP),
        arguments("typed literal matches", "(date = DATE '2021-04-28')", d28, KEEP),
        arguments("string literal coerced to the date column", "date >= '2021-04-29'", d28, DROP),
        arguments("literal on the left", "'foo' < region", d28, KEEP),
        arguments("literal on the left drops", "'v' < region", d29, DROP),
        arguments("IS NOT NULL drops null partitions", "region IS NOT NULL", nulls, DROP),
        arguments("IS NOT NULL keeps set partitions", "region IS NOT NULL", d28, KEEP),
        arguments("IS NULL keeps null partitions", "region IS NULL", nulls, KEEP),
        arguments("comparison with a null partition drops", "year = 2021", nulls, DROP),
        arguments(
            "NOT of a null comparison drops (three-valued)", "NOT (year = 2021)", nulls, DROP),
        arguments("<> on a null partition drops", "year <> 2021", nulls, DROP),
        arguments("!= drops equal partitions", "year != 2021", d28, DROP),
        arguments("<=> NULL keeps null partitions", "region <=> NULL", nulls, KEEP),
        arguments("<=> NULL drops set partitions", "region <=> NULL", d28, DROP),
        arguments("<=> value never NULL: drops null partitions", "region <=> 'us'", nulls, DROP),
        arguments("= NULL is never true", "region = NULL", d28, DROP),
        arguments("integer range", "year > 2020 AND year < 2022", d28, KEEP),
        arguments("integer range drops", "year > 2020 AND year < 2022", d29, DROP),
        arguments(
            "AND binds tighter than OR", "year = 1 AND region = 'x' OR region = 'eu'", d29, KEEP),
        arguments("OR of two false drops", "region = 'x' OR year = 1999", d29, DROP),
        arguments("backquoted column names", "`date` = DATE '2021-04-28'", d29, DROP),
        arguments("keywords are case-insensitive", "region is not null and year = 2021", d28, KEEP),
        arguments("doubled quote escape", "region = 'O''Brien'", parts("region", "O'Brien"), KEEP),
        arguments(
            "backslash quote escape", "region = 'O\\'Brien'", parts("region", "O'Brien"), KEEP),
        arguments(
            "escaped quote mismatch drops", "region = 'O''Brien'", parts("region", "OBrien"), DROP),
        arguments("CAST of the column to string", "CAST(year AS STRING) = '2021'", d29, DROP),
        arguments("negative numbers", "year > -5", d29, KEEP),
        arguments("double literal compares as double", "year < 2e3", d28, DROP),
        arguments("decimal literal on an int column is not evaluated", "year = 2021.5", d28, KEEP),
        arguments(
            "numeric column against a string literal is not evaluated", "year = 'x'", d28, KEEP),
        arguments("boolean column as predicate", "flag", parts("flag", "false"), DROP),
        arguments("NOT of a boolean column", "NOT flag", parts("flag", "false"), KEEP),
        arguments(
            "zone-less TIMESTAMP literal near the value keeps",
            "ts = TIMESTAMP '2021-04-28 10:00:00'",
            parts("ts", "2021-04-28 20:00:00"),
            KEEP),
        arguments(
            "zone-less TIMESTAMP literal days away drops",
            "ts = TIMESTAMP '2021-04-28 10:00:00'",
            parts("ts", "2021-05-02 10:00:00"),
            DROP),
        arguments(
            "TIMESTAMP literal with offset",
            "ts < TIMESTAMP '2021-04-28T10:00:00Z'",
            parts("ts", "2021-04-28T10:00:00Z"),
            DROP),
        arguments("unparseable entry is skipped (§8.6 case 77)", "date === 1", d29, KEEP),
        arguments("entry on a data column is skipped", "age = 1", d29, KEEP),
        arguments("entry on an unknown column is skipped", "nope = 1", d29, KEEP),
        arguments(
            "entry mixing data and partition columns is skipped",
            "region = 'x' AND age = 1",
            d29,
            KEEP),
        arguments("typed number suffix is skipped", "year = 2021L", d29, KEEP),
        arguments("unsupported operator IN is skipped", "region IN ('x')", d29, KEEP),
        arguments("trailing garbage is skipped", "region = 'x' garbage", d29, KEEP),
        arguments("unterminated string is skipped", "region = 'x", d29, KEEP),
        arguments("nested field is skipped", "region.x = 1", d29, KEEP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sqlRule(String rule, String entry, Map<String, String> values, boolean kept) {
    assertThat(TestTable.sql(entry).mightMatch(values, null)).as(rule).isEqualTo(kept);
  }

  @Test
  void skippedEntriesDoNotStopTheOthers() {
    FileFilter f = TestTable.sql("date === 1", "year = 2021", "age > 3");

    assertThat(f.mightMatch(parts("year", "2020"), null)).isFalse();
    assertThat(f.mightMatch(parts("year", "2021"), null)).isTrue();
  }

  @Test
  void entriesAreAnded() {
    FileFilter f = TestTable.sql("year = 2021", "region = 'us'");

    assertThat(f.mightMatch(parts("year", "2021", "region", "us"), null)).isTrue();
    assertThat(f.mightMatch(parts("year", "2021", "region", "eu"), null)).isFalse();
  }

  @Test
  void switchedOffByDefault() {
    FileFilter f =
        FileFilter.create(
            null, List.of("date = '2021-04-28'"), FilterSettings.referenceDefaults(), COLUMNS);

    assertThat(f.isNoop()).isTrue();
    assertThat(f.mightMatch(parts("date", "2021-04-29"), null)).isTrue();
  }

  @Test
  void unpartitionedTablesIgnoreSqlHints() {
    TableColumns flat =
        TableColumns.fromSchemaString(new SchemaJson().field("a", "long").toString(), List.of());

    assertThat(FileFilter.create(null, List.of("a = 1"), TestTable.ALL_ON, flat).isNoop()).isTrue();
  }

  @Test
  void nullAndBlankEntriesAreSkipped() {
    List<String> entries = new java.util.ArrayList<>();
    entries.add(null);
    entries.add("  ");
    entries.add("year = 2021");

    FileFilter f = FileFilter.create(null, entries, TestTable.ALL_ON, COLUMNS);

    assertThat(f.mightMatch(parts("year", "2020"), null)).isFalse();
  }

  @Test
  void deeplyNestedEntryIsSkippedNotFatal() {
    String entry = "(".repeat(5000) + "year = 1" + ")".repeat(5000);

    assertThat(TestTable.sql(entry).isNoop()).isTrue();
  }

  @Test
  void longChainsOfOrAreEvaluated() {
    StringBuilder entry = new StringBuilder("year = 0");
    for (int i = 1; i < 1000; i++) {
      entry.append(" OR year = ").append(i);
    }
    FileFilter f = TestTable.sql(entry.toString());

    assertThat(f.mightMatch(parts("year", "999"), null)).isTrue();
    assertThat(f.mightMatch(parts("year", "2021"), null)).isFalse();
  }

  @Test
  void sqlAndJsonHintsAreBothApplied() {
    FileFilter f =
        FileFilter.create(
            Preds.eq("region", io.lakeshare.protocol.predicate.ValueType.STRING, "us"),
            List.of("year = 2021"),
            TestTable.ALL_ON,
            COLUMNS);

    assertThat(f.mightMatch(parts("region", "us", "year", "2021"), null)).isTrue();
    assertThat(f.mightMatch(parts("region", "us", "year", "2020"), null)).isFalse();
    assertThat(f.mightMatch(parts("region", "eu", "year", "2021"), null)).isFalse();
  }
}
