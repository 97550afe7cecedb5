package io.lakeshare.protocol.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Builds request URLs under the profile's endpoint, percent-encoding every path segment and query
 * value (RFC 3986 unreserved characters stay as they are).
 */
final class RequestUrl {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final StringBuilder path;
  private final StringBuilder query = new StringBuilder();

  /** {@code endpoint} may end with {@code /}; it is not doubled. */
  RequestUrl(String endpoint) {
    int end = endpoint.length();
    while (end > 0 && endpoint.charAt(end - 1) == '/') {
      end--;
    }
    this.path = new StringBuilder(endpoint.substring(0, end));
  }

  /** Appends a fixed path piece such as {@code shares}. */
  RequestUrl path(String fixed) {
    path.append('/').append(fixed);
    return this;
  }

  /** Appends a name as one encoded path segment. */
  RequestUrl segment(String name) {
    path.append('/').append(encode(name));
    return this;
  }

  /** Appends a query parameter unless {@code value} is {@code null}. */
  RequestUrl param(String name, Object value) {
    if (value != null) {
      query.append(query.length() == 0 ? '?' : '&');
      query.append(encode(name)).append('=').append(encode(value.toString()));
    }
    return this;
  }

  URI toUri() {
    return URI.create(path.toString() + query);
  }

  static String encode(String s) {
    if (s.equals(".") || s.equals("..")) {
      // Kept literally, these would be read as dot segments and change the path.
      return s.replace(".", "%2E");
    }
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }
}
