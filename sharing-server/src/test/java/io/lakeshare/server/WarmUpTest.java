package io.lakeshare.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.config.TableConfig;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.delta.HandWrittenLog;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up warm-up: what it prepares, and how long it holds readiness back. */
class WarmUpTest {
  @TempDir Path dir;

  private SharedTable table(String name, int files) throws Exception {
    String location = HandWrittenLog.write(dir.resolve(name), files, 1);
    return new SharedTable("s", "a", new TableConfig(name, location, null, false, 0));
  }

  @Test
  void itFillsTheLatestFileListsAndHoldsReadinessAtMostItsWait() throws Exception {
    DeltaTables tables = new DeltaTables();
    List<SharedTable> shared = List.of(table("t", 20), table("u", 5));
    WarmUp warmUp = new WarmUp(true, 1, () -> false);
    assertThat(warmUp.holdsReadiness()).as("before it starts").isTrue();
    // holding the cache's monitor stops the warm-up at its first fill
    synchronized (tables.fileLists()) {
      warmUp.start(shared, tables);
      assertThat(warmUp.await(200, TimeUnit.MILLISECONDS)).isFalse();
      assertThat(warmUp.holdsReadiness()).isTrue();
      Thread.sleep(1100);
      assertThat(warmUp.await(0, TimeUnit.MILLISECONDS)).as("still running").isFalse();
      assertThat(warmUp.holdsReadiness()).as("its wait of 1 s is over").isFalse();
    }
    assertThat(warmUp.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(warmUp.holdsReadiness()).isFalse();
    assertThat(tables.fileLists().filled()).isEqualTo(2);
    assertThat(tables.fileLists().entries()).isEqualTo(2);
    assertThat(tables.fileLists().misses()).isZero();
  }

  @Test
  void withoutFileListsOnlySnapshotsAreLoadedAndAFailingTableDoesNotStopIt() throws Exception {
    DeltaTables tables = new DeltaTables();
    SharedTable missing =
        new SharedTable(
            "s", "a", new TableConfig("gone", dir.resolve("gone").toString(), null, false, 0));
    SharedTable t = table("t", 3);
    WarmUp warmUp = new WarmUp(false, 0, () -> false).start(List.of(missing, t), tables);
    assertThat(warmUp.holdsReadiness()).as("a wait of 0 holds nothing").isFalse();
    assertThat(warmUp.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tables.fileLists().entries()).isZero();
    assertThat(tables.stats().misses()).as("the snapshot of t was loaded").isEqualTo(1);
  }

  @Test
  void filledListsStopWhenTheCacheIsHalfFull() throws Exception {
    System.setProperty("lakeshare.fileListCache.maxBytes", "40000");
    DeltaTables tables;
    try {
      tables = new DeltaTables();
    } finally {
      System.clearProperty("lakeshare.fileListCache.maxBytes");
    }
    // each list takes about a third of the budget: the second fill makes the cache half full
    List<SharedTable> shared = List.of(table("a", 30), table("b", 30), table("c", 30));
    WarmUp warmUp = new WarmUp(true, 0, () -> false).start(shared, tables);
    assertThat(warmUp.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tables.fileLists().bytes()).isGreaterThanOrEqualTo(20000);
    assertThat(tables.fileLists().filled()).isEqualTo(2);
  }

  @Test
  void aStoppedServersWarmUpEndsAtTheNextTable() throws Exception {
    DeltaTables tables = new DeltaTables();
    java.util.concurrent.atomic.AtomicBoolean stopped =
        new java.util.concurrent.atomic.AtomicBoolean();
    List<SharedTable> shared = List.of(table("a", 4), table("b", 4), table("c", 4));
    WarmUp warmUp = new WarmUp(true, 60, stopped::get);
    synchronized (tables.fileLists()) {
      // it loads the three snapshots, then waits here to fill the first list
      warmUp.start(shared, tables);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (tables.stats().misses() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      stopped.set(true);
    }
    assertThat(warmUp.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(warmUp.holdsReadiness()).isFalse();
    assertThat(tables.fileLists().filled())
        .as("the fill under way ends, no other starts")
        .isEqualTo(1);
  }
}
