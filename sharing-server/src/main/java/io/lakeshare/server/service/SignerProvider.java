package io.lakeshare.server.service;

import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.storage.FileSigner;
import java.time.Duration;

/**
 * Hands out the URL signer for a table's storage, and temporary read credentials where that storage
 * can issue them (directory access).
 */
public interface SignerProvider {
  /**
   * Whether the storage of a table at {@code root} (its normalized location) can issue temporary
   * credentials scoped to a directory of it.
   */
  default boolean vendsCredentials(SharedTable table, String root) {
    return false;
  }

  /**
   * Read-only credentials for {@code location}, the table root or a directory under it, valid for
   * {@code validity} (or less, where the storage caps it).
   *
   * @param root the table's normalized location
   * @throws ServiceException when the storage cannot issue them
   */
  default TemporaryCredentials credentialsFor(
      SharedTable table, String root, String location, Duration validity) {
    throw ServerErrors.unsupported(
        "Directory access is not available for table '" + table.fullName() + "'.");
  }

  /**
   * @param location the table's normalized location
   * @throws ServiceException when the table's storage cannot be signed for
   */
  FileSigner signerFor(SharedTable table, String location);
}
