package io.lakeshare.spark.read;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * A URL for one file and the epoch millisecond at which it stops working (MAX_VALUE if unknown).
 *
 * @param bearerToken an OAuth access token sent as {@code Authorization: Bearer} with the request
 *     (a cloud API URL that is not pre-signed), or null for a pre-signed URL
 */
public record FileUrl(String url, long expiresAtMillis, String bearerToken)
    implements Serializable {

  /** Creates a FileUrl; the URL must not be null. */
  public FileUrl {
    Objects.requireNonNull(url, "url");
  }

  /** A pre-signed URL. */
  public FileUrl(String url, long expiresAtMillis) {
    this(url, expiresAtMillis, null);
  }

  /** A URL whose expiry is unknown. */
  public static FileUrl of(String url) {
    return new FileUrl(url, Long.MAX_VALUE);
  }

  /** Scheme, host and path only: the query of a pre-signed URL carries its signature. */
  public String redacted() {
    return redact(url);
  }

  // Records print every component by default, which would leak signatures into logs.
  @Override
  public String toString() {
    return "FileUrl[" + redacted() + ", expiresAtMillis=" + expiresAtMillis + "]";
  }

  static String redact(String url) {
    try {
      URI uri = new URI(url);
      String authority = uri.getRawAuthority();
      if (uri.getScheme() == null || authority == null) {
        return "<unparseable URL>";
      }
      // user info may hold credentials as well
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      return uri.getScheme() + "://" + authority + path;
    } catch (URISyntaxException e) {
      return "<unparseable URL>";
    }
  }
}
