package io.lakeshare.server.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Soundness on random tables: whenever any row of a file satisfies the predicate (evaluated row by
 * row with Spark's semantics), the file is kept. See {@link JsonTrial}, {@link SqlTrial} and {@link
 * RandomTable} for how files, stats and predicates are generated.
 */
class FilterSoundnessTest {
  /** Trials per test; raise with -Dlakeshare.filter.soundnessSeeds=100000 for a long hunt. */
  private static final int SEEDS = Integer.getInteger("lakeshare.filter.soundnessSeeds", 1500);

  @Test
  void jsonHintsNeverDropAFileWithAMatchingRow() {
    int nonMatching = 0;
    int dropped = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      JsonTrial run = new JsonTrial(new Random(seed));
      int[] counts = run.checkJson(seed);
      nonMatching += counts[0];
      dropped += counts[1];
    }
    // The filter must not be trivially "keep everything": it has to drop a fair share of the
    // files that hold no matching row.
    assertThat(dropped).isGreaterThan(nonMatching / 5);
  }

  @Test
  void sqlHintsNeverDropAFileWithAMatchingRow() {
    int nonMatching = 0;
    int dropped = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      SqlTrial run = new SqlTrial(new Random(1_000_000 + seed));
      int[] counts = run.checkSql(seed);
      nonMatching += counts[0];
      dropped += counts[1];
    }
    assertThat(dropped).isGreaterThan(nonMatching / 4);
  }
}
