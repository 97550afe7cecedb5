package io.lakeshare.protocol.client;

import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.Protocol;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Answer of the table metadata call: the {@code Delta-Table-Version} header, the two action lines,
 * and all response headers (looked up case-insensitively).
 */
public record MetadataResponse(
    long tableVersion, Protocol protocol, Metadata metadata, Map<String, String> headers) {
  public MetadataResponse {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(metadata, "metadata");
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      copy.putAll(headers);
    }
    headers = Collections.unmodifiableMap(copy);
  }
}
