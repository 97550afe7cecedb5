package io.lakeshare.server.delta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileListCacheTest {
  private static TableSnapshot snapshot(String location) {
    // the cache only keys by identity and reads the location
    return new DeltaSnapshot(null, null, location, new FileListCache(0));
  }

  private static List<ScanFile> files(int n) {
    List<ScanFile> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new ScanFile(
              "part-" + i + ".parquet",
              "file:/t/part-" + i + ".parquet",
              Map.of("p", "v" + i),
              100,
              0,
              "{\"numRecords\":1}",
              FileExtras.PLAIN));
    }
    return out;
  }

  private static long estimate(List<ScanFile> files) {
    return files.stream().mapToLong(FileListCache::estimate).sum();
  }

  @Test
  void theLeastRecentlyUsedListsGoFirstAndTheBudgetHolds() {
    List<ScanFile> ten = files(10);
    long one = estimate(ten);
    FileListCache cache = new FileListCache(one * 3);
    TableSnapshot a = snapshot("file:/a");
    TableSnapshot b = snapshot("file:/b");
    TableSnapshot c = snapshot("file:/c");
    TableSnapshot d = snapshot("file:/d");
    cache.put(a, ten, one);
    cache.put(b, ten, one);
    cache.put(c, ten, one);
    assertThat(cache.get(a)).isEqualTo(ten); // a is now the most recently used
    cache.put(d, ten, one);
    assertThat(cache.get(b)).isNull(); // b was the eldest
    assertThat(cache.get(a)).isEqualTo(ten);
    assertThat(cache.get(c)).isEqualTo(ten);
    assertThat(cache.get(d)).isEqualTo(ten);
    assertThat(cache.bytes()).isEqualTo(3 * one).isLessThanOrEqualTo(cache.maxBytes());
    assertThat(cache.entries()).isEqualTo(3);
    assertThat(cache.evictions()).isEqualTo(1);
    assertThat(cache.hits()).isEqualTo(4);
    assertThat(cache.misses()).isEqualTo(1);
  }

  @Test
  void aListOverHalfTheBudgetIsNotKept() {
    List<ScanFile> ten = files(10);
    long one = estimate(ten);
    FileListCache cache = new FileListCache(one * 2 - 1);
    TableSnapshot a = snapshot("file:/a");
    assertThat(cache.admits(one)).isFalse();
    cache.put(a, ten, one);
    assertThat(cache.get(a)).isNull();
    assertThat(cache.bytes()).isZero();
    FileListCache off = new FileListCache(0);
    assertThat(off.admits(0)).isTrue();
    assertThat(off.admits(1)).isFalse();
  }

  @Test
  void removedLocationsAreDropped() {
    List<ScanFile> ten = files(10);
    FileListCache cache = new FileListCache(1 << 20);
    TableSnapshot a = snapshot("file:/a");
    TableSnapshot b = snapshot("file:/b");
    cache.put(a, ten, estimate(ten));
    cache.put(b, ten, estimate(ten));
    cache.removeLocations(loc -> loc.equals("file:/a"));
    assertThat(cache.get(a)).isNull();
    assertThat(cache.get(b)).isEqualTo(ten);
    assertThat(cache.bytes()).isEqualTo(estimate(ten));
  }

  @Test
  void theEstimateGrowsWithTheStrings() {
    ScanFile small = files(1).get(0);
    ScanFile big =
        new ScanFile(
            small.logPath() + "x".repeat(100),
            small.absolutePath() + "x".repeat(100),
            small.partitionValues(),
            100,
            0,
            small.stats() + " ".repeat(1000),
            FileExtras.PLAIN);
    // the path once; the stats once, as the escaped JSON string body the kept line parts use
    assertThat(big.statsJson().length - small.statsJson().length).isEqualTo(1000);
    assertThat(FileListCache.estimate(big) - FileListCache.estimate(small)).isEqualTo(1100);
    // a log path that is not the end of the absolute one (an escaped name) is kept as well
    ScanFile escaped =
        new ScanFile(
            "a%20b.parquet",
            "file:/t/a b.parquet",
            small.partitionValues(),
            100,
            0,
            small.stats(),
            FileExtras.PLAIN);
    ScanFile plain =
        new ScanFile(
            "a_b.parquet",
            "file:/t/a_b.parquet",
            small.partitionValues(),
            100,
            0,
            small.stats(),
            FileExtras.PLAIN);
    assertThat(FileListCache.estimate(escaped) - FileListCache.estimate(plain))
        .isEqualTo(40 + "a%20b.parquet".length());
  }
}
