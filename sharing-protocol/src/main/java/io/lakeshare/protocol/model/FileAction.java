package io.lakeshare.protocol.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A data-file line: {@code file} in snapshot answers, {@code add}/{@code cdf}/{@code remove} in
 * change answers (CONFORMANCE §3.3). Optional fields are {@code null}. Partition values keep their
 * order; a {@code null} map value stands for a JSON {@code null} in the log.
 */
public record FileAction(
    Kind kind,
    String url,
    String id,
    Map<String, String> partitionValues,
    long size,
    String stats,
    Long version,
    Long timestamp,
    Long expirationTimestamp)
    implements ResponseAction {

  /** The wrapper key of the line. */
  public enum Kind {
    FILE("file"),
    ADD("add"),
    CDF("cdf"),
    REMOVE("remove");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public FileAction {
    java.util.Objects.requireNonNull(kind, "kind");
    java.util.Objects.requireNonNull(url, "url");
    java.util.Objects.requireNonNull(id, "id");
    partitionValues =
        partitionValues == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
  }
}
