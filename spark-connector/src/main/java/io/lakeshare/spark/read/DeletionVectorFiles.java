package io.lakeshare.spark.read;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * Reads byte ranges of deletion-vector files through the URLs registered for a scan, with the same
 * retries and URL refreshes as data files.
 */
public final class DeletionVectorFiles {
  private DeletionVectorFiles() {}

  /**
   * Reads {@code length} bytes at {@code offset} of the vector file registered as {@code fileId} in
   * scan {@code scanKey}.
   */
  public static byte[] read(
      String scanKey, String fileId, long offset, int length, int maxConnections, long timeoutMs)
      throws IOException {
    TableUrls t = UrlRegistry.get().lookup(scanKey);
    if (t == null) {
      throw new FileNotFoundException(
          "No Delta Sharing scan " + scanKey + " is registered in this JVM for " + fileId);
    }
    byte[] out = new byte[length];
    FileUrl u = t.sourceFor(fileId).current();
    if (DirectReads.isDirect(u.url())) {
      try (FSDataInputStream in = DirectReads.open(t, fileId, u.url())) {
        in.readFully(offset, out, 0, length);
      }
      return out;
    }
    // the file is at least this long; its true length is not known to the reader
    long knownLength = offset + length;
    try (HttpRangeInputStream in =
        new HttpRangeInputStream(
            ReaderHttp.client(t.settings(), maxConnections, timeoutMs),
            t.sourceFor(fileId),
            knownLength,
            true,
            t.settings(),
            "deletion vector " + fileId + " of table " + t.tableName())) {
      in.readFully(offset, out, 0, length);
    }
    return out;
  }
}
