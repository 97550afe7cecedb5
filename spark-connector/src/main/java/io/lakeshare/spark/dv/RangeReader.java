package io.lakeshare.spark.dv;

import java.io.IOException;

/** Reads byte ranges of the file an on-disk deletion vector is stored in. */
@FunctionalInterface
public interface RangeReader {
  /**
   * Returns the {@code length} bytes at {@code offset}, or fewer if the file ends first.
   *
   * @throws IOException if the range cannot be read
   */
  byte[] read(long offset, int length) throws IOException;
}
