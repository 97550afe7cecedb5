package io.lakeshare.protocol.model;

import java.util.List;

/**
 * {@code {"protocol": {"deltaProtocol": {...}}}}: the table's Delta protocol action in the delta
 * response format (CONFORMANCE §3.4). Unlike {@link Protocol}, the reader version is Delta's, not
 * the sharing protocol's.
 *
 * @param readerFeatures the reader features, or {@code null} when the action has none (reader
 *     version below 3)
 * @param writerFeatures the writer features, or {@code null} when the action has none (writer
 *     version below 7)
 * @param version the log version of this protocol, sent only when historical protocols were asked
 *     for; otherwise {@code null}
 */
public record DeltaProtocol(
    int minReaderVersion,
    int minWriterVersion,
    List<String> readerFeatures,
    List<String> writerFeatures,
    Long version)
    implements ProtocolLine {

  public DeltaProtocol {
    readerFeatures = readerFeatures == null ? null : List.copyOf(readerFeatures);
    writerFeatures = writerFeatures == null ? null : List.copyOf(writerFeatures);
  }
}
