package io.lakeshare.spark;

import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.SnapshotBuilder;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.predicate.JsonPredicate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists a snapshot's files from the table's own Delta log, read here with Delta Kernel through the
 * directory's temporary credentials (E11): the files become the same planned reads a delta-format
 * answer gives, with absolute cloud paths in place of URLs and each on-disk deletion vector at its
 * absolute path.
 */
final class DirectoryListing {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryListing.class);
  private static final StructType ADD_SCHEMA =
      (StructType)
          InternalScanFileUtils.SCAN_FILE_SCHEMA_WITH_STATS
              .at(InternalScanFileUtils.ADD_FILE_ORDINAL)
              .getDataType();
  private static final int PATH = ADD_SCHEMA.indexOf("path");
  private static final int PARTITION_VALUES = ADD_SCHEMA.indexOf("partitionValues");
  private static final int SIZE = ADD_SCHEMA.indexOf("size");
  private static final int DELETION_VECTOR = ADD_SCHEMA.indexOf("deletionVector");
  private static final int STATS = ADD_SCHEMA.indexOf("stats");

  private static final boolean SUPPORTED = parquetForKernel();

  private DirectoryListing() {}

  /**
   * Whether Kernel has a Parquet to read checkpoints with: Kernel 4 reads Parquet through {@code
   * ParquetConfiguration}, which Parquet has since 1.14 (Spark 4.0). The Spark 3.5 jars, whose
   * Spark ships Parquet 1.13, carry Parquet 1.17 relocated for Kernel
   * (lakeshare-kernel-parquet-3.5).
   */
  static boolean supported() {
    return SUPPORTED;
  }

  private static boolean parquetForKernel() {
    for (String name :
        new String[] {
          "io.lakeshare.shaded.parquet.conf.ParquetConfiguration",
          "org.apache.parquet.conf.ParquetConfiguration"
        }) {
      try {
        Class.forName(name, false, DirectoryListing.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next
      }
    }
    return false;
  }

  static DeltaSharingReadException unsupported(String tableName) {
    return new DeltaSharingReadException(
        "Delta Sharing table "
            + tableName
            + ": accessMode dir reads the table's Delta log with Delta Kernel, which needs Parquet"
            + " 1.14 or later (Spark 4.0 or later); this Spark ships an older Parquet. Read it"
            + " with accessMode url (or auto, which then reads through URLs).",
        null);
  }

  /**
   * The files of the snapshot {@code opts} names (latest, {@code versionAsOf} or {@code
   * timestampAsOf}).
   *
   * @param schemaString the schema the DataFrame was analysed with; a snapshot with another schema
   *     or other partition columns is refused
   */
  static FileListing list(
      String tableName,
      DirectoryRefresher access,
      ReadOptions opts,
      String schemaString,
      List<String> partitionColumns,
      JsonPredicate hint) {
    return list(
        tableName,
        access,
        opts.versionAsOf(),
        opts.timestampAsOf(),
        schemaString,
        partitionColumns,
        hint);
  }

  /** A Kernel read of the log that names the table and what was being done when it fails. */
  @FunctionalInterface
  interface LogRead<T> {
    T apply(Engine engine) throws IOException;
  }

  /**
   * Runs {@code body} with the engine of {@code access}'s credentials; a failure becomes a {@link
   * DeltaSharingReadException} naming the table, {@code what} was being done and the log's location
   * (a refusal the body raises itself passes unchanged).
   */
  static <T> T readLog(String tableName, DirectoryRefresher access, String what, LogRead<T> body) {
    if (!SUPPORTED) {
      throw unsupported(tableName);
    }
    String root = access.credentials().root();
    try {
      return body.apply(engine(access));
    } catch (DeltaSharingReadException e) {
      throw e;
    } catch (IOException | UncheckedIOException e) {
      throw new DeltaSharingReadException(
          "Delta Sharing table "
              + tableName
              + ": "
              + what
              + " in its Delta log at "
              + root
              + " with the directory credentials failed: "
              + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      throw new DeltaSharingReadException(
          "Delta Sharing table "
              + tableName
              + ": Delta Kernel could not complete "
              + what
              + " in the log at "
              + root
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The files of the snapshot at {@code version} or {@code timestamp} (latest when both are null).
   *
   * @param schemaString the schema the DataFrame was analysed with (a snapshot with another schema
   *     or other partition columns is refused), or null to take the snapshot as it is
   */
  static FileListing list(
      String tableName,
      DirectoryRefresher access,
      Long version,
      String timestamp,
      String schemaString,
      List<String> partitionColumns,
      JsonPredicate hint) {
    String what =
        "reading the snapshot"
            + (version != null ? " for versionAsOf " + version : "")
            + (timestamp != null ? " for timestampAsOf " + timestamp : "");
    return readLog(
        tableName,
        access,
        what,
        engine -> {
          DirectoryCredentials scope = access.credentials();
          SnapshotBuilder b = TableManager.loadSnapshot(scope.root());
          if (version != null) {
            b = b.atVersion(version);
          } else if (timestamp != null) {
            Snapshot latest = TableManager.loadSnapshot(scope.root()).build(engine);
            b = b.atTimestamp(Instant.parse(timestamp).toEpochMilli(), latest);
          }
          Snapshot snapshot = b.build(engine);
          if (schemaString != null
                  && !Objects.equals(snapshot.getMetadata().getSchemaString(), schemaString)
              || schemaString != null
                  && !lowerEquals(snapshot.getPartitionColumnNames(), partitionColumns)) {
            throw ConnectorErrors.schemaChanged(tableName);
          }
          Predicate filter = null;
          try {
            filter = KernelFilters.toKernel(hint, snapshot.getSchema());
          } catch (RuntimeException e) {
            LOG.warn(
                "Delta Sharing table {}: filter hints not used to skip files: {}", tableName, e);
          }
          List<PlannedFile> files;
          if (filter == null) {
            files = scan(engine, snapshot, null, scope.root());
          } else {
            try {
              files = scan(engine, snapshot, filter, scope.root());
            } catch (RuntimeException e) {
              // skipping is an optimization: a filter Kernel cannot evaluate lists every file
              LOG.warn(
                  "Delta Sharing table {}: listing with filter {} failed ({}); listing every file",
                  tableName,
                  filter,
                  e.toString());
              files = scan(engine, snapshot, null, scope.root());
            }
          }
          return new FileListing(snapshot.getVersion(), null, List.of(), files, null);
        });
  }

  /** A Kernel engine reading the table's directory through the current credentials. */
  static Engine engine(DirectoryRefresher access) throws IOException {
    FileSystem fs = access.fileSystem();
    return DefaultEngine.create(new DirectoryFileIO(fs, access.credentials()));
  }

  private static List<PlannedFile> scan(
      Engine engine, Snapshot snapshot, Predicate filter, String root) throws IOException {
    ScanBuilder b = snapshot.getScanBuilder();
    if (filter != null) {
      b = b.withFilter(filter);
    }
    List<PlannedFile> files = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> batches = b.build().getScanFiles(engine, true)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            files.add(planned(rows.next(), root));
          }
        }
      }
    }
    return files;
  }

  private static boolean lowerEquals(List<String> a, List<String> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equalsIgnoreCase(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** One scan file as a planned read; its id is the path the log gives it. */
  private static PlannedFile planned(Row scanRow, String root) {
    Row add = scanRow.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
    MapValue pv = add.getMap(PARTITION_VALUES);
    DeletionVectorDescriptor dv =
        DELETION_VECTOR >= 0 && !add.isNullAt(DELETION_VECTOR)
            ? DeletionVectorDescriptor.fromRow(add.getStruct(DELETION_VECTOR))
            : null;
    return planned(
        add.getString(PATH),
        InternalScanFileUtils.getAddFileStatus(scanRow).getPath(),
        add.getLong(SIZE),
        pv == null ? Map.of() : new LinkedHashMap<>(VectorUtils.<String, String>toJavaMap(pv)),
        add.isNullAt(STATS) ? null : add.getString(STATS),
        dv,
        FileAction.Kind.FILE,
        -1,
        -1,
        root);
  }

  /**
   * A file action of the log as a planned read of its absolute path, which never expires; an
   * on-disk deletion vector is read from its absolute path too, registered as {@code dv:<path>}.
   *
   * @param id the path the log gives the file (the same for its add and its remove)
   */
  static PlannedFile planned(
      String id,
      String absolute,
      long size,
      Map<String, String> partitionValues,
      String stats,
      DeletionVectorDescriptor d,
      FileAction.Kind kind,
      long version,
      long timestamp,
      String root) {
    long rows = QueryRunner.numRecords(stats);
    DeletionVector dv = null;
    String dvId = null;
    if (d != null) {
      if (d.isOnDisk()) {
        String path = d.getAbsolutePath(root);
        dv =
            new DeletionVector(
                DeletionVector.STORAGE_PATH,
                path,
                d.getOffset().orElse(null),
                d.getSizeInBytes(),
                d.getCardinality(),
                null);
        dvId = "dv:" + path;
      } else {
        dv =
            new DeletionVector(
                d.getStorageType(),
                d.getPathOrInlineDv(),
                d.getOffset().orElse(null),
                d.getSizeInBytes(),
                d.getCardinality(),
                null);
      }
      if (rows >= 0) {
        rows = Math.max(0, rows - d.getCardinality()); // stats count the rows before deletion
      }
    }
    return new PlannedFile(
        id,
        absolute,
        Long.MAX_VALUE,
        size,
        partitionValues,
        rows,
        kind,
        version,
        timestamp,
        dv,
        dvId,
        null,
        null);
  }
}
