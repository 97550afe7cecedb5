package io.lakeshare.protocol.model;

/**
 * The {@code protocol} line in either response format: {@link Protocol} (the sharing protocol's
 * reader version) or {@link DeltaProtocol} (the table's Delta protocol).
 */
public sealed interface ProtocolLine extends ResponseAction permits Protocol, DeltaProtocol {
  /** The reader version the line states (the sharing protocol's, or Delta's). */
  int minReaderVersion();
}
