package io.lakeshare.spark;

import io.delta.kernel.CommitActions;
import io.delta.kernel.CommitRange;
import io.delta.kernel.CommitRangeBuilder.CommitBoundary;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction;
import io.delta.kernel.internal.actions.CommitInfo;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.fs.Path;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.MetadataLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Change reads through directory access (E11): the commits of a version range, read from the
 * table's own Delta log with Delta Kernel's commit-range API, become the planned reads a change
 * answer of the server gives (E8 with {@code startingVersion} for streams, E9 for change data
 * feeds), with absolute cloud paths in place of URLs.
 *
 * <p>The rules are the protocol's: a change data feed lists a commit's change data ({@code cdc})
 * files when it wrote some, else its data-changing adds and removes, skipping a MERGE that matched
 * no row; a stream lists data-changing adds and removes. Change data must be recorded ({@code
 * delta.enableChangeDataFeed}) from the start of a feed's range to its end.
 */
final class DirectoryChanges {
  private static final Set<DeltaAction> ACTIONS =
      EnumSet.of(
          DeltaAction.ADD,
          DeltaAction.REMOVE,
          DeltaAction.CDC,
          DeltaAction.METADATA,
          DeltaAction.PROTOCOL,
          DeltaAction.COMMITINFO);

  private static final String[] MERGE_METRICS = {
    "numTargetRowsInserted", "numTargetRowsUpdated", "numTargetRowsDeleted"
  };

  private DirectoryChanges() {}

  /** The latest version of the table's log. */
  static long latestVersion(String tableName, DirectoryRefresher access) {
    return read(
        tableName, access, "finding its latest version", e -> latest(e, access).getVersion());
  }

  /** The first version committed at or after {@code timestamp} (an ISO-8601 instant). */
  static long versionAtOrAfter(String tableName, DirectoryRefresher access, String timestamp) {
    return read(
        tableName,
        access,
        "finding the version at " + timestamp,
        e -> {
          Snapshot latest = latest(e, access);
          return TableManager.loadCommitRange(
                  root(access),
                  CommitBoundary.atTimestamp(Instant.parse(timestamp).toEpochMilli(), latest))
              .withEndBoundary(CommitBoundary.atVersion(latest.getVersion()))
              .build(e)
              .getStartVersion();
        });
  }

  /**
   * The versions {@code [from, to]} of a batch change data feed read: {@code startingVersion} or
   * the first version at or after {@code startingTimestamp}; {@code endingVersion} (a version the
   * table has not reached yet reads to the latest), the last version at or before {@code
   * endingTimestamp}, or the latest.
   */
  static long[] range(String tableName, DirectoryRefresher access, ReadOptions o) {
    long[] range =
        read(
            tableName,
            access,
            "resolving the change data feed's range",
            e -> {
              Snapshot latest = latest(e, access);
              long last = latest.getVersion();
              CommitBoundary start =
                  o.startingVersion() != null
                      ? CommitBoundary.atVersion(o.startingVersion())
                      : CommitBoundary.atTimestamp(millis(o.startingTimestamp()), latest);
              if (start.isVersion() && start.getVersion() > last) {
                return new long[] {start.getVersion(), last};
              }
              CommitBoundary end =
                  o.endingVersion() != null
                      ? CommitBoundary.atVersion(Math.min(o.endingVersion(), last))
                      : o.endingTimestamp() != null
                          ? CommitBoundary.atTimestamp(millis(o.endingTimestamp()), latest)
                          : CommitBoundary.atVersion(last);
              CommitRange r =
                  TableManager.loadCommitRange(root(access), start).withEndBoundary(end).build(e);
              return new long[] {r.getStartVersion(), r.getEndVersion()};
            });
    if (range[0] > range[1]) {
      throw new DeltaSharingReadException(
          "Delta Sharing table "
              + tableName
              + ": the change data feed starts at version "
              + range[0]
              + ", after the table's latest version "
              + range[1]
              + ".",
          null);
    }
    return range;
  }

