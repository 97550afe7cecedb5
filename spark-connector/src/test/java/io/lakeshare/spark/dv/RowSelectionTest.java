package io.lakeshare.spark.dv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class RowSelectionTest {
  private static final DataType[] TYPES =
      Arrays.stream(TestBatch.SCHEMA.fields()).map(StructField::dataType).toArray(DataType[]::new);

  @Test
  void keepsRowsNotExcludedAndIncludedIfThereIsAnIncludeSet() {
    RowIndexSet old = RowIndexSet.of(1, 2);
    RowIndexSet now = RowIndexSet.of(2, 3);
    assertThat(RowSelection.keeps(0, null, null)).isTrue();
    assertThat(RowSelection.keeps(1, old, null)).isFalse();
    assertThat(RowSelection.keeps(3, old, null)).isTrue();
    // rows deleted by the new vector and not by the old one
    assertThat(RowSelection.keeps(3, old, now)).isTrue();
    assertThat(RowSelection.keeps(2, old, now)).isFalse();
    assertThat(RowSelection.keeps(4, old, now)).isFalse();
    assertThat(RowSelection.keeps(3, null, now)).isTrue();
  }

  @Test
  void dropsTheRowIndexColumnOfAColumnarRowKeepingEveryTypesValue() {
    InternalRow in = TestBatch.of(10, 11, 12, 13, 14, 15, 16, 17).getRow(4);
    InternalRow out = RowSelection.withoutColumn(in, TestBatch.ROW_INDEX, TYPES);
    assertThat(out.numFields()).isEqualTo(TYPES.length - 1);
    assertThat(out.getInt(0)).isEqualTo(TestBatch.i(4));
    assertThat(out.getLong(1)).isEqualTo(TestBatch.l(4));
    assertThat(out.getDouble(2)).isEqualTo(TestBatch.d(4));
    assertThat(out.getUTF8String(3).toString()).isEqualTo(TestBatch.s(4));
    assertThat(out.getBinary(4)).containsExactly(TestBatch.bin(4));
    assertThat(out.getDecimal(5, 9, 2).toJavaBigDecimal()).isEqualTo(TestBatch.dec(4));
    assertThat(out.getDecimal(6, 30, 5).toJavaBigDecimal()).isEqualTo(TestBatch.big(4));
    assertThat(out.getBoolean(7)).isTrue();
    assertThat(out.getInt(8)).isEqualTo(TestBatch.day(4));
    assertThat(out.getLong(9)).isEqualTo(TestBatch.ts(4));
    InternalRow st = out.getStruct(10, 2);
    assertThat(st.getInt(0)).isEqualTo(4);
    assertThat(st.getStruct(1, 1).getUTF8String(0).toString()).isEqualTo("c4");
    assertThat(out.getArray(11).toIntArray()).containsExactly(TestBatch.arr(4));
    assertThat(out.getMap(12).valueArray().toIntArray()).containsExactly(4, -4);
    assertThat(out.getShort(13)).isEqualTo((short) -96);
    assertThat(out.getByte(14)).isEqualTo((byte) -46);
    assertThat(out.getFloat(15)).isEqualTo(1f);
  }

  @Test
  void keepsNullsAsNulls() {
    InternalRow in = TestBatch.of(10, 11, 12, 13, 14, 15, 16, 17).getRow(3);
    InternalRow out = RowSelection.withoutColumn(in, TestBatch.ROW_INDEX, TYPES);
    assertThat(out.isNullAt(3)).isTrue();
    assertThat(out.isNullAt(0)).isFalse();
  }

  @Test
  void dropsTheFirstOrLastColumnOfAGenericRow() {
    DataType[] types = {
      DataTypes.LongType, DataTypes.StringType, DataTypes.createDecimalType(5, 1)
    };
    InternalRow in =
        new GenericInternalRow(
            new Object[] {7L, UTF8String.fromString("x"), Decimal.apply("1234.5")});
    InternalRow first = RowSelection.withoutColumn(in, 0, types);
    assertThat(first.numFields()).isEqualTo(2);
    assertThat(first.getUTF8String(0).toString()).isEqualTo("x");
    assertThat(first.getDecimal(1, 5, 1).toString()).isEqualTo("1234.5");
    InternalRow last = RowSelection.withoutColumn(in, 2, types);
    assertThat(last.getLong(0)).isEqualTo(7L);
    assertThat(last.getUTF8String(1).toString()).isEqualTo("x");
  }
}
