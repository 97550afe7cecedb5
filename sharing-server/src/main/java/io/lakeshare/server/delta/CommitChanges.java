package io.lakeshare.server.delta;

import io.delta.kernel.CommitActions;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.actions.CommitInfo;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.Protocol;
import io.delta.kernel.internal.fs.Path;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One commit of a {@link ChangeRange}. The commit is read once on creation for its protocol,
 * metadata, commit info and file actions; up to {@value #BUFFERED_FILES} file actions are kept so
 * that {@link #forEachFile} can replay them, and a larger commit is read a second time instead of
 * being held in memory. Valid only while its visitor runs, unless {@link #detached}.
 */
public final class CommitChanges implements AutoCloseable {
  static final int BUFFERED_FILES = 2000;

  private final CommitActions actions;
  private final Engine engine;
  private final String tableRoot;
  private final long version;
  private final long timestamp;
  private ProtocolInfo protocol;
  private MetadataInfo metadata;
  private String operation;
  private Map<String, String> operationMetrics = Map.of();
  private boolean hasChangeDataFiles;
  private List<ChangeFile> buffered = new ArrayList<>();

  CommitChanges(CommitActions actions, Engine engine, String location) throws IOException {
    this.actions = actions;
    this.engine = engine;
    this.tableRoot = location.endsWith("/") ? location : location + "/";
    this.version = actions.getVersion();
    this.timestamp = actions.getTimestamp();
    read(
        f -> {
          if (f.kind() == ChangeFile.Kind.CDC) {
            hasChangeDataFiles = true;
          }
          if (buffered != null) {
            if (buffered.size() < BUFFERED_FILES) {
              buffered.add(f);
            } else {
              buffered = null;
            }
          }
        },
        true);
  }

  /** A copy of {@code c} that holds all it read and no longer needs the log. */
  private CommitChanges(CommitChanges c) {
    this.actions = null;
    this.engine = null;
    this.tableRoot = c.tableRoot;
    this.version = c.version;
    this.timestamp = c.timestamp;
    this.protocol = c.protocol;
    this.metadata = c.metadata;
    this.operation = c.operation;
    this.operationMetrics = c.operationMetrics;
    this.hasChangeDataFiles = c.hasChangeDataFiles;
    this.buffered = c.buffered;
  }

  /**
   * A copy that stays valid after this commit's visitor returns (it holds the commit's file
   * actions), or {@code null} when the commit has more file actions than are kept in memory.
   */
  public CommitChanges detached() {
    return buffered == null ? null : new CommitChanges(this);
  }

  /** The file actions a {@link #detached} copy holds; 0 for others. */
  public int heldFiles() {
    return buffered == null ? 0 : buffered.size();
  }

  public long version() {
    return version;
  }

  /** Commit time in epoch milliseconds: the in-commit timestamp when enabled, else file time. */
  public long timestamp() {
    return timestamp;
  }

  /** The commit's protocol action, or null. */
  public ProtocolInfo protocol() {
    return protocol;
  }

  /** The commit's metadata action, or null. */
  public MetadataInfo metadata() {
    return metadata;
  }

  /** {@code commitInfo.operation}, e.g. {@code MERGE}, or null. */
  public String operation() {
    return operation;
  }

  /** {@code commitInfo.operationMetrics} (empty when absent). */
  public Map<String, String> operationMetrics() {
    return operationMetrics;
  }

  /** Whether the commit wrote change data ({@code cdc}) files. */
  public boolean hasChangeDataFiles() {
    return hasChangeDataFiles;
  }

  /** Visits the commit's add, remove and cdc actions in log order. */
  public void forEachFile(Consumer<ChangeFile> visitor) throws IOException {
    if (buffered != null) {
      buffered.forEach(visitor);
    } else {
      read(visitor, false);
    }
  }

  private void read(Consumer<ChangeFile> files, boolean header) throws IOException {
    try (CloseableIterator<ColumnarBatch> batches = actions.getActions()) {
      while (batches.hasNext()) {
        ColumnarBatch batch = batches.next();
        if (header) {
          readHeader(batch);
        }
        FileColumn add = FileColumn.of(batch, "add", ChangeFile.Kind.ADD);
        FileColumn remove = FileColumn.of(batch, "remove", ChangeFile.Kind.REMOVE);
        FileColumn cdc = FileColumn.of(batch, "cdc", ChangeFile.Kind.CDC);
        // Row by row, so that files come in log order whatever their kind.
        for (int i = 0; i < batch.getSize(); i++) {
          for (FileColumn c : new FileColumn[] {add, remove, cdc}) {
            if (c != null && !c.vector.isNullAt(i)) {
              files.accept(toFile(c, i));
            }
          }
        }
      }
    }
  }

  private void readHeader(ColumnarBatch batch) {
    ColumnVector p = column(batch, "protocol");
    ColumnVector m = column(batch, "metaData");
    ColumnVector c = column(batch, "commitInfo");
    for (int i = 0; i < batch.getSize(); i++) {
      if (p != null && !p.isNullAt(i)) {
        protocol = ProtocolInfo.of(Protocol.fromColumnVector(p, i));
      }
      if (m != null && !m.isNullAt(i)) {
        metadata = MetadataInfo.of(Metadata.fromColumnVector(m, i));
      }
      if (c != null && !c.isNullAt(i)) {
        CommitInfo info = CommitInfo.fromColumnVector(c, i);
        operation = info.getOperation().orElse(null);
        operationMetrics = Collections.unmodifiableMap(info.getOperationMetrics());
      }
    }
  }

  private ChangeFile toFile(FileColumn c, int i) throws IOException {
    ColumnVector v = c.vector;
    String logPath = v.getChild(c.path).getString(i);
    String absolute = absolutePath(logPath);
    ColumnVector pvVector = v.getChild(c.partitionValues);
    Map<String, String> pv = Map.of();
    if (!pvVector.isNullAt(i)) {
      MapValue map = pvVector.getMap(i);
      pv = new LinkedHashMap<>(VectorUtils.<String, String>toJavaMap(map));
    }
    ColumnVector sizeVector = v.getChild(c.size);
    long size = sizeVector.isNullAt(i) ? sizeOf(absolute) : sizeVector.getLong(i);
    String stats = null;
    if (c.stats >= 0) {
      ColumnVector s = v.getChild(c.stats);
      stats = s.isNullAt(i) ? null : s.getString(i);
    }
    boolean dataChange = false;
    if (c.dataChange >= 0) {
      ColumnVector dc = v.getChild(c.dataChange);
      dataChange = !dc.isNullAt(i) && dc.getBoolean(i);
    }
    DeletionVectorDescriptor dv = KernelActions.descriptor(v, c.deletionVector, i);
    FileExtras extras =
        new FileExtras(
            dataChange,
            KernelActions.tags(v, c.tags, i),
            dv == null ? null : KernelActions.deletionVector(dv),
            dv == null ? null : KernelActions.deletionVectorPath(dv, tableRoot),
            KernelActions.optionalLong(v, c.baseRowId, i),
            KernelActions.optionalLong(v, c.defaultRowCommitVersion, i),
            KernelActions.optionalLong(v, c.deletionTimestamp, i),
            KernelActions.optionalBoolean(v, c.extendedFileMetadata, i));
    Long modificationTime = KernelActions.optionalLong(v, c.modificationTime, i);
    return new ChangeFile(
        c.kind, logPath, absolute, pv, size, stats, dataChange, modificationTime, extras);
  }

  /** Resolves a log path the way Kernel resolves scan files, so both give identical strings. */
  private String absolutePath(String logPath) {
    return new Path(new Path(URI.create(tableRoot)), new Path(URI.create(logPath))).toString();
  }

  private long sizeOf(String absolute) throws IOException {
    try {
      return engine.getFileSystemClient().getFileStatus(absolute).getSize();
    } catch (java.io.FileNotFoundException e) {
      return 0;
    }
  }

  private static ColumnVector column(ColumnarBatch batch, String name) {
    int i = batch.getSchema().indexOf(name);
    return i < 0 ? null : batch.getColumnVector(i);
  }

  /** An add, remove or cdc column of a batch with its child ordinals (-1 when absent). */
  private record FileColumn(
      ChangeFile.Kind kind,
      ColumnVector vector,
      int path,
      int partitionValues,
      int size,
      int stats,
      int dataChange,
      int deletionVector,
      int tags,
      int modificationTime,
      int baseRowId,
      int defaultRowCommitVersion,
      int deletionTimestamp,
      int extendedFileMetadata) {
    static FileColumn of(ColumnarBatch batch, String name, ChangeFile.Kind kind) {
      ColumnVector v = column(batch, name);
      if (v == null) {
        return null;
      }
      StructType t = (StructType) v.getDataType();
      return new FileColumn(
          kind,
          v,
          t.indexOf("path"),
          t.indexOf("partitionValues"),
          t.indexOf("size"),
          t.indexOf("stats"),
          t.indexOf("dataChange"),
          t.indexOf("deletionVector"),
          t.indexOf("tags"),
          t.indexOf("modificationTime"),
          t.indexOf("baseRowId"),
          t.indexOf("defaultRowCommitVersion"),
          t.indexOf("deletionTimestamp"),
          t.indexOf("extendedFileMetadata"));
    }
  }

  @Override
  public void close() throws IOException {
    if (actions == null) {
      return;
    }
    try {
      actions.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
