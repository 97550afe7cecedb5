package io.lakeshare.server.delta;

import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The replayed file lists of table snapshots, so that repeated queries of an unchanged version (and
 * every page after the first) skip Delta Kernel's log replay. A snapshot is one version of one
 * table, so an entry can never be stale: a new commit is a new snapshot.
 *
 * <p>Bounded twice: by an estimate of the lists' bytes (least recently used lists go first when a
 * new one would exceed it; a list larger than half the budget is not kept), and by the garbage
 * collector, since lists are held through soft references that it clears under memory pressure.
 *
 * <p>A list can also be filled ahead of any query ({@link #beginFill}, the start-up warm-up); a
 * query of that snapshot meanwhile waits for the fill instead of replaying the same log beside it.
 */
public final class FileListCache {
  /** The default budget: a quarter of the maximum heap. */
  public static long defaultMaxBytes() {
    String configured = System.getProperty("lakeshare.fileListCache.maxBytes");
    if (configured != null) {
      return Long.parseLong(configured.trim());
    }
    return Runtime.getRuntime().maxMemory() / 4;
  }

  private record Entry(SoftReference<List<ScanFile>> files, long bytes) {}

  private final long maxBytes;
  private final Map<TableSnapshot, Entry> lru = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder filled = new LongAdder();
  private final Map<TableSnapshot, CountDownLatch> filling = new HashMap<>();
  private final Map<TableSnapshot, Integer> collecting = new HashMap<>();

  public FileListCache(long maxBytes) {
    this.maxBytes = Math.max(0, maxBytes);
  }

  /** The cached file list of {@code snapshot}, or null. Counts a hit or a miss. */
  synchronized List<ScanFile> get(TableSnapshot snapshot) {
    Entry e = lru.get(snapshot);
    List<ScanFile> files = e == null ? null : e.files().get();
    if (e != null && files == null) {
      // cleared by the garbage collector
      lru.remove(snapshot);
      bytes -= e.bytes();
      evictions.increment();
    }
    if (files == null) {
      misses.increment();
    } else {
      hits.increment();
    }
    return files;
  }

  /**
   * Claims the filling of {@code snapshot}'s list ahead of any query; false when it is kept
   * already, another fill runs or a query is collecting it. The claimer must call {@link #endFill}
   * whatever happens. Counts no hit or miss.
   */
  synchronized boolean beginFill(TableSnapshot snapshot) {
    if (maxBytes == 0 || filling.containsKey(snapshot) || collecting.containsKey(snapshot)) {
      return false;
    }
    Entry e = lru.get(snapshot);
    if (e != null && e.files().get() != null) {
      return false;
    }
    filling.put(snapshot, new CountDownLatch(1));
    return true;
  }

  /**
   * Notes that a query collects {@code snapshot}'s list while it answers, so that no fill replays
   * it beside it. Queries do not wait for each other's collection: it goes at the pace of its
   * client.
   */
  synchronized void beginCollect(TableSnapshot snapshot) {
    collecting.merge(snapshot, 1, Integer::sum);
  }

  /** Ends what {@link #beginCollect} began, the list kept or not. */
  synchronized void endCollect(TableSnapshot snapshot) {
    collecting.computeIfPresent(snapshot, (s, n) -> n == 1 ? null : n - 1);
  }

  /**
   * Ends a fill claimed by {@link #beginFill}, kept or not, and wakes the queries waiting for it.
   */
  void endFill(TableSnapshot snapshot, boolean kept) {
    CountDownLatch done;
    synchronized (this) {
      done = filling.remove(snapshot);
    }
    if (kept) {
      filled.increment();
    }
    if (done != null) {
      done.countDown();
    }
  }

  /**
   * Waits up to {@code maxNanos} for a fill of {@code snapshot} in progress, if there is one, so
   * that the caller then finds the list rather than replaying the log a second time.
   */
  void awaitFill(TableSnapshot snapshot, long maxNanos) {
    CountDownLatch done;
    synchronized (this) {
      done = filling.get(snapshot);
    }
    if (done == null) {
      return;
    }
    try {
      done.await(maxNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a list of about {@code estimate} bytes may be kept at all. */
  boolean admits(long estimate) {
    return estimate <= maxBytes / 2;
  }

  /** Keeps the complete file list of {@code snapshot}, evicting the least recently used. */
  synchronized void put(TableSnapshot snapshot, List<ScanFile> files, long estimate) {
    if (!admits(estimate)) {
      return;
    }
    Entry old = lru.remove(snapshot);
    if (old != null) {
      bytes -= old.bytes();
    }
    Iterator<Entry> eldest = lru.values().iterator();
    while (bytes + estimate > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().bytes();
      eldest.remove();
      evictions.increment();
    }
    lru.put(snapshot, new Entry(new SoftReference<>(List.copyOf(files)), estimate));
    bytes += estimate;
  }

  /** Drops the lists of the table locations {@code drop} accepts. */
  synchronized void removeLocations(Predicate<String> drop) {
    Iterator<Map.Entry<TableSnapshot, Entry>> it = lru.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<TableSnapshot, Entry> e = it.next();
      if (drop.test(e.getKey().location())) {
        bytes -= e.getValue().bytes();
        it.remove();
      }
    }
  }

  /** An estimate of the heap a scan file holds (compact Latin-1 strings, object headers). */
  static long estimate(ScanFile f) {
    // the absolute path, and the log path only where it is not the absolute path's end
    long b = 160 + f.absolutePath().length();
    int separate = f.separateLogPathLength();
    if (separate > 0) {
      b += 40 + separate;
    }
    byte[] stats = f.statsJson();
    // the stats once, as the JSON string body the answers copy, and the serialized line parts the
    // answer writer keeps on the file around them: the file id, partition values and size
    b += 200 + (stats == null ? 0 : 16 + stats.length);
    // a listing shares partition names and values between its files (up to a few thousand
    // distinct ones): a singleton map for one column, a small hash table for more
    int partitions = f.partitionValues().size();
    if (partitions == 1) {
      b += 40;
    } else if (partitions > 1) {
      b += 120 + 48L * partitions;
    }
    if (f.extras() != FileExtras.PLAIN) {
      b += 200;
    }
    return b;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** The estimated bytes of the lists held (lists the collector cleared count until next use). */
  public synchronized long bytes() {
    return bytes;
  }

  public synchronized int entries() {
    return lru.size();
  }

  public long hits() {
    return hits.sum();
  }

  public long misses() {
    return misses.sum();
  }

  public long evictions() {
    return evictions.sum();
  }

  /** How many lists were filled ahead of a query (the warm-up) and kept. */
  public long filled() {
    return filled.sum();
  }
}
