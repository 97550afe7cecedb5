package io.lakeshare.spark.dv;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.roaringbitmap.RoaringBitmap;

/** Serialized bitmaps and deletion-vector files built independently of the code under test. */
final class DvBytes {
  private DvBytes() {}

  static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }

  /** The 32-bit bitmap of {@code values} (read unsigned). */
  static RoaringBitmap bitmap(int... values) {
    return RoaringBitmap.bitmapOf(values);
  }

  /** The portable format: magic, int64 count, then key and bitmap per bucket. */
  static byte[] portable(int[] keys, RoaringBitmap... bitmaps) {
    int size = 4 + 8;
    for (RoaringBitmap b : bitmaps) {
      size += 4 + b.serializedSizeInBytes();
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(BitmapArrayFormat.PORTABLE_MAGIC).putLong(bitmaps.length);
    for (int i = 0; i < bitmaps.length; i++) {
      out.putInt(keys[i]);
      bitmaps[i].serialize(out);
    }
    return out.array();
  }

  /** The native format: magic, int32 count, then length and bitmap per key 0, 1, ... */
  static byte[] nativeFormat(ByteOrder order, RoaringBitmap... bitmaps) {
    int size = 4 + 4;
    for (RoaringBitmap b : bitmaps) {
      size += 4 + b.serializedSizeInBytes();
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(order);
    out.putInt(BitmapArrayFormat.NATIVE_MAGIC).putInt(bitmaps.length);
    for (RoaringBitmap b : bitmaps) {
      out.putInt(b.serializedSizeInBytes());
      ByteBuffer le = out.slice().order(ByteOrder.LITTLE_ENDIAN);
      b.serialize(le);
      out.position(out.position() + b.serializedSizeInBytes());
    }
    return out.array();
  }

  /** A deletion-vector file: the version byte, then each bitmap framed by size and CRC-32. */
  static byte[] file(byte[]... bitmaps) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(1);
    for (byte[] b : bitmaps) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
      out.writeBytes(b);
      CRC32 crc = new CRC32();
      crc.update(b);
      out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
    return out.toByteArray();
  }

  /** A reader over {@code file} that remembers the last range asked for. */
  static final class FileReader implements RangeReader {
    final byte[] file;
    long lastOffset = -1;
    int lastLength = -1;
    int calls;

    FileReader(byte[] file) {
      this.file = file;
    }

    @Override
    public byte[] read(long offset, int length) {
      calls++;
      lastOffset = offset;
      lastLength = length;
      int from = (int) Math.min(offset, file.length);
      int to = (int) Math.min(offset + length, file.length);
      return java.util.Arrays.copyOfRange(file, from, to);
    }
  }
}
