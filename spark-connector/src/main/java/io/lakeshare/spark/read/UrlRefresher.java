package io.lakeshare.spark.read;

import java.io.IOException;
import java.io.Serializable;
import java.util.Map;

/** Asks the sharing server again for the URLs of a scan's files, at the scan's pinned version. */
public interface UrlRefresher extends Serializable {
  /** Fresh URLs by file id; may hold more files than the scan reads. */
  Map<String, FileUrl> refreshAll() throws IOException;
}
