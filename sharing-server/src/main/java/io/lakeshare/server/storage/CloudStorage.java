package io.lakeshare.server.storage;

import java.time.Duration;

/** One object store account with one credential: reads Delta logs and signs data file URLs. */
public interface CloudStorage extends AutoCloseable {

  /** Reads Delta logs. */
  ObjectStore store();

  /** A signer for the files under {@code tableRoot}, a location in this store. */
  FileSigner signer(String tableRoot, Duration validity);

  /** Where messages say these settings came from, e.g. {@code storage 'lake'}. */
  String label();

  @Override
  void close();
}
