package io.lakeshare.spark.dv;

import io.lakeshare.protocol.model.DeletionVector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Reads the set of deleted rows a deletion-vector descriptor stands for. */
public final class DeletionVectorLoader {
  private DeletionVectorLoader() {}

  /**
   * Loads the rows {@code d} deletes. Inline vectors ({@code i}) are decoded from the descriptor;
   * vectors at a path or URL ({@code p}) are read with one call to {@code reader} for exactly the
   * vector's frame, {@code [offset, offset + 4 + sizeInBytes + 4)}. Vectors named by UUID ({@code
   * u}) need the table's root, which a sharing recipient does not have: servers send them as {@code
   * p} with a URL.
   *
   * @param reader reads the file of an on-disk vector; unused (and may be {@code null}) for inline
   *     ones
   * @throws IOException if the vector cannot be read, is corrupt, or holds a different number of
   *     rows than the descriptor's cardinality; the message names the vector's location without any
   *     URL query string
   */
  public static RowIndexSet load(DeletionVector d, RangeReader reader) throws IOException {
    Objects.requireNonNull(d, "deletion vector");
    String where = DvLocation.describe(d);
    if (d.sizeInBytes() < 0 || d.cardinality() < 0) {
      throw new IOException(
          "Deletion vector "
              + where
              + " has a negative size or cardinality ("
              + d.cardinality()
              + " rows)");
    }
    RowIndexSet rows;
    switch (d.storageType()) {
      case DeletionVector.STORAGE_INLINE:
        rows = BitmapArrayFormat.parse(ByteBuffer.wrap(inlineBytes(d, where)), where);
        break;
      case DeletionVector.STORAGE_PATH:
        rows =
            BitmapArrayFormat.parse(
                DvFraming.unframe(frame(d, reader, where), d.sizeInBytes(), where), where);
        break;
      case DeletionVector.STORAGE_UUID:
        throw new IOException(
            "Deletion vector "
                + where
                + " is stored relative to the table root, which recipients cannot read; the"
                + " sharing server must send it as an absolute URL (storage type 'p')");
      default:
        throw new IOException(
            "Deletion vector "
                + where
                + " has unknown storage type '"
                + d.storageType()
                + "' (expected 'i', 'p' or 'u')");
    }
    if (rows.cardinality() != d.cardinality()) {
      throw new IOException(
          "Deletion vector "
              + where
              + " holds "
              + rows.cardinality()
              + " rows but its descriptor says "
              + d.cardinality());
    }
    return rows;
  }

  private static byte[] inlineBytes(DeletionVector d, String where) throws IOException {
    try {
      return Z85.decode(d.pathOrInlineDv(), d.sizeInBytes());
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "Deletion vector " + where + " is not valid inline data: " + e.getMessage(), e);
    }
  }

  private static byte[] frame(DeletionVector d, RangeReader reader, String where)
      throws IOException {
    Objects.requireNonNull(reader, "a RangeReader is needed for an on-disk deletion vector");
    if (d.offset() == null || d.offset() < 0) {
      throw new IOException("Deletion vector " + where + " has no valid offset in its file");
    }
    long length = (long) d.sizeInBytes() + DvFraming.OVERHEAD;
    if (length > Integer.MAX_VALUE - 8) {
      throw new IOException("Deletion vector " + where + " is too large to read");
    }
    byte[] frame = reader.read(d.offset(), (int) length);
    if (frame == null) {
      throw new IOException("Deletion vector " + where + ": the reader returned no bytes");
    }
    return frame;
  }
}
