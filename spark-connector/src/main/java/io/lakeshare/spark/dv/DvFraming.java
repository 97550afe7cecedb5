package io.lakeshare.spark.dv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The frame of one vector in a deletion-vector file: its size (big-endian int32), the serialized
 * bitmap, then a big-endian CRC-32 of the bitmap. The file's leading version byte lies outside the
 * frame and is not read: the magic number and the checksum already catch a wrong offset.
 */
final class DvFraming {
  /** Bytes of a frame beyond the bitmap: the size before it and the checksum after it. */
  static final int OVERHEAD = 8;

  private DvFraming() {}

  /**
   * The bitmap inside {@code frame}, after checking the frame against the descriptor's size.
   *
   * @throws IOException naming {@code where} if the frame is short, disagrees on the size or fails
   *     its checksum
   */
  static ByteBuffer unframe(byte[] frame, int sizeInBytes, String where) throws IOException {
    long expected = (long) sizeInBytes + OVERHEAD;
    if (frame.length != expected) {
      throw new IOException(
          "Deletion vector "
              + where
              + " is truncated: read "
              + frame.length
              + " of "
              + expected
              + " bytes (size, bitmap, checksum)");
    }
    ByteBuffer in = ByteBuffer.wrap(frame);
    int stored = in.getInt(0);
    if (stored != sizeInBytes) {
      throw new IOException(
          "Deletion vector "
              + where
              + " does not match its descriptor: the file gives the size "
              + stored
              + ", the descriptor "
              + sizeInBytes
              + " (wrong offset or a rewritten file)");
    }
    CRC32 crc = new CRC32();
    crc.update(frame, 4, sizeInBytes);
    int computed = (int) crc.getValue();
    int recorded = in.getInt(4 + sizeInBytes);
    if (computed != recorded) {
      throw new IOException(
          String.format(
              "Deletion vector %s is corrupt: checksum mismatch (file has %08x, bitmap gives %08x)",
              where, recorded, computed));
    }
    return ByteBuffer.wrap(frame, 4, sizeInBytes).slice();
  }
}
