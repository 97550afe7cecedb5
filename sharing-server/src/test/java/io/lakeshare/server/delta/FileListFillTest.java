package io.lakeshare.server.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.utils.CloseableIterator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File lists filled ahead of queries (the start-up warm-up): a fill keeps the same list a query
 * would replay, a query that comes during a fill waits for it and is answered from it, a query that
 * is collecting a list keeps fills away, and a list over the cache's share stops its fill.
 */
class FileListFillTest {
  @TempDir Path dir;

  private String table(String name, int n, int commits) throws Exception {
    return HandWrittenLog.write(dir.resolve(name), n, commits);
  }

  private static DeltaTables tables(long cacheBytes) {
    System.setProperty("lakeshare.fileListCache.maxBytes", Long.toString(cacheBytes));
    try {
      return new DeltaTables(new Configuration(), Duration.ZERO);
    } finally {
      System.clearProperty("lakeshare.fileListCache.maxBytes");
    }
  }

  private static List<ScanFile> drain(TableSnapshot s) throws Exception {
    List<ScanFile> out = new ArrayList<>();
    try (CloseableIterator<ScanFile> it = s.scanFiles()) {
      while (it.hasNext()) {
        out.add(it.next());
      }
    }
    return out;
  }

  private static List<String> describe(List<ScanFile> files) {
    return files.stream()
        .map(f -> f.logPath() + " " + f.size() + " " + new String(f.statsJson()))
        .toList();
  }

  @Test
  void aFilledListIsWhatAQueryWouldReplayAndTheFirstQueryHitsIt() throws Exception {
    String location = table("t", 30, 3);
    List<String> replayed = describe(drain(tables(0).forLocation(location).latest()));
    assertThat(replayed).hasSize(30).contains("part-29.parquet 129 {\\\"numRecords\\\":30}");

    DeltaTables tables = tables(1 << 24);
    FileListCache cache = tables.fileLists();
    TableSnapshot s = tables.forLocation(location).latest();
    assertThat(s.prepareFileList()).isTrue();
    assertThat(cache.filled()).isEqualTo(1);
    assertThat(cache.entries()).isEqualTo(1);
    assertThat(cache.bytes()).isPositive();
    assertThat(cache.misses()).as("a fill counts no miss").isZero();
    assertThat(s.prepareFileList()).as("kept already").isFalse();
    assertThat(cache.filled()).isEqualTo(1);

    assertThat(describe(drain(s))).isEqualTo(replayed);
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isZero();
  }

  @Test
  void aQueryDuringAFillWaitsForItAndIsAnsweredFromIt() throws Exception {
    String location = table("t", 12, 2);
    DeltaTables tables = tables(1 << 24);
    FileListCache cache = tables.fileLists();
    TableSnapshot s = tables.forLocation(location).latest();
    assertThat(cache.beginFill(s)).isTrue();
    assertThat(cache.beginFill(s)).as("one fill at a time").isFalse();

    AtomicReference<Object> answered = new AtomicReference<>();
    Thread query =
        new Thread(
            () -> {
              try {
                answered.set(drain(s));
              } catch (Exception e) {
                answered.set(e);
              }
            });
    query.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (query.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(query.getState())
        .as("the query waits for the fill")
        .isEqualTo(Thread.State.TIMED_WAITING);
    assertThat(answered.get()).isNull();

    // the fill keeps a list of its own objects: the query must answer exactly those
    List<ScanFile> filled = drain(tables(0).forLocation(location).latest());
    cache.put(s, filled, filled.stream().mapToLong(FileListCache::estimate).sum());
    cache.endFill(s, true);
    query.join(10_000);
    assertThat(answered.get()).isInstanceOf(List.class);
    List<?> got = (List<?>) answered.get();
    assertThat(got).hasSize(12);
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i)).isSameAs(filled.get(i));
    }
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isZero();
  }

  @Test
  void aQueryThatCollectsTheListKeepsFillsAwayAndItsListIsKept() throws Exception {
    String location = table("t", 8, 1);
    DeltaTables tables = tables(1 << 24);
    FileListCache cache = tables.fileLists();
    TableSnapshot s = tables.forLocation(location).latest();
    try (CloseableIterator<ScanFile> it = s.scanFiles()) {
      assertThat(it.hasNext()).isTrue();
      it.next();
      assertThat(cache.beginFill(s)).as("a query is replaying this version").isFalse();
      assertThat(s.prepareFileList()).isFalse();
    }
    // the query stopped after one file; closing it collected the rest
    assertThat(cache.entries()).isEqualTo(1);
    assertThat(cache.filled()).isZero();
    assertThat(cache.beginFill(s)).as("kept already").isFalse();
    assertThat(drain(s)).hasSize(8);
  }

  @Test
  void aListOverTheCachesShareStopsItsFillAndReleasesIt() throws Exception {
    String location = table("t", 40, 1);
    List<ScanFile> all = drain(tables(0).forLocation(location).latest());
    long estimate = all.stream().mapToLong(FileListCache::estimate).sum();
    DeltaTables tables = tables(estimate); // one list may take at most half of it
    FileListCache cache = tables.fileLists();
    TableSnapshot s = tables.forLocation(location).latest();
    assertThat(s.prepareFileList()).isFalse();
    assertThat(cache.entries()).isZero();
    assertThat(cache.filled()).isZero();
    assertThat(cache.beginFill(s)).as("the stopped fill released its claim").isTrue();
    cache.endFill(s, false);
    // a query is not held up and answers every file
    assertThat(describe(drain(s))).isEqualTo(describe(all));
    assertThat(cache.misses()).isEqualTo(1);
  }

  @Test
  void noCacheMeansNoFill() throws Exception {
    String location = table("t", 4, 1);
    DeltaTables tables = tables(0);
    TableSnapshot s = tables.forLocation(location).latest();
    assertThat(s.prepareFileList()).isFalse();
    assertThat(tables.fileLists().entries()).isZero();
    assertThat(drain(s)).hasSize(4);
    assertThat(tables.fileLists().filled()).isZero();
  }
}
