package io.lakeshare.server.config;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A named recipient: the salted hash of its bearer token (never the token), an optional expiry, its
 * grants and its properties.
 *
 * @param tokenHash {@code sha256:<salt>:<digest>}, see {@code io.lakeshare.server.auth.TokenHash}
 * @param expiresAt the instant its token stops working, or null for never
 * @param allowedIps addresses and CIDR ranges it may connect from; empty for anywhere
 * @param federation its identity at a token issuer, or null when it has none
 * @param previousTokenHash the token it had before the last rotation, still valid until {@code
 *     previousTokenExpiresAt}; null when none
 */
public record RecipientConfig(
    String name,
    String tokenHash,
    Instant expiresAt,
    List<GrantConfig> grants,
    Map<String, String> properties,
    List<String> allowedIps,
    FederationConfig federation,
    String previousTokenHash,
    Instant previousTokenExpiresAt) {
  public RecipientConfig {
    grants = List.copyOf(grants);
    properties = Map.copyOf(properties);
    allowedIps = List.copyOf(allowedIps);
  }

  /** Keeps the token hash out of logs. */
  @Override
  public String toString() {
    return "RecipientConfig[name="
        + name
        + ", tokenHash=<redacted>, expiresAt="
        + expiresAt
        + ", grants="
        + grants
        + ", properties="
        + properties
        + ", allowedIps="
        + allowedIps
        + ", federation="
        + federation
        + "]";
  }
}
