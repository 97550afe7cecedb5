package io.lakeshare.server.demo;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.DataType;
import java.math.BigDecimal;
import java.util.List;

/**
 * Read-only Kernel column vector over boxed Java values, for feeding small in-memory data to
 * Kernel's Parquet writer. Holds values in Kernel's physical form (a date is its epoch day as an
 * {@link Integer}); a wrong Java type for the declared data type fails with a ClassCastException.
 */
final class ValueColumnVector implements ColumnVector {
  private final DataType dataType;
  private final Object[] values;

  ValueColumnVector(DataType dataType, List<?> values) {
    this.dataType = dataType;
    this.values = values.toArray();
  }

  @Override
  public DataType getDataType() {
    return dataType;
  }

  @Override
  public int getSize() {
    return values.length;
  }

  @Override
  public void close() {}

  @Override
  public boolean isNullAt(int rowId) {
    return values[rowId] == null;
  }

  @Override
  public int getInt(int rowId) {
    return (Integer) values[rowId];
  }

  @Override
  public long getLong(int rowId) {
    return (Long) values[rowId];
  }

  @Override
  public String getString(int rowId) {
    return (String) values[rowId];
  }

  @Override
  public BigDecimal getDecimal(int rowId) {
    return (BigDecimal) values[rowId];
  }
}
