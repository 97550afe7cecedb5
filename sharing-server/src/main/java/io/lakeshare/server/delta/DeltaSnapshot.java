package io.lakeshare.server.delta;

import io.delta.kernel.Snapshot;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.Protocol;
import io.delta.kernel.internal.checksum.CRCInfo;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/** A version of a Delta table read by Kernel: protocol, metadata and a streaming file listing. */
final class DeltaSnapshot extends TableSnapshot {
  private static final StructType ADD_SCHEMA =
      (StructType)
          InternalScanFileUtils.SCAN_FILE_SCHEMA_WITH_STATS
              .at(InternalScanFileUtils.ADD_FILE_ORDINAL)
              .getDataType();
  private static final int PATH = ADD_SCHEMA.indexOf("path");
  private static final int PARTITION_VALUES = ADD_SCHEMA.indexOf("partitionValues");
  private static final int SIZE = ADD_SCHEMA.indexOf("size");
  private static final int MODIFICATION_TIME = ADD_SCHEMA.indexOf("modificationTime");
  private static final int DATA_CHANGE = ADD_SCHEMA.indexOf("dataChange");
  private static final int DELETION_VECTOR = ADD_SCHEMA.indexOf("deletionVector");
  private static final int TAGS = ADD_SCHEMA.indexOf("tags");
  private static final int BASE_ROW_ID = ADD_SCHEMA.indexOf("baseRowId");
  private static final int DEFAULT_ROW_COMMIT_VERSION =
      ADD_SCHEMA.indexOf("defaultRowCommitVersion");
  private static final int STATS = ADD_SCHEMA.indexOf("stats");

  /**
   * How long a query waits for a warm-up that is filling the same version's list before it replays
   * the log itself.
   */
  private static final long FILL_WAIT_NANOS = 120_000_000_000L;

  private static final int TABLE_ROOT =
      InternalScanFileUtils.SCAN_FILE_SCHEMA_WITH_STATS.indexOf("tableRoot");

  private final Snapshot snapshot;
  private final Engine engine;
  private final FileListCache fileLists;
  private volatile Long timestamp;
  private volatile long[] sizeAndCount;

  DeltaSnapshot(Snapshot snapshot, Engine engine, String location, FileListCache fileLists) {
    super(location);
    this.snapshot = snapshot;
    this.engine = engine;
    this.fileLists = fileLists;
  }

  @Override
  Snapshot kernelSnapshot() {
    return snapshot;
  }

  @Override
  public long version() {
    return snapshot.getVersion();
  }

  /** Commit time of this version in epoch milliseconds (in-commit timestamp when enabled). */
  @Override
  public long timestamp() {
    Long t = timestamp;
    if (t == null) {
      t = snapshot.getTimestamp(engine);
      timestamp = t;
    }
    return t;
  }

  @Override
  public String metadataId() {
    return metadata().getId();
  }

  @Override
  public String name() {
    return metadata().getName().orElse(null);
  }

  @Override
  public String description() {
    return metadata().getDescription().orElse(null);
  }

  @Override
  public String schemaString() {
    return metadata().getSchemaString();
  }

  @Override
  public List<String> partitionColumns() {
    return snapshot.getPartitionColumnNames();
  }

  @Override
  public Map<String, String> properties() {
    return Collections.unmodifiableMap(metadata().getConfiguration());
  }

  @Override
  public int minReaderVersion() {
    return protocol().getMinReaderVersion();
  }

  @Override
  public int minWriterVersion() {
    return protocol().getMinWriterVersion();
  }

  @Override
  public Set<String> readerFeatures() {
    return protocol().getReaderFeatures();
  }

  @Override
  public Set<String> writerFeatures() {
    return protocol().getWriterFeatures();
  }

  @Override
  public Long createdTime() {
    return metadata().getCreatedTime().orElse(null);
  }

  /** The metadata action's {@code format}: provider and options. */
  @Override
  public io.lakeshare.protocol.model.Format format() {
    io.delta.kernel.internal.actions.Format f = metadata().getFormat();
    return new io.lakeshare.protocol.model.Format(f.getProvider(), f.getOptions());
  }

