package io.lakeshare.server.delta;

import java.lang.ref.SoftReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    if (!f.absolutePath().endsWith(f.logPath())) {
      b += 40 + f.logPath().length();
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
}
