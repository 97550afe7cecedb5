package io.lakeshare.spark.read;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;

/**
 * Reading a table's files straight from its cloud directory (directory access, E11): a scan's
 * refresher implements this when the files it lists are cloud paths rather than pre-signed URLs.
 */
public interface DirectAccess {
  /**
   * The file system reading the table's directory with temporary credentials that are not about to
   * expire; they are renewed from the sharing server first when they are.
   */
  FileSystem fileSystem() throws IOException;

  /** Whether {@code path} lies inside the directory the credentials were issued for. */
  boolean covers(String path);

  /** Drops the file system (the scan is no longer read in this JVM). */
  void release();
}
