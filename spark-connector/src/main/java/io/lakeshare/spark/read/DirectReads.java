package io.lakeshare.spark.read;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/** Opens the files of a directory-access scan through its scoped Hadoop file system. */
final class DirectReads {
  private DirectReads() {}

  /** Whether a registered location is a cloud path to read directly (not an HTTP URL). */
  static boolean isDirect(String url) {
    return !(url.regionMatches(true, 0, "https:", 0, 6)
        || url.regionMatches(true, 0, "http:", 0, 5));
  }

  /**
   * Opens the file registered as {@code fileId} of scan {@code t}, whose location is {@code path};
   * the path must lie inside the directory the scan's credentials cover.
   */
  static FSDataInputStream open(TableUrls t, String fileId, String path) throws IOException {
    DirectAccess access = t.directAccess();
    if (access == null) {
      throw new IOException(
          "File "
              + fileId
              + " of Delta Sharing table "
              + t.tableName()
              + " has no URL and the scan reads no directory");
    }
    if (!access.covers(path)) {
      throw new FileNotFoundException(
          "File "
              + fileId
              + " of Delta Sharing table "
              + t.tableName()
              + " lies outside the table's directory; it is not read");
    }
    t.touch();
    return access.fileSystem().open(new Path(path));
  }
}
