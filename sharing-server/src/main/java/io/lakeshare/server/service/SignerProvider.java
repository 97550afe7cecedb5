package io.lakeshare.server.service;

import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.storage.FileSigner;

/** Hands out the URL signer for a table's storage. */
public interface SignerProvider {
  /**
   * @param location the table's normalized location
   * @throws ServiceException when the table's storage cannot be signed for
   */
  FileSigner signerFor(SharedTable table, String location);
}
