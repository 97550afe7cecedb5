package io.lakeshare.protocol.client;

import io.lakeshare.protocol.model.Capabilities;
import io.lakeshare.protocol.model.MetadataLine;
import io.lakeshare.protocol.model.ProtocolConstants;
import io.lakeshare.protocol.model.ProtocolLine;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Answer of the table metadata call: the {@code Delta-Table-Version} header, the two action lines
 * (in the parquet or the delta response format), and all response headers (looked up
 * case-insensitively).
 */
public record MetadataResponse(
    long tableVersion, ProtocolLine protocol, MetadataLine metadata, Map<String, String> headers) {
  public MetadataResponse {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(metadata, "metadata");
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      copy.putAll(headers);
    }
    headers = Collections.unmodifiableMap(copy);
  }

  /**
   * The format the server answered in: {@code parquet} (also when it did not say) or {@code delta}.
   */
  public String respondedFormat() {
    return AnswerChecks.respondedFormat(
        Capabilities.parse(headers.get(ProtocolConstants.HEADER_CAPABILITIES)));
  }
}
