package io.lakeshare.server.storage;

import java.util.Objects;

/**
 * A pre-signed URL for one data file and its expiry, which goes to the wire as {@code
 * expirationTimestamp} (CONFORMANCE §3.3).
 *
 * @param url URL readable without further authentication
 * @param expirationTimestampMillis epoch milliseconds after which the URL is refused
 */
public record SignedUrl(String url, long expirationTimestampMillis) {

  /** Rejects a missing URL. */
  public SignedUrl {
    Objects.requireNonNull(url, "url");
  }
}
