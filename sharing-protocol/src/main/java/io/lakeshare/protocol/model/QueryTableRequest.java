package io.lakeshare.protocol.model;

import java.util.List;

/**
 * Body of {@code POST .../query} (CONFORMANCE §1.9.1). Every field is optional ({@code null}).
 * {@code jsonPredicateHints} is the serialized JSON predicate tree, a string on the wire.
 */
public record QueryTableRequest(
    List<String> predicateHints,
    String jsonPredicateHints,
    Long limitHint,
    Long version,
    String timestamp,
    Long startingVersion,
    Long endingVersion,
    Boolean includeHistoricalProtocol,
    String idempotencyKey,
    Integer maxFiles,
    String pageToken,
    Boolean includeRefreshToken,
    String refreshToken)
    implements java.io.Serializable {

  public static final QueryTableRequest EMPTY =
      new QueryTableRequest(
          null, null, null, null, null, null, null, null, null, null, null, null, null);

  public QueryTableRequest {
    predicateHints = predicateHints == null ? null : List.copyOf(predicateHints);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.predicateHints = predicateHints;
    b.jsonPredicateHints = jsonPredicateHints;
    b.limitHint = limitHint;
    b.version = version;
    b.timestamp = timestamp;
    b.startingVersion = startingVersion;
    b.endingVersion = endingVersion;
    b.includeHistoricalProtocol = includeHistoricalProtocol;
    b.idempotencyKey = idempotencyKey;
    b.maxFiles = maxFiles;
    b.pageToken = pageToken;
    b.includeRefreshToken = includeRefreshToken;
    b.refreshToken = refreshToken;
    return b;
  }

  /** Mutable builder; unset fields stay {@code null}. */
  public static final class Builder {
    private List<String> predicateHints;
    private String jsonPredicateHints;
    private Long limitHint;
    private Long version;
    private String timestamp;
    private Long startingVersion;
    private Long endingVersion;
    private Boolean includeHistoricalProtocol;
    private String idempotencyKey;
    private Integer maxFiles;
    private String pageToken;
    private Boolean includeRefreshToken;
    private String refreshToken;

    public Builder predicateHints(List<String> v) {
      predicateHints = v;
      return this;
    }

    public Builder jsonPredicateHints(String v) {
      jsonPredicateHints = v;
      return this;
    }

    public Builder limitHint(Long v) {
      limitHint = v;
      return this;
    }

    public Builder version(Long v) {
      version = v;
      return this;
    }

    public Builder timestamp(String v) {
      timestamp = v;
      return this;
    }

    public Builder startingVersion(Long v) {
      startingVersion = v;
      return this;
    }

    public Builder endingVersion(Long v) {
      endingVersion = v;
      return this;
    }

    public Builder includeHistoricalProtocol(Boolean v) {
      includeHistoricalProtocol = v;
      return this;
    }

    public Builder idempotencyKey(String v) {
      idempotencyKey = v;
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

    public Builder includeRefreshToken(Boolean v) {
      includeRefreshToken = v;
      return this;
    }

    public Builder refreshToken(String v) {
      refreshToken = v;
      return this;
    }

    public QueryTableRequest build() {
      return new QueryTableRequest(
          predicateHints,
          jsonPredicateHints,
          limitHint,
          version,
          timestamp,
          startingVersion,
          endingVersion,
          includeHistoricalProtocol,
          idempotencyKey,
          maxFiles,
          pageToken,
          includeRefreshToken,
          refreshToken);
    }
  }
}
