package io.lakeshare.server.delta;

import java.util.Set;

/**
 * A Delta protocol action: what a reader (and a writer) must support to use the table.
 *
 * @param readerFeatures the reader features (empty below reader version 3)
 * @param writerFeatures the writer features (empty below writer version 7)
 */
public record ProtocolInfo(
    int minReaderVersion,
    int minWriterVersion,
    Set<String> readerFeatures,
    Set<String> writerFeatures) {

  /** Copies the feature sets. */
  public ProtocolInfo {
    readerFeatures = readerFeatures == null ? Set.of() : Set.copyOf(readerFeatures);
    writerFeatures = writerFeatures == null ? Set.of() : Set.copyOf(writerFeatures);
  }

  /** A protocol without writer features. */
  public ProtocolInfo(int minReaderVersion, int minWriterVersion, Set<String> readerFeatures) {
    this(minReaderVersion, minWriterVersion, readerFeatures, Set.of());
  }

  static ProtocolInfo of(io.delta.kernel.internal.actions.Protocol p) {
    return new ProtocolInfo(
        p.getMinReaderVersion(),
        p.getMinWriterVersion(),
        p.getReaderFeatures(),
        p.getWriterFeatures());
  }
}
