package io.lakeshare.spark.dv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;

/**
 * Decodes Delta's serialized 64-bit bitmap ("RoaringBitmapArray"): a little-endian magic number,
 * then 32-bit RoaringBitmaps in the standard portable serialization, each for one value of the high
 * 32 bits of the row indexes.
 *
 * <ul>
 *   <li>{@value #PORTABLE_MAGIC} (what the protocol specifies and Delta writes): an int64 count,
 *       then per bitmap its int32 key and the bitmap.
 *   <li>{@value #NATIVE_MAGIC} (Delta's other format, which delta-spark still reads): an int32
 *       count, then per bitmap its int32 byte length and the bitmap; keys are the positions.
 * </ul>
 *
 * <p>The protocol's own inline example stores the native format with its magic, count and lengths
 * big-endian (the bitmaps stay little-endian). The magic tells the byte order apart, so that is
 * read too: the numbers cannot be mistaken for another format.
 */
final class BitmapArrayFormat {
  static final int PORTABLE_MAGIC = 1681511377;
  static final int NATIVE_MAGIC = 1681511376;

  /** Smallest standard serialization of a 32-bit bitmap: a cookie and a container count. */
  private static final int MIN_BITMAP_BYTES = 8;

  private BitmapArrayFormat() {}

  /**
   * Parses all of {@code data} (position to limit) as one serialized bitmap.
   *
   * @param where the vector's location for messages
   * @throws IOException naming {@code where} if the bytes are not exactly one such bitmap
   */
  static RowIndexSet parse(ByteBuffer data, String where) throws IOException {
    ByteBuffer in = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() < 4) {
      throw corrupt(where, in.remaining() + " bytes are too few for a serialized bitmap");
    }
    int magic = in.getInt();
    try {
      RowIndexSet set;
      if (magic == PORTABLE_MAGIC) {
        set = portable(in, where);
      } else if (magic == NATIVE_MAGIC) {
        set = nativeFormat(in, where);
      } else if (Integer.reverseBytes(magic) == NATIVE_MAGIC) {
        set = nativeFormat(in.order(ByteOrder.BIG_ENDIAN), where);
      } else {
        throw corrupt(
            where,
            "unknown magic number "
                + magic
                + " (expected "
                + PORTABLE_MAGIC
                + " or "
                + NATIVE_MAGIC
                + ", little-endian)");
      }
      if (in.hasRemaining()) {
        throw corrupt(where, in.remaining() + " bytes left over after the bitmap");
      }
      return set;
    } catch (RuntimeException e) {
      // RoaringBitmap reports malformed input with unchecked exceptions of several kinds.
      throw new IOException(
          "Deletion vector " + where + " is corrupt: malformed bitmap (" + e + ")", e);
    }
  }

  private static RowIndexSet portable(ByteBuffer in, String where) throws IOException {
    long count = in.getLong();
    if (count < 0 || count > in.remaining() / (4 + MIN_BITMAP_BYTES)) {
      throw corrupt(
          where, "bitmap count " + count + " does not fit in " + in.remaining() + " bytes");
    }
    int[] keys = new int[(int) count];
    RoaringBitmap[] bitmaps = new RoaringBitmap[(int) count];
    for (int i = 0; i < count; i++) {
      keys[i] = in.getInt();
      // Delta keeps the top bit of every key clear so row indexes stay non-negative longs.
      if (keys[i] < 0 || (i > 0 && keys[i] <= keys[i - 1])) {
        throw corrupt(where, "bitmap keys are not ascending and non-negative: " + keys[i]);
      }
      bitmaps[i] = bitmap(in, in.remaining());
    }
    return RowIndexSet.adopt(keys, bitmaps);
  }

  private static RowIndexSet nativeFormat(ByteBuffer in, String where) throws IOException {
    int count = in.getInt();
    if (count < 0 || count > in.remaining() / (4 + MIN_BITMAP_BYTES)) {
      throw corrupt(
          where, "bitmap count " + count + " does not fit in " + in.remaining() + " bytes");
    }
    RoaringBitmap[] bitmaps = new RoaringBitmap[count];
    for (int i = 0; i < count; i++) {
      int length = in.getInt();
      if (length < MIN_BITMAP_BYTES || length > in.remaining()) {
        throw corrupt(where, "bitmap length " + length + " does not fit in " + in.remaining());
      }
      int end = in.position() + length;
      bitmaps[i] = bitmap(in, length);
      if (in.position() != end) {
        throw corrupt(where, "bitmap " + i + " is not " + length + " bytes long");
      }
    }
    int[] keys = new int[count];
    Arrays.setAll(keys, i -> i);
    return RowIndexSet.adopt(keys, bitmaps);
  }

  /** Reads one standard 32-bit bitmap from at most the next {@code limit} bytes of {@code in}. */
  private static RoaringBitmap bitmap(ByteBuffer in, int limit) throws IOException {
    // A slice bounds what a corrupt header can make the library read, and fixes the byte order:
    // the standard serialization is always little-endian, whatever order the framing used.
    ByteBuffer view = in.slice().order(ByteOrder.LITTLE_ENDIAN);
    view.limit(limit);
    RoaringBitmap bitmap = new RoaringBitmap();
    bitmap.deserialize(view);
    // The library does not advance the buffer it reads from; its own size says how far it read.
    in.position(in.position() + bitmap.serializedSizeInBytes());
    return bitmap;
  }

  private static IOException corrupt(String where, String what) {
    return new IOException("Deletion vector " + where + " is corrupt: " + what);
  }
}
