package io.lakeshare.spark;

import java.io.IOException;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/** Picks the reader of a partition's file layout and puts its columns in the requested order. */
final class LayoutReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  /** One per layout; {@code null} for a layout the scan never reads. */
  private final PartitionReaderFactory[] factories;

  private final int[][] orders;
  private final DataType[] types;

  LayoutReaderFactory(PartitionReaderFactory[] factories, int[][] orders, StructType out) {
    this.factories = factories;
    this.orders = orders;
    this.types = new DataType[out.length()];
    for (int i = 0; i < types.length; i++) {
      types[i] = out.fields()[i].dataType();
    }
  }

  private static int layout(InputPartition p) {
    return ((SharingInputPartition) p).layout;
  }

  private static boolean identity(int[] order) {
    for (int i = 0; i < order.length; i++) {
      if (order[i] != i) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    // every layout must agree, since Spark asks per partition but runs one mode per scan
    for (PartitionReaderFactory f : factories) {
      if (f != null && !f.supportColumnarReads(partition)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    int l = layout(partition);
    PartitionReader<InternalRow> in = factories[l].createReader(partition);
    int[] order = orders[l];
    if (identity(order)) {
      return in;
    }
    return new Mapped<>(
        in,
        r -> {
          Object[] values = new Object[order.length];
          for (int i = 0; i < order.length; i++) {
            values[i] = r.isNullAt(order[i]) ? null : r.get(order[i], types[i]);
          }
          return new GenericInternalRow(values);
        });
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    int l = layout(partition);
    PartitionReader<ColumnarBatch> in = factories[l].createColumnarReader(partition);
    int[] order = orders[l];
    if (identity(order)) {
      return in;
    }
    return new Mapped<>(
        in,
        b -> {
          ColumnVector[] cols = new ColumnVector[order.length];
          for (int i = 0; i < order.length; i++) {
            cols[i] = b.column(order[i]);
          }
          return new ColumnarBatch(cols, b.numRows());
        });
  }

  /** A reader whose values are reshaped on the way out. */
  private static final class Mapped<T> implements PartitionReader<T> {
    private final PartitionReader<T> in;
    private final UnaryOperator<T> map;

    Mapped(PartitionReader<T> in, UnaryOperator<T> map) {
      this.in = in;
      this.map = map;
    }

    @Override
    public boolean next() throws IOException {
      return in.next();
    }

    @Override
    public T get() {
      return map.apply(in.get());
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
