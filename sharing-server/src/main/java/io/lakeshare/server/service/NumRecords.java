package io.lakeshare.server.service;

import java.nio.charset.StandardCharsets;

/** Reads {@code numRecords} out of a file's stats without parsing or decoding the rest of them. */
final class NumRecords {
  /** The key as it appears in the stats kept as a JSON string body: its quotes escaped. */
  private static final byte[] ESCAPED_KEY =
      "\\\"numRecords\\\"".getBytes(StandardCharsets.US_ASCII);

  private NumRecords() {}

  /**
   * The row count in stats kept as a JSON string body ({@code ScanFile#statsJson()}), or 0 when
   * unknown.
   */
  static long ofJsonStringBody(byte[] body) {
    if (body == null) {
      return 0;
    }
    int at = FileLines.indexOf(body, ESCAPED_KEY, 0);
    if (at < 0) {
      return 0;
    }
    int i = at + ESCAPED_KEY.length;
    while (i < body.length && (body[i] == ' ' || body[i] == ':')) {
      i++;
    }
    long value = 0;
    boolean any = false;
    while (i < body.length && body[i] >= '0' && body[i] <= '9') {
      value = value * 10 + (body[i] - '0');
      any = true;
      i++;
    }
    return any ? value : 0;
  }
}
