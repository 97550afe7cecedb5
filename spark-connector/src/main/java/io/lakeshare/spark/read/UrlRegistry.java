package io.lakeshare.spark.read;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The URLs of every scan known to this JVM, by scan key. The planning driver registers a scan with
 * its owner object and the registry keeps its URLs fresh while the owner is alive and in use;
 * executors register the URLs their tasks carry and refresh on demand. In local mode both sides
 * share the one registry, so readers see the driver's refreshed URLs without asking the server.
 */
public final class UrlRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(UrlRegistry.class);
  private static final UrlRegistry INSTANCE = new UrlRegistry();
  private static final long TICK_MS = 1_000;

  /** How long a scan whose planning owner is gone stays for tasks that still read it. */
  static final long UNOWNED_GRACE_MS = TimeUnit.MINUTES.toMillis(10);

  private final Map<String, TableUrls> scans = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong refreshes =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile ScheduledExecutorService timer;

  private UrlRegistry() {}

  public static UrlRegistry get() {
    return INSTANCE;
  }

  /**
   * Registers (or adds to) a scan and returns a handle; {@code urls} are merged with known ones.
   */
  public ScanUrls attach(
      String scanKey,
      String tableName,
      UrlRefresher refresher,
      HttpReadSettings settings,
      Map<String, FileUrl> urls) {
    TableUrls t =
        scans.computeIfAbsent(scanKey, k -> new TableUrls(scanKey, tableName, refresher, settings));
    t.offer(urls);
    return new ScanUrls(t);
  }

  /**
   * Registers the planning side of a scan: while {@code owner} is reachable and the scan was read
   * within {@code accessThresholdMs}, URLs are refreshed when they come within {@code
   * refreshThresholdMs} (or half their remaining life at planning, if shorter) of expiry.
   */
  public ScanUrls attachOwned(
      String scanKey,
      String tableName,
      UrlRefresher refresher,
      HttpReadSettings settings,
      Map<String, FileUrl> urls,
      Object owner,
      long refreshThresholdMs,
      long accessThresholdMs) {
    ScanUrls s = attach(scanKey, tableName, refresher, settings, urls);
    s.table.ownedBy(owner);
    s.table.policy = new RefreshPolicy(refreshThresholdMs, accessThresholdMs);
    ensureTimer();
    return s;
  }

  /** URL refreshes done in this JVM since it started (monitoring and tests). */
  public long totalRefreshes() {
    return refreshes.get();
  }

  void countRefresh() {
    refreshes.incrementAndGet();
  }

  TableUrls lookup(String scanKey) {
    return scans.get(scanKey);
  }

  /** Forgets a scan (tests, or when its owner is closed). */
  public void forget(String scanKey) {
    TableUrls t = scans.remove(scanKey);
    if (t != null) {
      t.release();
    }
  }

  private void drop(TableUrls t) {
    if (scans.remove(t.scanKey(), t)) {
      t.release();
    }
  }

  private synchronized void ensureTimer() {
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "lakeshare-url-refresher");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void tick() {
    sweep(System.currentTimeMillis());
  }

  /**
   * One pass of the refresher at {@code now}: refreshes what is about to expire and forgets what is
   * no longer used. A scan whose planning owner is gone is no longer refreshed ahead of time but is
   * kept while tasks still read it (in local mode they share this entry), until it has been unused
   * for {@link #UNOWNED_GRACE_MS}.
   */
  void sweep(long now) {
    for (TableUrls t : scans.values()) {
      try {
        RefreshPolicy p = t.policy;
        if (p == null) {
          // executor-side entry: forget it when unused for an hour
          if (now - t.lastAccessMillis() > TimeUnit.HOURS.toMillis(1)) {
            drop(t);
          }
          continue;
        }
        if (!t.isOwned()) {
          if (now - t.lastAccessMillis() > UNOWNED_GRACE_MS) {
            drop(t);
          }
          continue;
        }
        if (now - t.lastAccessMillis() > p.accessThresholdMs) {
          drop(t);
          continue;
        }
        long expiry = t.earliestExpiry();
        if (expiry == Long.MAX_VALUE) {
          continue;
        }
        long life = expiry - t.lastRefreshMillis();
        long threshold = Math.min(p.refreshThresholdMs, Math.max(life / 2, 1_000));
        if (expiry - now <= threshold) {
          t.refreshAll();
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "Could not refresh the URLs of Delta Sharing table {}: {}",
            t.tableName(),
            e.toString());
      }
    }
  }

  record RefreshPolicy(long refreshThresholdMs, long accessThresholdMs) {}

  /** A registered scan. */
  public static final class ScanUrls {
    final TableUrls table;

    ScanUrls(TableUrls table) {
      this.table = table;
    }

    /** Times the URLs were fetched again in this JVM. */
    public int refreshCount() {
      return table.refreshCount();
    }

    /** Marks the scan as read now, so that it is not forgotten. */
    public void touch() {
      table.touch();
    }
  }
}
