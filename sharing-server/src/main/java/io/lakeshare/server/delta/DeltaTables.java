package io.lakeshare.server.delta;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.lakeshare.server.storage.ObjectStore;
import io.lakeshare.server.storage.StorageAccessException;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;

/**
 * The only entry point to Delta Kernel: one {@link DeltaTable} per table location, sharing one
 * engine. Handles are kept for the server's life; each caches its latest snapshot.
 */
public final class DeltaTables {
  private final Engine engine;
  private final Configuration hadoopConf;
  private final Duration refreshInterval;
  private final Function<String, ObjectStore> stores;
  private final ConcurrentMap<String, DeltaTable> tables = new ConcurrentHashMap<>();
  private final Stats stats = new Stats();

  /**
   * Snapshot cache figures of every table: requests answered from a cached snapshot (hits), those
   * that loaded or replayed the log (misses), and the time spent loading.
   */
  public static final class Stats {
    final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder misses =
        new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder loadNanos =
        new java.util.concurrent.atomic.LongAdder();

    public long hits() {
      return hits.sum();
    }

    public long misses() {
      return misses.sum();
    }

    public long loadNanos() {
      return loadNanos.sum();
    }
  }

  public Stats stats() {
    return stats;
  }

  private final FileListCache fileLists = new FileListCache(FileListCache.defaultMaxBytes());

  /** The replayed file lists of recent snapshots, shared by every table. */
  public FileListCache fileLists() {
    return fileLists;
  }

  private final Map<ObjectStore, Engine> storeEngines = new IdentityHashMap<>();

  /**
   * @param refreshInterval how long a cached latest snapshot is trusted without checking the log
   *     for new commits; zero checks on every request
   */
  public DeltaTables(Configuration hadoopConf, Duration refreshInterval) {
    this(hadoopConf, refreshInterval, location -> null);
  }

  /**
   * @param stores the object store that holds a normalized table location, or null to read it
   *     through Hadoop file systems configured by {@code hadoopConf}
   */
  public DeltaTables(
      Configuration hadoopConf, Duration refreshInterval, Function<String, ObjectStore> stores) {
    this.engine = DefaultEngine.create(hadoopConf);
    this.hadoopConf = hadoopConf;
    this.refreshInterval = refreshInterval;
    this.stores = stores;
  }

  public DeltaTables() {
    this(new Configuration(), Duration.ZERO);
  }

  /** The handle for a table location (plain local path, {@code file:} URI or other URI). */
  public DeltaTable forLocation(String location) {
    String normalized = normalizeLocation(location);
    return tables.computeIfAbsent(
        normalized,
        loc -> new DeltaTable(loc, engineFor(loc), refreshInterval.toNanos(), stats, fileLists));
  }

  private final ConcurrentMap<ParquetKey, io.lakeshare.server.parquet.ParquetTable> parquetTables =
      new ConcurrentHashMap<>();

  private record ParquetKey(String location, Map<String, String> types, long refreshSeconds) {
    static ParquetKey of(io.lakeshare.server.config.TableConfig cfg) {
      return new ParquetKey(
          normalizeLocation(cfg.location()),
          cfg.partitionColumnTypes(),
          cfg.listingRefreshSeconds());
    }
  }

  /**
   * The data of a configured table: the Delta table at its location, or for {@code format: parquet}
   * the listing of its directory (one handle per location and settings).
   */
  public TableSource forTable(io.lakeshare.server.config.TableConfig cfg) {
    if (!cfg.isParquet()) {
      return forLocation(cfg.location());
    }
    return parquetTables.computeIfAbsent(
        ParquetKey.of(cfg),
        k ->
            new io.lakeshare.server.parquet.ParquetTable(
                k.location(),
                parquetFiles(k.location()),
                k.types(),
                Duration.ofSeconds(k.refreshSeconds())));
  }

  private io.lakeshare.server.parquet.ParquetFiles parquetFiles(String location) {
    ObjectStore store = stores.apply(location);
    if (store != null) {
      return io.lakeshare.server.parquet.ParquetFiles.of(store);
    }
    if (location.startsWith("file:")) {
      return io.lakeshare.server.parquet.ParquetFiles.local();
    }
    return io.lakeshare.server.parquet.ParquetFiles.hadoop(hadoopConf);
  }

