package io.lakeshare.spark;

import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.spark.read.DeletionVectorFiles;
import io.lakeshare.spark.read.HttpReadSettings;
import io.lakeshare.spark.read.UrlRegistry;
import java.io.IOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Registers a task's URLs in its JVM, then hands the file splits to Spark's Parquet reader, which
 * opens them through {@link io.lakeshare.spark.read.DeltaSharingFileSystem}. When the layout's
 * files have deletion vectors, the splits are read one at a time: each split's vectors are fetched
 * once, and every batch (or row) is cut down to the selected rows by their row index, which is then
 * dropped; batches stay columnar.
 */
final class SharingReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final PartitionReaderFactory parquet;
  private final String tableName;
  private final HttpReadSettings settings;
  private final int rowIndex;
  private final DataType[] types;
  private final int maxConnections;
  private final long timeoutMs;

  /**
   * @param rowIndex the position of the row-index column in the Parquet reader's output, or -1 when
   *     no file of the layout selects rows
   * @param types the types of the Parquet reader's output columns
   */
  SharingReaderFactory(
      PartitionReaderFactory parquet,
      String tableName,
      HttpReadSettings settings,
      int rowIndex,
      DataType[] types,
      int maxConnections,
      long timeoutMs) {
    this.parquet = parquet;
    this.tableName = tableName;
    this.settings = settings;
    this.rowIndex = rowIndex;
    this.types = types;
    this.maxConnections = maxConnections;
    this.timeoutMs = timeoutMs;
  }

  private SharingInputPartition register(InputPartition partition) {
    SharingInputPartition p = (SharingInputPartition) partition;
    UrlRegistry.get().attach(p.scanKey, tableName, p.refresher, settings, p.urls()).touch();
    return p;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    SharingInputPartition p = register(partition);
    requireRowIndexes(p);
    if (rowIndex < 0) {
      return parquet.createReader(p.files);
    }
    return new SplitReader<>(p, s -> parquet.createReader(s), this::selectRows);
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    SharingInputPartition p = register(partition);
    requireRowIndexes(p);
    if (rowIndex < 0) {
      return parquet.createColumnarReader(p.files);
    }
    return new SplitReader<>(p, s -> parquet.createColumnarReader(s), this::selectBatch);
  }

  /** Rows to skip must never be read as if there were none. */
  private void requireRowIndexes(SharingInputPartition p) {
    if (rowIndex < 0 && p.selections != null) {
      throw new IllegalStateException(
          "Files of Delta Sharing table "
              + tableName
              + " have deletion vectors but the reader was planned without row indexes");
    }
  }

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return parquet.supportColumnarReads(((SharingInputPartition) partition).files);
  }

  /** The batch's selected rows, or null when none is (an empty batch is worth nothing). */
  private ColumnarBatch selectBatch(ColumnarBatch batch, RowFilter filter) {
    ColumnarBatch out =
        io.lakeshare.spark.dv.BatchSelection.select(
            batch, rowIndex, filter.deleted(), filter.keepOnly());
    return out.numRows() == 0 ? null : out;
  }

  private InternalRow selectRows(InternalRow row, RowFilter filter) {
    long index = row.getLong(rowIndex);
    if (!filter.keeps(index)) {
      return null;
    }
    return io.lakeshare.spark.dv.RowSelection.withoutColumn(row, rowIndex, types);
  }

  /** The deleted and kept row sets of one split. */
  record RowFilter(
      io.lakeshare.spark.dv.RowIndexSet deleted, io.lakeshare.spark.dv.RowIndexSet keepOnly) {
    static final RowFilter ALL = new RowFilter(null, null);

    boolean keeps(long index) {
      return (deleted == null || !deleted.contains(index))
          && (keepOnly == null || keepOnly.contains(index));
    }
  }

  private RowFilter filterOf(SharingInputPartition p, int split) throws IOException {
    RowSelection s = p.selections == null ? null : p.selections[split];
    if (s == null) {
      return RowFilter.ALL;
    }
    return new RowFilter(
        load(p.scanKey, s.deleted(), s.deletedId()), load(p.scanKey, s.keepOnly(), s.keepOnlyId()));
  }

  private io.lakeshare.spark.dv.RowIndexSet load(String scanKey, DeletionVector dv, String id)
      throws IOException {
    if (dv == null) {
      return null;
    }
    return io.lakeshare.spark.dv.DeletionVectorLoader.load(
        dv,
        (offset, length) ->
            DeletionVectorFiles.read(scanKey, id, offset, length, maxConnections, timeoutMs));
  }

  /** Reads a partition split by split, applying each split's row filter to what it yields. */
  private final class SplitReader<T> implements PartitionReader<T> {
    private final SharingInputPartition partition;
    private final java.util.function.Function<InputPartition, PartitionReader<T>> open;
    private final java.util.function.BiFunction<T, RowFilter, T> select;
    private final int splits;
    private int split = -1;
    private PartitionReader<T> current;
    private RowFilter filter;
    private T next;

    SplitReader(
        SharingInputPartition partition,
        java.util.function.Function<InputPartition, PartitionReader<T>> open,
        java.util.function.BiFunction<T, RowFilter, T> select) {
      this.partition = partition;
      this.open = open;
      this.select = select;
      this.splits = SparkInternals.splits(partition.files).length;
    }

    @Override
    public boolean next() throws IOException {
      while (true) {
        if (current == null) {
          if (++split >= splits) {
            return false;
          }
          try {
            filter = filterOf(partition, split);
          } catch (IOException e) {
            throw new IOException(
                "Cannot read the deletion vector of a file of Delta Sharing table "
                    + tableName
                    + ": "
                    + e.getMessage(),
                e);
          }
          current = open.apply(SparkInternals.oneSplit(partition.files, split));
        }
        if (current.next()) {
          T selected = select.apply(current.get(), filter);
          if (selected != null) {
            next = selected;
            return true;
          }
        } else {
          current.close();
          current = null;
        }
      }
    }

    @Override
    public T get() {
      return next;
    }

    @Override
    public void close() throws IOException {
      if (current != null) {
        current.close();
        current = null;
      }
    }
  }
}
