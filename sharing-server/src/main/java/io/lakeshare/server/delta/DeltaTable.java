package io.lakeshare.server.delta;

import io.delta.kernel.Snapshot;
import io.delta.kernel.SnapshotBuilder;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.Protocol;
import io.delta.kernel.internal.util.FileNames;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Delta table location. Keeps the latest snapshot and brings it up to date incrementally: a
 * request first lists the log after the cached version (one listing call); only when new commits
 * exist is a new snapshot built, and when those commits change neither protocol nor metadata the
 * cached protocol and metadata are handed to Kernel so that it does not replay them again.
 */
public final class DeltaTable implements TableSource {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaTable.class);
  private static final int VERSION_CACHE_SIZE = 16;
  private static final StructType PROTOCOL_AND_METADATA =
      new StructType().add("protocol", Protocol.FULL_SCHEMA).add("metaData", Metadata.FULL_SCHEMA);

  private final String location;
  private final String logDir;
  private final Engine engine;
  private final long refreshIntervalNanos;
  private final Object refreshLock = new Object();
  private volatile TableSnapshot latest;
  private volatile long checkedAtNanos;
  private final Map<Long, TableSnapshot> byVersion =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, TableSnapshot> eldest) {
          return size() > VERSION_CACHE_SIZE;
        }
      };

  private final DeltaTables.Stats stats;
  private final FileListCache fileLists;

  DeltaTable(String location, Engine engine, long refreshIntervalNanos) {
    this(
        location,
        engine,
        refreshIntervalNanos,
        new DeltaTables.Stats(),
        new FileListCache(FileListCache.defaultMaxBytes()));
  }

  DeltaTable(
      String location,
      Engine engine,
      long refreshIntervalNanos,
      DeltaTables.Stats stats,
      FileListCache fileLists) {
    this.stats = stats;
    this.fileLists = fileLists;
    this.location = location;
    this.logDir = location + "/_delta_log";
    this.engine = engine;
    this.refreshIntervalNanos = refreshIntervalNanos;
  }

  @Override
  public String location() {
    return location;
  }

  /** The latest snapshot; new commits are visible on the next call. */
  @Override
  public TableSnapshot latest() {
    TableSnapshot cached = latest;
    if (cached != null && System.nanoTime() - checkedAtNanos < refreshIntervalNanos) {
      stats.hits.increment();
      return cached;
    }
    synchronized (refreshLock) {
      cached = latest;
      try {
        long start = System.nanoTime();
        TableSnapshot fresh = cached == null ? load(null) : refresh(cached);
        if (fresh == cached) {
          stats.hits.increment();
        } else {
          stats.misses.increment();
          stats.loadNanos.add(System.nanoTime() - start);
        }
        latest = fresh;
        checkedAtNanos = System.nanoTime();
        remember(fresh);
        return fresh;
      } catch (RuntimeException e) {
        throw DeltaTables.translate(e, location);
      }
    }
  }

  /** The snapshot at a version; fails with {@code VERSION_NOT_FOUND} when it cannot be loaded. */
  @Override
  public TableSnapshot atVersion(long version) {
    TableSnapshot cached;
    synchronized (byVersion) {
      cached = byVersion.get(version);
    }
    if (cached != null) {
      stats.hits.increment();
      return cached;
    }
    TableSnapshot head = latest();
    if (version > head.version()) {
      throw new DeltaTableException(
          DeltaTableException.Kind.VERSION_NOT_FOUND,
          "Cannot load table version " + version + ": the latest version is " + head.version(),
          null);
    }
    if (version == head.version()) {
      return head;
    }
    try {
      long start = System.nanoTime();
      TableSnapshot s = load(version);
      stats.misses.increment();
      stats.loadNanos.add(System.nanoTime() - start);
      remember(s);
      return s;
    } catch (KernelException e) {
      throw new DeltaTableException(
          DeltaTableException.Kind.VERSION_NOT_FOUND,
          "Cannot load table version "
              + version
              + ": it is no longer available in the table's history",
          e);
    } catch (RuntimeException e) {
      throw DeltaTables.translate(e, location);
    }
  }

  /** Latest version committed at or before {@code millis} (time travel rule). */
  @Override
  public long versionAtOrBefore(long millis) {
    TableSnapshot head = latest();
    if (millis > head.timestamp()) {
      throw new DeltaTableException(
          DeltaTableException.Kind.TIMESTAMP_AFTER_LATEST,
          "The provided timestamp ("
              + java.time.Instant.ofEpochMilli(millis)
              + ") is after the latest available version "
              + head.version()
              + " committed at "
              + java.time.Instant.ofEpochMilli(head.timestamp()),
          null);
    }
    try {
      Snapshot s =
          TableManager.loadSnapshot(location)
              .atTimestamp(millis, head.kernelSnapshot())
              .build(engine);
      TableSnapshot ts = new DeltaSnapshot(s, engine, location, fileLists);
      remember(ts);
      return ts.version();
    } catch (KernelException e) {
      throw new DeltaTableException(
          DeltaTableException.Kind.TIMESTAMP_BEFORE_FIRST,
          "The provided timestamp ("
              + java.time.Instant.ofEpochMilli(millis)
              + ") is before the earliest available version of the table",
          e);
    }
  }

  /**
   * Earliest version committed at or after {@code millis} (table-version rule of the protocol); a
   * timestamp before the first commit yields the earliest available version.
   */
  @Override
  public long versionAtOrAfter(long millis) {
    TableSnapshot head = latest();
    if (millis > head.timestamp()) {
      throw new DeltaTableException(
          DeltaTableException.Kind.TIMESTAMP_AFTER_LATEST,
          "The provided timestamp ("
              + java.time.Instant.ofEpochMilli(millis)
              + ") is after the latest version available ("
              + head.version()
              + ")",
          null);
    }
    long before;
    try {
      before = versionAtOrBefore(millis);
    } catch (DeltaTableException e) {
      if (e.kind() == DeltaTableException.Kind.TIMESTAMP_BEFORE_FIRST) {
        return earliestVersion();
      }
      throw e;
    }
    TableSnapshot s = atVersion(before);
    return s.timestamp() == millis ? before : before + 1;
  }

  /** The commit time of a version in epoch milliseconds. */
  @Override
  public long timestampOf(long version) {
    return atVersion(version).timestamp();
  }

  /**
   * The commits of versions {@code [from, to]}, read one at a time; {@code start} is the snapshot
   * at {@code from} when the caller has it (Kernel checks it), else null.
   *
   * @throws DeltaTableException {@code HISTORY_MISSING} when a commit file of the range is gone
   */
  @Override
  public ChangeRange changes(long from, long to, TableSnapshot start) {
    return ChangeRange.open(
        engine, location, from, to, start == null ? null : start.kernelSnapshot());
  }

  /** The first version whose commit file or checkpoint is still in the log. */
  @Override
  public long earliestVersion() {
    try (CloseableIterator<FileStatus> it =
        engine.getFileSystemClient().listFrom(logDir + "/" + String.format("%020d", 0))) {
      long earliest = Long.MAX_VALUE;
      while (it.hasNext()) {
        String name = fileName(it.next().getPath());
        if (FileNames.isCommitFile(name)) {
          earliest = Math.min(earliest, FileNames.deltaVersion(name));
          break;
        } else if (FileNames.isCheckpointFile(name)) {
          earliest = Math.min(earliest, FileNames.checkpointVersion(name));
        }
      }
      return earliest == Long.MAX_VALUE ? 0 : earliest;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TableSnapshot load(Long version) {
    SnapshotBuilder b = TableManager.loadSnapshot(location);
    if (version != null) {
      b = b.atVersion(version);
    }
    return new DeltaSnapshot(b.build(engine), engine, location, fileLists);
  }

  private TableSnapshot refresh(TableSnapshot cached) {
    List<FileStatus> newCommits = commitsAfter(cached.version());
    if (newCommits.isEmpty()) {
      return cached;
    }
    long first = FileNames.deltaVersion(fileName(newCommits.get(0).getPath()));
    long newVersion =
        FileNames.deltaVersion(fileName(newCommits.get(newCommits.size() - 1).getPath()));
    if (first != cached.version() + 1 || !contiguous(newCommits)) {
      // A gap means the log was rewritten (e.g. cleaned up); rebuild from scratch.
      return load(null);
    }
    if (changesProtocolOrMetadata(newCommits)) {
      LOG.debug("{}: protocol or metadata changed after v{}", location, cached.version());
      return load(null);
    }
    try {
      Snapshot old = cached.kernelSnapshot();
      Snapshot s =
          TableManager.loadSnapshot(location)
              .atVersion(newVersion)
              .withProtocolAndMetadata(old.getProtocol(), old.getMetadata())
              .build(engine);
      return new DeltaSnapshot(s, engine, location, fileLists);
    } catch (RuntimeException e) {
      LOG.debug("{}: incremental snapshot update failed, reloading: {}", location, e.toString());
      return load(null);
    }
  }

  private static boolean contiguous(List<FileStatus> commits) {
    long prev = -1;
    for (FileStatus f : commits) {
      long v = FileNames.deltaVersion(fileName(f.getPath()));
      if (prev >= 0 && v != prev + 1) {
        return false;
      }
      prev = v;
    }
    return true;
  }

  private List<FileStatus> commitsAfter(long version) {
    List<FileStatus> commits = new ArrayList<>();
    try (CloseableIterator<FileStatus> it =
        engine
            .getFileSystemClient()
            .listFrom(
                FileNames.listingPrefix(
                    new io.delta.kernel.internal.fs.Path(logDir), version + 1))) {
      while (it.hasNext()) {
        FileStatus f = it.next();
        String name = fileName(f.getPath());
        if (FileNames.isCommitFile(name) && FileNames.deltaVersion(name) > version) {
          commits.add(f);
        }
      }
    } catch (java.io.FileNotFoundException e) {
      throw new DeltaTableException(
          DeltaTableException.Kind.TABLE_NOT_FOUND, "no Delta table at the configured location", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    commits.sort(
        java.util.Comparator.comparingLong(f -> FileNames.deltaVersion(fileName(f.getPath()))));
    return commits;
  }

  private boolean changesProtocolOrMetadata(List<FileStatus> commits) {
    try (CloseableIterator<ColumnarBatch> batches =
        engine
            .getJsonHandler()
            .readJsonFiles(
                io.delta.kernel.internal.util.Utils.toCloseableIterator(commits.iterator()),
                PROTOCOL_AND_METADATA,
                Optional.empty())) {
      while (batches.hasNext()) {
        ColumnarBatch batch = batches.next();
        ColumnVector protocol = batch.getColumnVector(0);
        ColumnVector metadata = batch.getColumnVector(1);
        for (int i = 0; i < batch.getSize(); i++) {
          if (!protocol.isNullAt(i) || !metadata.isNullAt(i)) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void remember(TableSnapshot s) {
    synchronized (byVersion) {
      byVersion.put(s.version(), s);
    }
  }

  private static String fileName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
