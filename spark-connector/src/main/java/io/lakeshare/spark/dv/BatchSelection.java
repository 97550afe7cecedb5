package io.lakeshare.spark.dv;

import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Cuts the batches of Spark's vectorized Parquet reader down to the rows a read keeps, without
 * copying values.
 *
 * <p>The reader must put each row's index in its file in a {@code LongType} column: Spark fills a
 * read-schema field named {@code _tmp_metadata_row_index} ({@code
 * ParquetFileFormat.ROW_INDEX_TEMPORARY_COLUMN_NAME} in Spark 4.2). A row is kept when its index is
 * not in {@code exclude} and, if there is an {@code include} set, is in it: a snapshot read
 * excludes the file's deletion vector; a change-data read of the rows a new vector deletes includes
 * the new vector and excludes the old one.
 */
public final class BatchSelection {
  private BatchSelection() {}

  /**
   * The kept rows of {@code batch} without its row-index column, possibly none. A batch whose rows
   * are all kept keeps its own vectors; otherwise each vector is seen through a view that maps row
   * ids to the kept rows, valid like the reader's own vectors until the reader's next batch.
   *
   * <p>Like the reader's own batches, the result is not for the consumer to close: the reader owns,
   * reuses and closes its vectors, and the views ignore {@code close()} so that a stray close
   * cannot free them twice.
   *
   * @param rowIndexOrdinal position of the row-index column in {@code batch}
   * @param exclude rows never kept, or {@code null} for none
   * @param include the only rows that may be kept, or {@code null} for no such restriction
   */
  public static ColumnarBatch select(
      ColumnarBatch batch, int rowIndexOrdinal, RowIndexSet exclude, RowIndexSet include) {
    RowIndexSet excluded = exclude == null ? RowIndexSet.EMPTY : exclude;
    int rows = batch.numRows();
    ColumnVector index = batch.column(rowIndexOrdinal);
    if (rows == 0 || (include == null && noneExcluded(index, rows, excluded))) {
      return new ColumnarBatch(withoutColumn(batch, rowIndexOrdinal), rows);
    }
    int[] kept = new int[rows];
    int n = 0;
    for (int r = 0; r < rows; r++) {
      long i = index.getLong(r);
      if (!excluded.contains(i) && (include == null || include.contains(i))) {
        kept[n++] = r;
      }
    }
    ColumnVector[] columns = withoutColumn(batch, rowIndexOrdinal);
    if (n > 0 && n < rows) {
      for (int c = 0; c < columns.length; c++) {
        columns[c] = new SelectedColumnVector(columns[c], kept, n);
      }
    }
    // with no row kept nothing reads a value, so the reader's vectors serve as they are
    return new ColumnarBatch(columns, n);
  }

  /**
   * Whether no row of the batch is excluded, judged from its smallest and largest index: most
   * batches of a file with few deleted rows have none, and one pass over the longs is cheaper than
   * a bitmap lookup per row.
   */
  private static boolean noneExcluded(ColumnVector index, int rows, RowIndexSet exclude) {
    if (exclude.isEmpty()) {
      return true;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int r = 0; r < rows; r++) {
      long i = index.getLong(r);
      min = Math.min(min, i);
      max = Math.max(max, i);
    }
    return max < Long.MAX_VALUE && !exclude.intersects(min, max + 1);
  }

  private static ColumnVector[] withoutColumn(ColumnarBatch batch, int ordinal) {
    ColumnVector[] out = new ColumnVector[batch.numCols() - 1];
    for (int c = 0, o = 0; c < batch.numCols(); c++) {
      if (c != ordinal) {
        out[o++] = batch.column(c);
      }
    }
    return out;
  }
}
