package io.lakeshare.spark.dv;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * A batch shaped like the vectorized Parquet reader's, one column per kind of vector storage, with
 * the row-index column in the middle. The value of each column at row {@code r} is a function of
 * {@code r} given here, so tests can tell which source row a filtered row shows.
 */
final class TestBatch {
  static final int ROW_INDEX = 2;

  static final StructType INNER = new StructType().add("c", DataTypes.StringType);
  static final StructType STRUCT =
      new StructType().add("a", DataTypes.IntegerType).add("inner", INNER);
  static final DataType ARRAY = DataTypes.createArrayType(DataTypes.IntegerType);
  static final DataType MAP = DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType);

  /** Column names and types in batch order; the output drops {@value #ROW_INDEX}. */
  static final StructType SCHEMA =
      new StructType()
          .add("i", DataTypes.IntegerType) // 0
          .add("l", DataTypes.LongType) // 1
          .add("_tmp_metadata_row_index", DataTypes.LongType) // 2
          .add("d", DataTypes.DoubleType) // 3
          .add("s", DataTypes.StringType) // 4, null at row 3
          .add("bin", DataTypes.BinaryType) // 5
          .add("dec", DataTypes.createDecimalType(9, 2)) // 6, stored as int
          .add("big", DataTypes.createDecimalType(30, 5)) // 7, stored as bytes
          .add("flag", DataTypes.BooleanType) // 8
          .add("day", DataTypes.DateType) // 9
          .add("ts", DataTypes.TimestampType) // 10
          .add("st", STRUCT) // 11, null at row 5
          .add("arr", ARRAY) // 12, null at row 6
          .add("m", MAP) // 13, null at row 2
          .add("sh", DataTypes.ShortType) // 14
          .add("by", DataTypes.ByteType) // 15
          .add("f", DataTypes.FloatType); // 16

  private TestBatch() {}

  static int i(int r) {
    return r * 10;
  }

  static long l(int r) {
    return r * 1_000_000_000_000L;
  }

  static double d(int r) {
    return r + 0.5;
  }

  static String s(int r) {
    return r == 3 ? null : "s" + r + "é";
  }

  static byte[] bin(int r) {
    return new byte[] {(byte) r, (byte) (r + 1)};
  }

  static BigDecimal dec(int r) {
    return BigDecimal.valueOf(123L * r, 2);
  }

  static BigDecimal big(int r) {
    return new BigDecimal("12345678901234567890.12345").add(BigDecimal.valueOf(r));
  }

  static boolean flag(int r) {
    return r % 2 == 0;
  }

  static int day(int r) {
    return 18_000 + r;
  }

  static long ts(int r) {
    return 1_600_000_000_000_000L + r;
  }

  /** Elements of the array at row {@code r}: {@code r % 3} of them. */
  static int[] arr(int r) {
    int[] out = new int[r % 3];
    for (int k = 0; k < out.length; k++) {
      out[k] = r * 100 + k;
    }
    return out;
  }

  /**
   * A batch of {@code rowIndexes.length} rows; row {@code r} has row index {@code rowIndexes[r]}.
   */
  static ColumnarBatch of(long... rowIndexes) {
    int n = rowIndexes.length;
    WritableColumnVector[] v = new WritableColumnVector[SCHEMA.length()];
    for (int c = 0; c < v.length; c++) {
      v[c] = new OnHeapColumnVector(n, SCHEMA.fields()[c].dataType());
    }
    int arrayOffset = 0;
    int mapOffset = 0;
    v[12].arrayData().reserve(n * 3);
    v[13].getChild(0).reserve(n * 2);
    v[13].getChild(1).reserve(n * 2);
    for (int r = 0; r < n; r++) {
      v[0].putInt(r, i(r));
      v[1].putLong(r, l(r));
      v[2].putLong(r, rowIndexes[r]);
      v[3].putDouble(r, d(r));
      if (s(r) == null) {
        v[4].putNull(r);
      } else {
        v[4].putByteArray(r, s(r).getBytes(StandardCharsets.UTF_8));
      }
      v[5].putByteArray(r, bin(r));
      v[6].putDecimal(r, Decimal.apply(dec(r)), 9);
      v[7].putDecimal(r, Decimal.apply(big(r)), 30);
      v[8].putBoolean(r, flag(r));
      v[9].putInt(r, day(r));
      v[10].putLong(r, ts(r));
      WritableColumnVector a = v[11].getChild(0);
      WritableColumnVector c = v[11].getChild(1).getChild(0);
      a.putInt(r, r);
      c.putByteArray(r, ("c" + r).getBytes(StandardCharsets.UTF_8));
      if (r == 5) {
        v[11].putNull(r);
      }
      if (r == 6) {
        v[12].putNull(r);
      } else {
        int[] elements = arr(r);
        for (int k = 0; k < elements.length; k++) {
          v[12].arrayData().putInt(arrayOffset + k, elements[k]);
        }
        v[12].putArray(r, arrayOffset, elements.length);
        arrayOffset += elements.length;
      }
      if (r == 2) {
        v[13].putNull(r);
      } else {
        // two entries: "k<r>" -> r and "z" -> -r
        v[13].getChild(0).putByteArray(mapOffset, ("k" + r).getBytes(StandardCharsets.UTF_8));
        v[13].getChild(1).putInt(mapOffset, r);
        v[13].getChild(0).putByteArray(mapOffset + 1, "z".getBytes(StandardCharsets.UTF_8));
        v[13].getChild(1).putInt(mapOffset + 1, -r);
        v[13].putArray(r, mapOffset, 2);
        mapOffset += 2;
      }
      v[14].putShort(r, (short) (r - 100));
      v[15].putByte(r, (byte) (r - 50));
      v[16].putFloat(r, r / 4f);
    }
    return new ColumnarBatch((ColumnVector[]) v, n);
  }
}
