package io.lakeshare.spark.read;

import java.io.IOException;

/** Where a stream gets the URL of its file; implementations refresh expiring URLs. */
public interface UrlSource {

  /** The best URL known now for the file (may be close to expiry). */
  FileUrl current() throws IOException;

  /**
   * Called after the storage rejected {@code failed} with HTTP {@code status} (401/403, or 400 for
   * expired signatures); returns a different, fresher URL, or throws explaining that none exists.
   */
  FileUrl refresh(FileUrl failed, int status) throws IOException;
}