  /**
   * Drops the cached handles (and their snapshots) of the locations {@code drop} accepts: tables no
   * longer shared after a config reload, or read through a client the reload replaced.
   */
  public void evict(java.util.function.Predicate<String> drop) {
    tables.keySet().removeIf(drop);
    parquetTables.keySet().removeIf(k -> drop.test(k.location()));
    fileLists.removeLocations(drop);
  }

  /**
   * Drops the handles of Parquet tables no entry of {@code configured} asks for: after a reload
   * that changed a table's declared partition types or listing refresh, the handle (and the
   * snapshots it keeps) of the old settings is no longer reachable from the config.
   */
  public void retainParquet(
      java.util.Collection<io.lakeshare.server.config.TableConfig> configured) {
    java.util.Set<ParquetKey> keep = new java.util.HashSet<>();
    for (io.lakeshare.server.config.TableConfig cfg : configured) {
      if (cfg.isParquet()) {
        keep.add(ParquetKey.of(cfg));
      }
    }
    parquetTables.keySet().retainAll(keep);
  }

  /** How many Parquet table handles are kept (for tests and metrics). */
  public int parquetHandles() {
    return parquetTables.size();
  }

  /** Forgets the engines of object stores that are closed. */
  public void forgetStores(java.util.Collection<ObjectStore> closed) {
    synchronized (storeEngines) {
      for (ObjectStore s : closed) {
        storeEngines.remove(s);
      }
    }
  }

  /** One engine per object store, so tables in the same account share clients and caches. */
  private Engine engineFor(String location) {
    ObjectStore store = stores.apply(location);
    if (store == null) {
      return engine;
    }
    synchronized (storeEngines) {
      return storeEngines.computeIfAbsent(
          store, s -> DefaultEngine.create(new ObjectStoreFileIO(s)));
    }
  }

  /** Plain paths become absolute {@code file:} URIs without a trailing slash. */
  public static String normalizeLocation(String location) {
    String loc = location.trim();
    boolean hasScheme =
        loc.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !loc.matches("^[a-zA-Z]:\\\\.*");
    String result;
    if (!hasScheme) {
      result = Path.of(loc).toAbsolutePath().normalize().toUri().toString();
    } else if (loc.startsWith("file:")) {
      result = Path.of(URI.create(loc.replace(" ", "%20"))).normalize().toUri().toString();
    } else {
      result = loc;
    }
    while (result.endsWith("/") && !result.endsWith(":/") && !result.endsWith("://")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }

  private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  static RuntimeException translate(RuntimeException e, String location) {
    if (e instanceof DeltaTableException) {
      return e;
    }
    if (e instanceof io.delta.kernel.exceptions.UnsupportedTableFeatureException u) {
      return new DeltaTableException(
          DeltaTableException.Kind.UNSUPPORTED,
          "it needs the table features "
              + new java.util.TreeSet<>(u.getUnsupportedFeatures())
              + ", which the Delta Kernel version of this server cannot read",
          e);
    }
    if (e instanceof io.delta.kernel.exceptions.UnsupportedProtocolVersionException) {
      return new DeltaTableException(
          DeltaTableException.Kind.UNSUPPORTED,
          DeltaErrorsMapper.scrub(e.getMessage(), location),
          e);
    }
    if (e instanceof TableNotFoundException) {
      return new DeltaTableException(
          DeltaTableException.Kind.TABLE_NOT_FOUND, "no Delta table at the configured location", e);
    }
    StorageAccessException denied = findCause(e, StorageAccessException.class);
    if (denied != null) {
      return new DeltaTableException(DeltaTableException.Kind.STORAGE, denied.getMessage(), e);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof FileNotFoundException || root instanceof UncheckedIOException) {
        break;
      }
      root = root.getCause();
    }
    if (root instanceof FileNotFoundException
        || (e instanceof UncheckedIOException && e.getCause() instanceof FileNotFoundException)) {
      return new DeltaTableException(DeltaTableException.Kind.STORAGE, "table files missing", e);
    }
    if (e instanceof KernelException) {
      return new DeltaTableException(
          DeltaTableException.Kind.STORAGE, DeltaErrorsMapper.scrub(e.getMessage(), location), e);
    }
    return e;
  }
}
