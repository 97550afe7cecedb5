package io.lakeshare.spark.dv;

import java.util.Arrays;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;

/** A view of some rows of another vector: row {@code i} here is row {@code rows[i]} there. */
final class SelectedColumnVector extends ColumnVector {
  private final ColumnVector base;
  private final int[] rows;
  private final int numRows;

  /**
   * Children whose row {@code i} belongs to row {@code i} of the parent (struct fields, and the
   * parts of variants and intervals) are viewed through the same rows, made on first use. Array and
   * map children hold elements addressed by offsets that {@link #getArray} and {@link #getMap} take
   * from the mapped parent row, so those are handed out unwrapped.
   */
  private final boolean rowAlignedChildren;

  private ColumnVector[] children;
  private int numNulls = -1;

  SelectedColumnVector(ColumnVector base, int[] rows, int numRows) {
    super(base.dataType());
    this.base = base;
    this.rows = rows;
    this.numRows = numRows;
    this.rowAlignedChildren = !(type instanceof ArrayType || type instanceof MapType);
  }

  /** Nothing to release: the reader that made {@code base} owns, reuses and closes it. */
  @Override
  public void close() {}

  @Override
  public boolean hasNull() {
    return numNulls() > 0;
  }

  @Override
  public int numNulls() {
    if (numNulls < 0) {
      int n = 0;
      if (base.hasNull()) {
        for (int i = 0; i < numRows; i++) {
          if (base.isNullAt(rows[i])) {
            n++;
          }
        }
      }
      numNulls = n;
    }
    return numNulls;
  }

  @Override
  public boolean isNullAt(int rowId) {
    return base.isNullAt(rows[rowId]);
  }

  @Override
  public boolean getBoolean(int rowId) {
    return base.getBoolean(rows[rowId]);
  }

  @Override
  public byte getByte(int rowId) {
    return base.getByte(rows[rowId]);
  }

  @Override
  public short getShort(int rowId) {
    return base.getShort(rows[rowId]);
  }

  @Override
  public int getInt(int rowId) {
    return base.getInt(rows[rowId]);
  }

  @Override
  public long getLong(int rowId) {
    return base.getLong(rows[rowId]);
  }

  @Override
  public float getFloat(int rowId) {
    return base.getFloat(rows[rowId]);
  }

  @Override
  public double getDouble(int rowId) {
    return base.getDouble(rows[rowId]);
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    return base.getArray(rows[rowId]);
  }

  @Override
  public ColumnarMap getMap(int rowId) {
    return base.getMap(rows[rowId]);
  }

  @Override
  public Decimal getDecimal(int rowId, int precision, int scale) {
    return base.getDecimal(rows[rowId], precision, scale);
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    return base.getUTF8String(rows[rowId]);
  }

  @Override
  public byte[] getBinary(int rowId) {
    return base.getBinary(rows[rowId]);
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    if (!rowAlignedChildren) {
      return base.getChild(ordinal);
    }
    if (children == null) {
      children = new ColumnVector[Math.max(ordinal + 1, 2)];
    } else if (ordinal >= children.length) {
      children = Arrays.copyOf(children, ordinal + 1);
    }
    if (children[ordinal] == null) {
      children[ordinal] = new SelectedColumnVector(base.getChild(ordinal), rows, numRows);
    }
    return children[ordinal];
  }
}
