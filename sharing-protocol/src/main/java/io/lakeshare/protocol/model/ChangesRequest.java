package io.lakeshare.protocol.model;

/**
 * Query parameters of {@code GET .../changes} (E9, CONFORMANCE §1.10). Every field is optional
 * ({@code null}); the server needs exactly one start and at most one end. Timestamps are sent as
 * given (ISO-8601, e.g. {@code 2022-01-01T00:00:00Z}). {@code maxFiles} and {@code pageToken} page
 * the answer like snapshot queries (§1.9.5).
 */
public record ChangesRequest(
    Long startingVersion,
    String startingTimestamp,
    Long endingVersion,
    String endingTimestamp,
    Boolean includeHistoricalMetadata,
    Integer maxFiles,
    String pageToken)
    implements java.io.Serializable {

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.startingVersion = startingVersion;
    b.startingTimestamp = startingTimestamp;
    b.endingVersion = endingVersion;
    b.endingTimestamp = endingTimestamp;
    b.includeHistoricalMetadata = includeHistoricalMetadata;
    b.maxFiles = maxFiles;
    b.pageToken = pageToken;
    return b;
  }

  /** Mutable builder; unset fields stay {@code null}. */
  public static final class Builder {
    private Long startingVersion;
    private String startingTimestamp;
    private Long endingVersion;
    private String endingTimestamp;
    private Boolean includeHistoricalMetadata;
    private Integer maxFiles;
    private String pageToken;

    public Builder startingVersion(Long v) {
      startingVersion = v;
      return this;
    }

    public Builder startingTimestamp(String v) {
      startingTimestamp = v;
      return this;
    }

    public Builder endingVersion(Long v) {
      endingVersion = v;
      return this;
    }

    public Builder endingTimestamp(String v) {
      endingTimestamp = v;
      return this;
    }

    public Builder includeHistoricalMetadata(Boolean v) {
      includeHistoricalMetadata = v;
      return this;
    }

    public Builder maxFiles(Integer v) {
      maxFiles = v;
      return this;
    }

    public Builder pageToken(String v) {
      pageToken = v;
      return this;
    }

    public ChangesRequest build() {
      return new ChangesRequest(
          startingVersion,
          startingTimestamp,
          endingVersion,
          endingTimestamp,
          includeHistoricalMetadata,
          maxFiles,
          pageToken);
    }
  }
}