  /**
   * The changes of versions {@code [from, to]}: the {@link FileListing} a change answer of the
   * server gives, its metadata the start version's and later metadata changes after it.
   *
   * @param changeDataFeed whether this is a change data feed (E9) rather than a stream's data
   *     changes
   */
  static FileListing changes(
      String tableName, DirectoryRefresher access, long from, long to, boolean changeDataFeed) {
    String range = "[" + from + ", " + to + "]";
    return read(
        tableName,
        access,
        "reading the commits of versions " + range,
        e -> {
          String root = root(access);
          Snapshot start = TableManager.loadSnapshot(root).atVersion(from).build(e);
          io.delta.kernel.internal.actions.Metadata startMeta = start.getMetadata();
          if (changeDataFeed && !cdfRecorded(startMeta.getConfiguration())) {
            throw notRecorded(tableName, range, from);
          }
          MetadataLine first = line(startMeta, from);
          List<MetadataLine> later = new ArrayList<>();
          List<PlannedFile> files = new ArrayList<>();
          CommitRange commits =
              TableManager.loadCommitRange(root, CommitBoundary.atVersion(from))
                  .withEndBoundary(CommitBoundary.atVersion(to))
                  .build(e);
          try (CloseableIterator<CommitActions> it = commits.getCommitActions(e, start, ACTIONS)) {
            while (it.hasNext()) {
              try (CommitActions c = it.next()) {
                Commit commit = Commit.read(c, root, e);
                if (commit.metadata != null && commit.version > from) {
                  if (changeDataFeed && !cdfRecorded(commit.metadata.getConfiguration())) {
                    throw notRecorded(tableName, range, commit.version);
                  }
                  later.add(line(commit.metadata, commit.version));
                }
                commit.answered(changeDataFeed, files);
              } catch (IOException ex) {
                throw new UncheckedIOException(ex);
              } catch (DeltaSharingReadException | UncheckedIOException ex) {
                throw ex;
              } catch (Exception ex) {
                throw new IllegalStateException(ex);
              }
            }
          }
          List<PlannedFile> out = changeDataFeed ? ChangePairs.resolve(files) : files;
          return new FileListing(from, first, later, out, null);
        });
  }

  private static boolean cdfRecorded(Map<String, String> configuration) {
    return "true".equalsIgnoreCase(configuration.get("delta.enableChangeDataFeed"));
  }

  private static DeltaSharingReadException notRecorded(String tableName, String range, long v) {
    return new DeltaSharingReadException(
        "Delta Sharing table "
            + tableName
            + ": no change data for range "
            + range
            + ": change data was not recorded for version ["
            + v
            + "]. Change data is recorded only while the table property"
            + " delta.enableChangeDataFeed is true.",
        null);
  }

  private static MetadataLine line(io.delta.kernel.internal.actions.Metadata m, long version) {
    return new Metadata(
        m.getId(),
        m.getName().orElse(null),
        m.getDescription().orElse(null),
        null,
        m.getSchemaString(),
        VectorUtils.<String>toJavaList(m.getPartitionColumns()),
        m.getConfiguration(),
        version,
        null,
        null);
  }

  /** A file action of a commit and its {@code dataChange} flag. */
  private record Action(PlannedFile file, boolean dataChange) {}

  /** One commit's header and file actions, in log order. */
  private static final class Commit {
    final long version;
    final long timestamp;
    io.delta.kernel.internal.actions.Metadata metadata;
    String operation;
    Map<String, String> operationMetrics = Map.of();
    final List<Action> files = new ArrayList<>();
    boolean hasChangeData;

    private Commit(long version, long timestamp) {
      this.version = version;
      this.timestamp = timestamp;
    }

    static Commit read(CommitActions actions, String root, Engine engine) throws IOException {
      Commit c = new Commit(actions.getVersion(), actions.getTimestamp());
      try (CloseableIterator<ColumnarBatch> batches = actions.getActions()) {
        while (batches.hasNext()) {
          ColumnarBatch batch = batches.next();
          ColumnVector meta = column(batch, "metaData");
          ColumnVector info = column(batch, "commitInfo");
          FileColumn[] kinds = {
            FileColumn.of(batch, "add", FileAction.Kind.ADD),
            FileColumn.of(batch, "remove", FileAction.Kind.REMOVE),
            FileColumn.of(batch, "cdc", FileAction.Kind.CDF)
          };
          for (int i = 0; i < batch.getSize(); i++) {
            if (meta != null && !meta.isNullAt(i)) {
              c.metadata = io.delta.kernel.internal.actions.Metadata.fromColumnVector(meta, i);
            }
            if (info != null && !info.isNullAt(i)) {
              CommitInfo ci = CommitInfo.fromColumnVector(info, i);
              c.operation = ci.getOperation().orElse(null);
              c.operationMetrics = ci.getOperationMetrics();
            }
            for (FileColumn f : kinds) {
              if (f != null && !f.vector.isNullAt(i)) {
                c.add(f, i, root, engine);
              }
            }
          }
        }
      }
      return c;
    }

