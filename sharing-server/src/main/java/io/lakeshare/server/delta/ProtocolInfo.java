package io.lakeshare.server.delta;

import java.util.Set;

/**
 * The reader side of a Delta protocol action: what a reader must support to read the table.
 *
 * @param readerFeatures the reader features (empty below reader version 3)
 */
public record ProtocolInfo(int minReaderVersion, int minWriterVersion, Set<String> readerFeatures) {

  /** Copies the feature set. */
  public ProtocolInfo {
    readerFeatures = readerFeatures == null ? Set.of() : Set.copyOf(readerFeatures);
  }

  static ProtocolInfo of(io.delta.kernel.internal.actions.Protocol p) {
    return new ProtocolInfo(
        p.getMinReaderVersion(), p.getMinWriterVersion(), p.getReaderFeatures());
  }
}
