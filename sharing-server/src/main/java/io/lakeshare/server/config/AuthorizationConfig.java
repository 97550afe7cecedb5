package io.lakeshare.server.config;

/**
 * The {@code authorization} section: every request must carry {@code Authorization: Bearer
 * <bearerToken>}.
 */
public record AuthorizationConfig(String bearerToken) {

  /** Keeps the token out of logs and exception messages. */
  @Override
  public String toString() {
    return "AuthorizationConfig[bearerToken=<redacted>]";
  }
}
