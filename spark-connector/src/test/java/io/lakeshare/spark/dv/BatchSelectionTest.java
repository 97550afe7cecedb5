package io.lakeshare.spark.dv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.sql.vectorized.ColumnarRow;
import org.junit.jupiter.api.Test;

class BatchSelectionTest {
  /** Row indexes 100..107 for batch rows 0..7. */
  private static ColumnarBatch batch() {
    return TestBatch.of(100, 101, 102, 103, 104, 105, 106, 107);
  }

  private static ColumnarBatch select(
      ColumnarBatch batch, RowIndexSet exclude, RowIndexSet include) {
    return BatchSelection.select(batch, TestBatch.ROW_INDEX, exclude, include);
  }

  @Test
  void keepsTheRowsNotExcludedWithEveryValueOfEveryType() {
    ColumnarBatch out = select(batch(), RowIndexSet.of(101, 104, 107), null);
    assertThat(out.numCols()).isEqualTo(TestBatch.SCHEMA.length() - 1);
    int[] kept = {0, 2, 3, 5, 6};
    assertThat(out.numRows()).isEqualTo(kept.length);
    for (int i = 0; i < kept.length; i++) {
      assertRow(out, i, kept[i]);
    }
  }

  @Test
  void keepsTheIncludedRowsThatAreNotExcluded() {
    ColumnarBatch out =
        select(batch(), RowIndexSet.of(102, 999), RowIndexSet.of(101, 102, 103, 105));
    assertThat(out.numRows()).isEqualTo(3);
    assertRow(out, 0, 1);
    assertRow(out, 1, 3);
    assertRow(out, 2, 5);
  }

  @Test
  void includesOnlyWhatTheIncludeSetHolds() {
    ColumnarBatch out = select(batch(), null, RowIndexSet.of(100, 106, 5000));
    assertThat(out.numRows()).isEqualTo(2);
    assertRow(out, 0, 0);
    assertRow(out, 1, 6);
  }

  @Test
  void passesABatchWithNothingDeletedThroughWithItsOwnVectors() {
    ColumnarBatch in = batch();
    for (ColumnarBatch out :
        new ColumnarBatch[] {
          select(in, RowIndexSet.of(5, 99, 108, 1L << 33), null),
          select(in, null, null),
          select(in, RowIndexSet.EMPTY, null),
          select(in, RowIndexSet.of(7), RowIndexSet.of(100, 101, 102, 103, 104, 105, 106, 107)),
        }) {
      assertThat(out.numRows()).isEqualTo(8);
      assertThat(out.numCols()).isEqualTo(in.numCols() - 1);
      for (int c = 0; c < out.numCols(); c++) {
        assertThat(out.column(c)).isSameAs(in.column(c < TestBatch.ROW_INDEX ? c : c + 1));
      }
      assertRow(out, 7, 7);
    }
  }

  @Test
  void leavesNoRowsWhenAllAreDeleted() {
    ColumnarBatch out =
        select(batch(), RowIndexSet.of(100, 101, 102, 103, 104, 105, 106, 107), null);
    assertThat(out.numRows()).isZero();
    assertThat(out.numCols()).isEqualTo(TestBatch.SCHEMA.length() - 1);
    assertThat(out.rowIterator().hasNext()).isFalse();
    assertThat(select(batch(), null, RowIndexSet.of(5)).numRows()).isZero();
  }

  @Test
  void handlesRowIndexesInAnyOrderAndWithGaps() {
    // a reader that skipped pages or row groups yields gaps; order is not relied on either
    ColumnarBatch in = TestBatch.of(900, 7, 65_536, 3, 1L << 32, 4096, 5, 6);
    ColumnarBatch out = select(in, RowIndexSet.of(7, 1L << 32, 6), null);
    int[] kept = {0, 2, 3, 5, 6};
    assertThat(out.numRows()).isEqualTo(kept.length);
    for (int i = 0; i < kept.length; i++) {
      assertRow(out, i, kept[i]);
    }
  }

  @Test
  void countsOnlyTheNullsOfKeptRows() {
    ColumnarBatch without = select(batch(), RowIndexSet.of(103), null);
    ColumnVector s = without.column(3);
    assertThat(s.hasNull()).isFalse();
    assertThat(s.numNulls()).isZero();
    ColumnarBatch with = select(batch(), RowIndexSet.of(100), null);
    assertThat(with.column(3).hasNull()).isTrue();
    assertThat(with.column(3).numNulls()).isEqualTo(1);
    assertThat(with.column(3).isNullAt(2)).isTrue();
    assertThat(with.column(0).hasNull()).isFalse();
    assertThat(with.column(10).numNulls()).isEqualTo(1);
  }

