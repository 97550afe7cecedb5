package io.lakeshare.server.filter;

import static io.lakeshare.protocol.predicate.ValueType.DATE;
import static io.lakeshare.protocol.predicate.ValueType.INT;
import static io.lakeshare.server.filter.Preds.and;
import static io.lakeshare.server.filter.Preds.eq;
import static io.lakeshare.server.filter.Preds.not;
import static io.lakeshare.server.filter.TestTable.COLUMNS;
import static io.lakeshare.server.filter.TestTable.parts;
import static io.lakeshare.server.filter.TestTable.stats;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.protocol.predicate.JsonPredicate;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Server switches, isNoop, limits and robustness against bad input. */
class FileFilterSettingsTest {
  private static final JsonPredicate ON_PARTITION = eq("date", DATE, "2020-01-01");
  private static final JsonPredicate ON_DATA = eq("age", INT, "0");
  private static final Map<String, String> OTHER_DATE = parts("date", "2020-01-02");
  private static final String AGE_1_TO_3 = stats(3).min("age", 1).max("age", 3).json();

  @Test
  void jsonHintsOffIgnoresPartitionPredicates() {
    FileFilter f =
        FileFilter.create(ON_PARTITION, null, new FilterSettings(true, false, true), COLUMNS);

    assertThat(f.isNoop()).isTrue();
    assertThat(f.mightMatch(OTHER_DATE, null)).isTrue();
  }

  @Test
  void v2OffIgnoresStatsButKeepsPartitionPruning() {
    FilterSettings v1Only = new FilterSettings(false, true, false);

    assertThat(FileFilter.create(ON_DATA, null, v1Only, COLUMNS).isNoop()).isTrue();
    FileFilter both = FileFilter.create(and(ON_PARTITION, ON_DATA), null, v1Only, COLUMNS);
    assertThat(both.mightMatch(OTHER_DATE, AGE_1_TO_3)).isFalse();
    assertThat(both.mightMatch(parts("date", "2020-01-01"), AGE_1_TO_3)).isTrue();
  }

  @Test
  void v2WithoutV1UsesOnlyStats() {
    FilterSettings statsOnly = new FilterSettings(false, false, true);
    FileFilter f = FileFilter.create(and(ON_PARTITION, ON_DATA), null, statsOnly, COLUMNS);

    assertThat(f.mightMatch(OTHER_DATE, stats(3).min("age", 0).max("age", 3).json())).isTrue();
    assertThat(f.mightMatch(parts("date", "2020-01-01"), AGE_1_TO_3)).isFalse();
  }

  @Test
  void nullArgumentsGiveANoopFilter() {
    assertThat(FileFilter.create(null, null, TestTable.ALL_ON, COLUMNS).isNoop()).isTrue();
    assertThat(FileFilter.create(ON_PARTITION, null, null, COLUMNS).isNoop()).isTrue();
    assertThat(FileFilter.create(ON_PARTITION, null, TestTable.ALL_ON, null).isNoop()).isTrue();
    assertThat(FileFilter.create(null, null, null, null).mightMatch(null, null)).isTrue();
  }

  @Test
  void nullPartitionValuesAndStatsKeepTheFile() {
    assertThat(TestTable.json(and(ON_PARTITION, ON_DATA)).mightMatch(null, null)).isTrue();
  }

  @Test
  void malformedStatsKeepTheFile() {
    FileFilter f = TestTable.json(ON_DATA);
    for (String bad :
        List.of(
            "",
            "[]",
            "null",
            "42",
            "{\"numRecords\":\"x\",\"minValues\":{\"age\":\"1\"}}",
            "{\"minValues\":{\"age\":1e999},\"maxValues\":{\"age\":[1]}}",
            "{\"minValues\":{\"age\":99999999999999999999999}}",
            "{\"minValues\":\"age\"}",
            "{\"nullCount\":{\"age\":-1},\"numRecords\":-5}")) {
      assertThat(f.mightMatch(Map.of(), bad)).as(bad).isTrue();
    }
  }

  @Test
  void treesDeeperThan100AreIgnored() {
    JsonPredicate deep = ON_PARTITION;
    for (int i = 0; i < 100; i++) {
      deep = not(not(deep));
    }

    assertThat(TestTable.json(deep).isNoop()).isTrue();
  }

  @Test
  void treesOfExactly100LevelsAreEvaluated() {
    JsonPredicate p = ON_PARTITION; // comparison over two leaves: depth 2
    for (int i = 0; i < 98; i++) {
      p = not(p);
    }

    assertThat(TestTable.json(p).mightMatch(OTHER_DATE, null)).isFalse();
    assertThat(TestTable.json(not(p)).isNoop()).isTrue();
  }

  @Test
  void errorCounterIsPerFilterInstance() {
    FileFilter first = TestTable.json(ON_PARTITION);
    Map<String, String> exploding = new ExplodingMap();
    for (int i = 0; i < FileFilter.MAX_ERRORS + 5; i++) {
      assertThat(first.mightMatch(exploding, null)).isTrue();
    }
    // the failing request has given up filtering...
    assertThat(first.mightMatch(OTHER_DATE, null)).isTrue();
    // ...but another request is unaffected
    assertThat(TestTable.json(ON_PARTITION).mightMatch(OTHER_DATE, null)).isFalse();
  }

  @Test
  void evenOddNestingOfNotFlipsExactPartitionResults() {
    JsonPredicate p = ON_PARTITION;
    assertThat(TestTable.json(not(p)).mightMatch(OTHER_DATE, null)).isTrue();
    assertThat(TestTable.json(not(not(p))).mightMatch(OTHER_DATE, null)).isFalse();
  }

  /** A partition-values map whose every lookup fails, to force evaluation errors. */
  private static final class ExplodingMap extends AbstractMap<String, String> {
    @Override
    public Set<Entry<String, String>> entrySet() {
      throw new IllegalStateException("boom");
    }

    @Override
    public boolean containsKey(Object key) {
      throw new IllegalStateException("boom");
    }
  }
}
