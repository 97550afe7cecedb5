package io.lakeshare.spark.dv;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;

/**
 * The row-based counterpart of {@link BatchSelection}, for Spark's non-vectorized Parquet reader:
 * whether a row is kept, and the row without its row-index column.
 *
 * <p>Kept rows are copied field by field with {@code InternalRow.get(i, type)} into a {@link
 * GenericInternalRow} rather than shown through a view that skips the column. A view must subclass
 * {@code InternalRow} and so implement every abstract getter of the Spark line it is compiled
 * against, a set that grows ({@code getVariant} in 4.0, {@code getBinaryView} in 4.2) with types
 * older lines lack; Spark's own row class always has them all, and {@code get(i, type)} reads every
 * type a reader produces. The cost, boxing primitives, falls on Spark's fallback path: scans it can
 * read vectorized go through {@link BatchSelection}.
 */
public final class RowSelection {
  private RowSelection() {}

  /**
   * Whether the row at {@code rowIndex} is kept: not in {@code exclude} and, if {@code include} is
   * set, in it.
   *
   * @param exclude rows never kept, or {@code null} for none
   * @param include the only rows that may be kept, or {@code null} for no such restriction
   */
  public static boolean keeps(long rowIndex, RowIndexSet exclude, RowIndexSet include) {
    return (exclude == null || !exclude.contains(rowIndex))
        && (include == null || include.contains(rowIndex));
  }

  /**
   * A copy of {@code row} without the field at {@code ordinal}. Values are not deep-copied: like
   * the reader's row, the result may share buffers the reader reuses for its next row.
   *
   * @param types the types of {@code row}'s fields, the dropped one included
   */
  public static InternalRow withoutColumn(InternalRow row, int ordinal, DataType[] types) {
    Object[] values = new Object[types.length - 1];
    for (int i = 0, o = 0; i < types.length; i++) {
      if (i != ordinal) {
        values[o++] = row.isNullAt(i) ? null : row.get(i, types[i]);
      }
    }
    return new GenericInternalRow(values);
  }
}