  @Test
  void closingTheSelectionLeavesTheReadersVectorsOpen() {
    ColumnarBatch in = batch();
    ColumnarBatch out = select(in, RowIndexSet.of(100), null);
    out.close();
    out.closeIfFreeable();
    assertThat(in.column(0).getInt(7)).isEqualTo(TestBatch.i(7));
    assertThat(in.column(4).getUTF8String(1).toString()).isEqualTo(TestBatch.s(1));
    assertThat(in.column(11).getStruct(1).getInt(0)).isEqualTo(1);
  }

  /** Checks output row {@code i} against source row {@code r} through vectors and rows. */
  private static void assertRow(ColumnarBatch out, int i, int r) {
    assertThat(out.column(0).getInt(i)).isEqualTo(TestBatch.i(r));
    assertThat(out.column(1).getLong(i)).isEqualTo(TestBatch.l(r));
    assertThat(out.column(2).getDouble(i)).isEqualTo(TestBatch.d(r));
    String s = TestBatch.s(r);
    assertThat(out.column(3).isNullAt(i)).isEqualTo(s == null);
    if (s != null) {
      assertThat(out.column(3).getUTF8String(i).toString()).isEqualTo(s);
    }
    assertThat(out.column(4).getBinary(i)).containsExactly(TestBatch.bin(r));
    assertThat(out.column(5).getDecimal(i, 9, 2).toJavaBigDecimal()).isEqualTo(TestBatch.dec(r));
    assertThat(out.column(6).getDecimal(i, 30, 5).toJavaBigDecimal()).isEqualTo(TestBatch.big(r));
    assertThat(out.column(7).getBoolean(i)).isEqualTo(TestBatch.flag(r));
    assertThat(out.column(8).getInt(i)).isEqualTo(TestBatch.day(r));
    assertThat(out.column(9).getLong(i)).isEqualTo(TestBatch.ts(r));
    assertStruct(out.column(10), i, r);
    assertArray(out.column(11), i, r);
    assertMap(out.column(12), i, r);
    assertThat(out.column(13).getShort(i)).isEqualTo((short) (r - 100));
    assertThat(out.column(14).getByte(i)).isEqualTo((byte) (r - 50));
    assertThat(out.column(15).getFloat(i)).isEqualTo(r / 4f);

    // Spark's row view of a batch reads through getStruct, getArray and getMap as well
    InternalRow row = out.getRow(i);
    assertThat(row.numFields()).isEqualTo(16);
    assertThat(row.getInt(0)).isEqualTo(TestBatch.i(r));
    assertThat(row.get(5, DataTypes.createDecimalType(9, 2)).toString())
        .isEqualTo(TestBatch.dec(r).toPlainString());
    assertThat(row.isNullAt(10)).isEqualTo(r == 5);
    if (r != 5) {
      InternalRow st = row.getStruct(10, 2);
      assertThat(st.getInt(0)).isEqualTo(r);
      assertThat(st.getStruct(1, 1).getUTF8String(0).toString()).isEqualTo("c" + r);
    }
  }

  private static void assertStruct(ColumnVector st, int i, int r) {
    assertThat(st.isNullAt(i)).isEqualTo(r == 5);
    if (r == 5) {
      assertThat(st.getStruct(i)).isNull();
      return;
    }
    ColumnarRow row = st.getStruct(i);
    assertThat(row.getInt(0)).isEqualTo(r);
    assertThat(row.getStruct(1, 1).getUTF8String(0).toString()).isEqualTo("c" + r);
    assertThat(st.getChild(1).getChild(0).getUTF8String(i).toString()).isEqualTo("c" + r);
    assertThat(st.getChild(0)).isSameAs(st.getChild(0));
  }

  private static void assertArray(ColumnVector arr, int i, int r) {
    assertThat(arr.isNullAt(i)).isEqualTo(r == 6);
    if (r != 6) {
      ArrayData a = arr.getArray(i);
      assertThat(a.toIntArray()).containsExactly(TestBatch.arr(r));
    }
  }

  private static void assertMap(ColumnVector m, int i, int r) {
    assertThat(m.isNullAt(i)).isEqualTo(r == 2);
    if (r != 2) {
      MapData map = m.getMap(i);
      assertThat(map.numElements()).isEqualTo(2);
      assertThat(map.keyArray().getUTF8String(0).getBytes())
          .isEqualTo(("k" + r).getBytes(StandardCharsets.UTF_8));
      assertThat(map.keyArray().getUTF8String(1).toString()).isEqualTo("z");
      assertThat(map.valueArray().toIntArray()).containsExactly(r, -r);
    }
  }
}
