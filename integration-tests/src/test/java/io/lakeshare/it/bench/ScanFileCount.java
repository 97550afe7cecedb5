package io.lakeshare.it.bench;

import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.util.Map;

/**
 * Lists a snapshot's files with statistics through Kernel and reads each file's fields the way the
 * server's listing does (path, absolute location, partition values, size, statistics), so that the
 * time measured here is the Kernel share of a snapshot query without JSON writing or URL signing.
 */
final class ScanFileCount {
  private static final StructType ADD =
      (StructType)
          InternalScanFileUtils.SCAN_FILE_SCHEMA_WITH_STATS
              .at(InternalScanFileUtils.ADD_FILE_ORDINAL)
              .getDataType();
  private static final int PATH = ADD.indexOf("path");
  private static final int PARTITION_VALUES = ADD.indexOf("partitionValues");
  private static final int SIZE = ADD.indexOf("size");
  private static final int STATS = ADD.indexOf("stats");

  private ScanFileCount() {}

  /** Returns {files, files with statistics, a checksum of what was read}. */
  static long[] count(Snapshot snapshot, Engine engine) throws IOException {
    long files = 0;
    long withStats = 0;
    long checksum = 0;
    try (CloseableIterator<FilteredColumnarBatch> batches =
        snapshot.getScanBuilder().build().getScanFiles(engine, true)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            Row scanRow = rows.next();
            Row add = scanRow.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
            MapValue pv = add.getMap(PARTITION_VALUES);
            Map<String, String> partitionValues = VectorUtils.toJavaMap(pv);
            String absolute = InternalScanFileUtils.getAddFileStatus(scanRow).getPath();
            checksum += add.getString(PATH).length() + absolute.length() + add.getLong(SIZE);
            checksum += partitionValues.size();
            if (!add.isNullAt(STATS)) {
              checksum += add.getString(STATS).length();
              withStats++;
            }
            files++;
          }
        }
      }
    }
    return new long[] {files, withStats, checksum};
  }
}