  /**
   * Bytes and number of the active files: from the version's checksum file when the writer left
   * one, else counted once by a listing and remembered.
   */
  @Override
  public long[] sizeAndFileCount() {
    long[] known = sizeAndCount;
    if (known != null) {
      return known;
    }
    Optional<CRCInfo> crc = crcInfo();
    if (crc.isPresent()) {
      known = new long[] {crc.get().getTableSizeBytes(), crc.get().getNumFiles()};
    } else {
      long bytes = 0;
      long files = 0;
      try (CloseableIterator<ScanFile> it = scanFiles()) {
        while (it.hasNext()) {
          bytes += it.next().size();
          files++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      known = new long[] {bytes, files};
    }
    sizeAndCount = known;
    return known;
  }

  /**
   * Whether some active file may carry a deletion vector: false only when the protocol has no
   * deletion vectors or the version's checksum file counts none.
   */
  @Override
  public boolean mayHaveDeletionVectors() {
    boolean declared =
        readerFeatures().stream().anyMatch(f -> f.equalsIgnoreCase("deletionVectors"));
    if (!declared) {
      return false;
    }
    Optional<CRCInfo> crc = crcInfo();
    return crc.isEmpty()
        || crc.get().getNumDeletionVectors().isEmpty()
        || crc.get().getNumDeletionVectors().get() > 0;
  }

  private Optional<CRCInfo> crcInfo() {
    try {
      if (snapshot instanceof SnapshotImpl impl) {
        return impl.getCurrentCrcInfo();
      }
    } catch (RuntimeException e) {
      // a checksum file is an optimization: an unreadable one is as good as none
    }
    return Optional.empty();
  }

  /** The protocol of this version. */
  @Override
  public ProtocolInfo protocolInfo() {
    return ProtocolInfo.of(protocol());
  }

  /** The metadata of this version. */
  @Override
  public MetadataInfo metadataInfo() {
    return new MetadataInfo(
        metadataId(),
        name(),
        description(),
        schemaString(),
        partitionColumns(),
        properties(),
        createdTime(),
        format());
  }

  private Metadata metadata() {
    return snapshot.getMetadata();
  }

  private Protocol protocol() {
    return snapshot.getProtocol();
  }

  /**
   * Streams the active files of this version in log-replay order. The order is deterministic for a
   * given version, which is what paginated answers rely on. The caller must close the iterator.
   */
  @Override
  public CloseableIterator<ScanFile> scanFiles() {
    fileLists.awaitFill(this, FILL_WAIT_NANOS);
    List<ScanFile> cached = fileLists.get(this);
    if (cached != null) {
      java.util.Iterator<ScanFile> it = cached.iterator();
      return new CloseableIterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public ScanFile next() {
          return it.next();
        }

        @Override
        public void close() {}
      };
    }
    return new Collecting(replay());
  }

  /**
   * Replays this version's file list into the cache ahead of any query, unless it is kept already,
   * is being filled, or turns out larger than the cache's share for one list (the replay then stops
   * there). A query of this snapshot meanwhile waits for it.
   *
   * @return whether the list is now kept
   */
  @Override
  public boolean prepareFileList() {
    if (!fileLists.beginFill(this)) {
      return false;
    }
    boolean kept = false;
    try (Collecting list = new Collecting(replay())) {
      while (list.collecting() && list.hasNext()) {
        list.next();
      }
      kept = list.kept;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      fileLists.endFill(this, kept);
    }
    return kept;
  }

  /**
   * A replay that keeps what it hands out and, once complete, gives the list to the cache. A caller
   * that stops early (a page) has the rest replayed when it closes the iterator, so the next pages
   * are answered from the list; a list beyond the cache's share is not collected further.
   */
  private final class Collecting implements CloseableIterator<ScanFile> {
    private final CloseableIterator<ScanFile> replay;
    private List<ScanFile> files = new ArrayList<>();
    private long estimate;
    private boolean exhausted;

    /** Whether the complete list went to the cache. */
    boolean kept;

    Collecting(CloseableIterator<ScanFile> replay) {
      this.replay = replay;
      if (fileLists.maxBytes() == 0) {
        files = null;
      } else {
        fileLists.beginCollect(DeltaSnapshot.this);
      }
    }

    /** Whether it still collects: not stopped, and the list so far within one list's share. */
    boolean collecting() {
      return files != null;
    }

    /** Ends the collection, keeping the list when it is complete. */
    private void stop(boolean complete) {
      if (files != null) {
        if (complete) {
          fileLists.put(DeltaSnapshot.this, files, estimate);
          kept = true;
        }
        files = null;
        fileLists.endCollect(DeltaSnapshot.this);
      }
    }

    @Override
    public boolean hasNext() {
      if (replay.hasNext()) {
        return true;
      }
      if (!exhausted) {
        exhausted = true;
        stop(true);
      }
      return false;
    }

    @Override
    public ScanFile next() {
      ScanFile f = replay.next();
      keep(f);
      return f;
    }

    private void keep(ScanFile f) {
      if (files != null) {
        estimate += FileListCache.estimate(f);
        if (fileLists.admits(estimate)) {
          files.add(f);
        } else {
          stop(false);
        }
      }
    }

    @Override
    public void close() throws IOException {
      try {
        if (files != null && !exhausted) {
          try {
            while (files != null && replay.hasNext()) {
              keep(replay.next());
            }
            stop(true);
          } catch (RuntimeException e) {
            // the answer is complete; only the cache entry is lost
            stop(false);
          }
        }
      } finally {
        stop(false);
        replay.close();
      }
    }
  }

  private CloseableIterator<ScanFile> replay() {
    CloseableIterator<FilteredColumnarBatch> batches;
    try {
      batches = snapshot.getScanBuilder().build().getScanFiles(engine, true);
    } catch (RuntimeException e) {
      throw DeltaTables.translate(e, location());
    }
    return new ScanFileIterator(batches);
  }

  private final class ScanFileIterator implements CloseableIterator<ScanFile> {
    private final CloseableIterator<FilteredColumnarBatch> batches;
    private CloseableIterator<Row> rows;
    private ScanFile next;
    private final ListingStrings paths = new ListingStrings();

    ScanFileIterator(CloseableIterator<FilteredColumnarBatch> batches) {
      this.batches = batches;
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null) {
          if (rows != null && rows.hasNext()) {
            next = toScanFile(rows.next(), paths);
          } else {
            if (rows != null) {
              rows.close();
              rows = null;
            }
            if (!batches.hasNext()) {
              return false;
            }
            rows = batches.next().getRows();
          }
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        throw DeltaTables.translate(e, location());
      }
    }

    @Override
    public ScanFile next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ScanFile f = next;
      next = null;
      return f;
    }

