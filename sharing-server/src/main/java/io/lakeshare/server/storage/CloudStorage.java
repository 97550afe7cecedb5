package io.lakeshare.server.storage;

import java.time.Duration;

/** One object store account with one credential: reads Delta logs and signs data file URLs. */
public interface CloudStorage extends AutoCloseable {

  /** Reads Delta logs. */
  ObjectStore store();

  /** A signer for the files under {@code tableRoot}, a location in this store. */
  FileSigner signer(String tableRoot, Duration validity);

  /**
   * Whether this store is configured to issue temporary credentials scoped to a directory of the
   * table at {@code tableRoot} (directory access), e.g. an S3 entry with a {@code roleArn}.
   */
  default boolean vendsCredentials(String tableRoot) {
    return false;
  }

  /**
   * Read-only credentials for {@code location} (the table root or a directory under it, already
   * checked to be so), valid for about {@code validity}.
   *
   * @throws UnsupportedOperationException when {@link #vendsCredentials(String)} is false
   * @throws IllegalArgumentException when no credential can be scoped to that location
   * @throws StorageAccessException when the store refuses to issue them
   */
  default io.lakeshare.protocol.model.TemporaryCredentials temporaryCredentials(
      String location, Duration validity) {
    throw new UnsupportedOperationException(label() + " does not issue temporary credentials");
  }

  /** Where messages say these settings came from, e.g. {@code storage 'lake'}. */
  String label();

  @Override
  void close();
}
