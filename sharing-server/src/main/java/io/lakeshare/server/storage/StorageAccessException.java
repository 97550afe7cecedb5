package io.lakeshare.server.storage;

import java.io.IOException;

/**
 * The object store refused a request (no credentials, access denied, bucket or container missing).
 * The message names the problem and a fix and never holds a secret; it is meant for the server log,
 * not for recipients.
 */
public class StorageAccessException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code cause} is the SDK's error, kept for the log. */
  public StorageAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
