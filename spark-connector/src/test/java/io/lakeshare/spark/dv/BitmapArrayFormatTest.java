package io.lakeshare.spark.dv;

import static io.lakeshare.spark.dv.DvBytes.bitmap;
import static io.lakeshare.spark.dv.DvBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class BitmapArrayFormatTest {
  private static final String WHERE = "(test)";

  private static RowIndexSet parse(byte[] bytes) throws IOException {
    return BitmapArrayFormat.parse(ByteBuffer.wrap(bytes), WHERE);
  }

  @Test
  void readsAHandWrittenPortableBitmapWithAnArrayContainer() throws IOException {
    byte[] bytes =
        hex(
            "d1d33964" // magic 1681511377, little-endian
                + " 0100000000000000" // one 32-bit bitmap
                + " 00000000" // its key: high 32 bits 0
                + " 3a300000 01000000" // cookie without runs, one container
                + " 0000 0100" // container key 0, cardinality - 1 = 1
                + " 10000000" // offset of the container's data
                + " 0500 0900"); // values 5 and 9
    RowIndexSet set = parse(bytes);
    assertThat(set.toArray()).containsExactly(5, 9);
    assertThat(set.cardinality()).isEqualTo(2);
  }

  @Test
  void readsAHandWrittenPortableBitmapWithARunContainer() throws IOException {
    byte[] bytes =
        hex(
            "d1d33964 0100000000000000 00000000"
                + " 3b300000" // cookie with runs, one container (count - 1 in the high half)
                + " 01" // run flags: container 0 is a run container
                + " 0000 6300" // key 0, cardinality - 1 = 99; no offsets below 4 containers
                + " 0100 6400 6300"); // one run: start 100, length - 1 = 99
    RowIndexSet set = parse(bytes);
    assertThat(set.cardinality()).isEqualTo(100);
    assertThat(set.contains(99)).isFalse();
    assertThat(set.contains(100)).isTrue();
    assertThat(set.contains(199)).isTrue();
    assertThat(set.contains(200)).isFalse();
  }

  @Test
  void readsTheProtocolsInlineExampleWhoseFramingIsBigEndianNativeFormat() throws IOException {
    // Example 3 of "Deletion Vector Descriptor Schema": Z85 of 40 bytes whose magic, count and
    // length are big-endian 1681511376, 1 and 28, followed by a standard (little-endian) bitmap.
    byte[] bytes = Z85.decode("wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", 40);
    assertThat(Arrays.copyOf(bytes, 4)).containsExactly(hex("6439d3d0"));
    assertThat(parse(bytes).toArray()).containsExactly(3, 4, 7, 11, 18, 29);
  }

  @Test
  void readsRowIndexesBeyondThe32BitRangeFromSparseKeys() throws IOException {
    RowIndexSet set =
        parse(
            DvBytes.portable(
                new int[] {0, 2, 7}, bitmap(1, 70_000), bitmap(0, -1), bitmap(123_456_789)));
    long two = 2L << 32;
    assertThat(set.toArray())
        .containsExactly(1, 70_000, two, two + 0xFFFF_FFFFL, (7L << 32) + 123_456_789);
    assertThat(set.contains(two + 1)).isFalse();
    assertThat(set.contains(1L << 32)).isFalse();
    assertThat(set.contains(-1)).isFalse();
    assertThat(set.cardinality()).isEqualTo(5);
  }

  @Test
  void readsTheNativeFormatInBothByteOrders() throws IOException {
    RoaringBitmap low = bitmap(3, 5);
    RoaringBitmap empty = new RoaringBitmap();
    RoaringBitmap high = bitmap(8);
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      RowIndexSet set = parse(DvBytes.nativeFormat(order, low, empty, high));
      assertThat(set.toArray()).containsExactly(3, 5, (2L << 32) + 8);
    }
  }

  @Test
  void readsAnEmptyBitmap() throws IOException {
    assertThat(parse(DvBytes.portable(new int[0])).isEmpty()).isTrue();
    assertThat(parse(DvBytes.portable(new int[] {0}, new RoaringBitmap())).cardinality()).isZero();
  }

  @Test
  void readsFromTheBuffersPositionToItsLimit() throws IOException {
    byte[] bitmap = DvBytes.portable(new int[] {0}, bitmap(4));
    byte[] padded = new byte[bitmap.length + 6];
    System.arraycopy(bitmap, 0, padded, 3, bitmap.length);
    ByteBuffer view = ByteBuffer.wrap(padded, 3, bitmap.length).order(ByteOrder.BIG_ENDIAN);
    assertThat(BitmapArrayFormat.parse(view, WHERE).toArray()).containsExactly(4);
  }

  @Test
  void rejectsAnUnknownMagicNumber() {
    byte[] bytes = DvBytes.portable(new int[] {0}, bitmap(1));
    bytes[0] = 0x00;
    assertThatThrownBy(() -> parse(bytes))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Deletion vector (test) is corrupt: unknown magic number");
  }

  @Test
  void rejectsTruncatedBytes() {
    byte[] bytes = DvBytes.portable(new int[] {0}, bitmap(1, 2, 3));
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> parse(cut))
          .as("first %d bytes", length)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("(test) is corrupt");
    }
  }

  @Test
  void rejectsBytesLeftOverAfterTheBitmap() {
    byte[] bytes = DvBytes.portable(new int[] {0}, bitmap(1));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);
    assertThatThrownBy(() -> parse(longer))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("2 bytes left over");
  }

  @Test
  void rejectsNegativeOrUnorderedKeys() {
    assertThatThrownBy(() -> parse(DvBytes.portable(new int[] {-1}, bitmap(1))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not ascending and non-negative: -1");
    assertThatThrownBy(() -> parse(DvBytes.portable(new int[] {3, 1}, bitmap(1), bitmap(2))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not ascending");
  }

  @Test
  void rejectsACountTheBytesCannotHold() {
    byte[] bytes = DvBytes.portable(new int[] {0}, bitmap(1));
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(4, 1L << 40);
    assertThatThrownBy(() -> parse(bytes))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bitmap count 1099511627776 does not fit");
  }

  @Test
  void rejectsANativeBitmapLengthThatDisagreesWithItsContent() {
    byte[] bytes = DvBytes.nativeFormat(ByteOrder.LITTLE_ENDIAN, bitmap(1), bitmap(2));
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(8, buffer.getInt(8) + 2);
    assertThatThrownBy(() -> parse(bytes))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("(test) is corrupt");
  }
}
