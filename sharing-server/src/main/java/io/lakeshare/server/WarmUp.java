package io.lakeshare.server;

import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.delta.FileListCache;
import io.lakeshare.server.delta.TableSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares shared tables in the background so that the first recipient request does not pay for
 * class loading, JIT compilation and the first log replay: first every table's latest snapshot,
 * then (when {@code fileLists} is on) each latest version's file list into the file-list cache, in
 * configuration order, while the cache is less than half full. Nothing waits for it: a request for
 * a table whose list is being filled waits for that fill instead of replaying the log beside it,
 * and any other request is answered as without it. Failures are only logged; the request that needs
 * the table reports them. It ends early, at the next table, once the server stops.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  private final boolean fileLists;
  private final long readyWaitNanos;
  private final BooleanSupplier stopped;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile long startedNanos;

  /**
   * @param fileLists whether the latest file lists are filled too, not only the snapshots
   * @param readyWaitSeconds how long at most after it starts {@link #holdsReadiness()} is true
   *     while it runs
   * @param stopped whether the server has stopped, so that the warm-up ends
   */
  WarmUp(boolean fileLists, int readyWaitSeconds, BooleanSupplier stopped) {
    this.fileLists = fileLists;
    this.readyWaitNanos = TimeUnit.SECONDS.toNanos(readyWaitSeconds);
    this.stopped = stopped;
  }

  /** Starts preparing {@code tables} on a daemon thread; call once. */
  WarmUp start(List<SharedTable> tables, DeltaTables deltaTables) {
    startedNanos = System.nanoTime();
    if (tables.isEmpty()) {
      done.countDown();
      return this;
    }
    Thread t = new Thread(() -> run(tables, deltaTables), "lakeshare-warm-up");
    t.setDaemon(true);
    t.start();
    return this;
  }

  private void run(List<SharedTable> tables, DeltaTables deltaTables) {
    try {
      List<TableSnapshot> latest = new ArrayList<>();
      for (SharedTable table : tables) {
        if (stopped.getAsBoolean()) {
          return;
        }
        try {
          latest.add(deltaTables.forTable(table.config()).latest());
        } catch (RuntimeException e) {
          LOG.warn("Table {} cannot be read yet: {}", table.fullName(), e.getMessage());
        }
      }
      int lists = 0;
      String halted = "";
      if (fileLists) {
        FileListCache cache = deltaTables.fileLists();
        for (TableSnapshot s : latest) {
          if (stopped.getAsBoolean()) {
            return;
          }
          if (cache.bytes() >= cache.maxBytes() / 2) {
            halted = " (stopped with the file-list cache half full)";
            break;
          }
          try {
            if (s.prepareFileList()) {
              lists++;
            }
          } catch (RuntimeException e) {
            LOG.warn("The file list of {} cannot be read yet: {}", s.location(), e.getMessage());
          }
        }
      }
      LOG.info(
          "Warm-up done in {} ms: {} of {} tables' latest snapshots loaded, {} file lists kept{}",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos),
          latest.size(),
          tables.size(),
          lists,
          halted);
    } finally {
      done.countDown();
    }
  }

  /**
   * Whether the server's readiness should still say it is warming: from before it starts until it
   * ends, at most the configured time after it started.
   */
  boolean holdsReadiness() {
    if (done.getCount() == 0 || readyWaitNanos == 0) {
      return false;
    }
    long started = startedNanos;
    return started == 0 || System.nanoTime() - started < readyWaitNanos;
  }

  /** Waits for it to end; for tests. */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return done.await(timeout, unit);
  }
}