    private void add(FileColumn f, int i, String root, Engine engine) throws IOException {
      ColumnVector v = f.vector;
      String logPath = v.getChild(f.path).getString(i);
      Map<String, String> pv = Map.of();
      if (f.partitionValues >= 0 && !v.getChild(f.partitionValues).isNullAt(i)) {
        MapValue map = v.getChild(f.partitionValues).getMap(i);
        pv = new LinkedHashMap<>(VectorUtils.<String, String>toJavaMap(map));
      }
      long size =
          f.size >= 0 && !v.getChild(f.size).isNullAt(i) ? v.getChild(f.size).getLong(i) : -1;
      String stats =
          f.stats >= 0 && !v.getChild(f.stats).isNullAt(i)
              ? v.getChild(f.stats).getString(i)
              : null;
      boolean changesData =
          f.dataChange >= 0
              && !v.getChild(f.dataChange).isNullAt(i)
              && v.getChild(f.dataChange).getBoolean(i);
      DeletionVectorDescriptor dv =
          f.deletionVector >= 0 && !v.getChild(f.deletionVector).isNullAt(i)
              ? DeletionVectorDescriptor.fromColumnVector(v.getChild(f.deletionVector), i)
              : null;
      String absolute =
          new Path(new Path(URI.create(root)), new Path(URI.create(logPath))).toString();
      if (size < 0) {
        // a remove may leave its size out; the reader needs it
        size = engine.getFileSystemClient().getFileStatus(absolute).getSize();
      }
      if (f.kind == FileAction.Kind.CDF) {
        hasChangeData = true;
      }
      files.add(
          new Action(
              DirectoryListing.planned(
                  logPath, absolute, size, pv, stats, dv, f.kind, version, timestamp, root),
              changesData));
    }

    /** Adds the files a change answer lists for this commit to {@code out}. */
    void answered(boolean changeDataFeed, List<PlannedFile> out) {
      if (changeDataFeed && hasChangeData) {
        for (Action a : files) {
          if (a.file().kind() == FileAction.Kind.CDF) {
            out.add(a.file());
          }
        }
        return;
      }
      if (changeDataFeed && emptyMerge()) {
        return;
      }
      for (Action a : files) {
        if (a.file().kind() != FileAction.Kind.CDF && a.dataChange()) {
          out.add(a.file());
        }
      }
    }

    /** A MERGE that matched no row may rewrite files; change data readers skip it. */
    private boolean emptyMerge() {
      if (!"MERGE".equals(operation)) {
        return false;
      }
      for (String key : MERGE_METRICS) {
        if (!"0".equals(operationMetrics.get(key))) {
          return false;
        }
      }
      return true;
    }
  }

  private static ColumnVector column(ColumnarBatch batch, String name) {
    int i = batch.getSchema().indexOf(name);
    return i < 0 ? null : batch.getColumnVector(i);
  }

  /** An add, remove or cdc column of a batch with its children's ordinals (-1 when absent). */
  private record FileColumn(
      FileAction.Kind kind,
      ColumnVector vector,
      int path,
      int partitionValues,
      int size,
      int stats,
      int dataChange,
      int deletionVector) {
    static FileColumn of(ColumnarBatch batch, String name, FileAction.Kind kind) {
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
          t.indexOf("deletionVector"));
    }
  }

  private static long millis(String timestamp) {
    return Instant.parse(timestamp).toEpochMilli();
  }

  private static String root(DirectoryRefresher access) {
    return access.credentials().root();
  }

  private static Snapshot latest(Engine e, DirectoryRefresher access) {
    return TableManager.loadSnapshot(root(access)).build(e);
  }

  private static <T> T read(
      String tableName, DirectoryRefresher access, String what, DirectoryListing.LogRead<T> body) {
    return DirectoryListing.readLog(tableName, access, what, body);
  }
}