    @Override
    public void close() throws IOException {
      try {
        if (rows != null) {
          rows.close();
        }
      } finally {
        batches.close();
      }
    }
  }

  private static ScanFile toScanFile(Row scanRow, ListingStrings paths) {
    Row add = scanRow.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
    Map<String, String> partitionValues = paths.partitionValues(add.getMap(PARTITION_VALUES));
    String logPath = add.getString(PATH);
    String absolute = paths.absolute(scanRow, logPath);
    return new ScanFile(
        logPath,
        absolute,
        partitionValues,
        add.getLong(SIZE),
        add.getLong(MODIFICATION_TIME),
        add.isNullAt(STATS) ? null : add.getString(STATS),
        extras(scanRow, add));
  }

  private static FileExtras extras(Row scanRow, Row add) {
    Map<String, String> tags = KernelActions.tags(add, TAGS);
    DeletionVectorDescriptor dv = KernelActions.descriptor(add, DELETION_VECTOR);
    Long baseRowId = KernelActions.optionalLong(add, BASE_ROW_ID);
    Long rowCommitVersion = KernelActions.optionalLong(add, DEFAULT_ROW_COMMIT_VERSION);
    boolean dataChange =
        DATA_CHANGE < 0 || add.isNullAt(DATA_CHANGE) || add.getBoolean(DATA_CHANGE);
    if (tags == null && dv == null && baseRowId == null && rowCommitVersion == null && dataChange) {
      return FileExtras.PLAIN;
    }
    return new FileExtras(
        dataChange,
        tags,
        dv == null ? null : KernelActions.deletionVector(dv),
        dv == null ? null : KernelActions.deletionVectorPath(dv, scanRow.getString(TABLE_ROOT)),
        baseRowId,
        rowCommitVersion,
        null,
        null);
  }
}

/**
 * The strings of one listing's files, built so that the file list stays small and cheap to build.
 * Log paths resolve to absolute locations: Kernel's own resolution parses a URI per file, which was
 * a fifth of a 100,000-file query's time; a plain relative path (no escapes, no scheme) is simply
 * appended to the prefix that Kernel produced for an earlier plain file of the same table, so both
 * routes give identical strings. Partition values are shared between files.
 */
final class ListingStrings {
  /** Distinct partition names and values kept for sharing; beyond it, values are not shared. */
  private static final int MAX_SHARED = 4096;

  private final Map<String, String> shared = new HashMap<>();
  private String prefix;

  /**
   * The file's partition values, unmodifiable (the file may be cached and shared by concurrent
   * answers) and compact: one String per distinct name and value of the listing, and a singleton
   * map for the common single partition column, instead of a hash table per file (a fifth of a
   * cached file's heap).
   */
  Map<String, String> partitionValues(MapValue pv) {
    if (pv == null || pv.getSize() == 0) {
      return Map.of();
    }
    if (pv.getSize() == 1) {
      ColumnVector values = pv.getValues();
      return Collections.singletonMap(
          share(pv.getKeys().getString(0)), values.isNullAt(0) ? null : share(values.getString(0)));
    }
    LinkedHashMap<String, String> m = new LinkedHashMap<>();
    VectorUtils.<String, String>toJavaMap(pv)
        .forEach((k, v) -> m.put(share(k), v == null ? null : share(v)));
    return Collections.unmodifiableMap(m);
  }

  private String share(String s) {
    String kept = shared.get(s);
    if (kept != null) {
      return kept;
    }
    if (shared.size() < MAX_SHARED) {
      shared.put(s, s);
    }
    return s;
  }

  String absolute(Row scanRow, String logPath) {
    boolean plain =
        logPath.indexOf('%') < 0 && logPath.indexOf(':') < 0 && !logPath.startsWith("/");
    if (plain && prefix != null) {
      return prefix + logPath;
    }
    String absolute = InternalScanFileUtils.getAddFileStatus(scanRow).getPath();
    if (plain && absolute.endsWith("/" + logPath)) {
      prefix = absolute.substring(0, absolute.length() - logPath.length());
    }
    return absolute;
  }
}
