package io.lakeshare.server.storage;

import java.util.Locale;

/**
 * The part of a file a response carries, chosen from a {@code Range} header (RFC 9110 §14). Only a
 * single {@code bytes} range is honoured; a header with several ranges or that does not parse is
 * ignored and the whole file is sent, which RFC 9110 allows and every client handles.
 *
 * @param first offset of the first byte
 * @param length number of bytes
 * @param partial whether this answers a range request (206) rather than the whole file (200)
 */
record ByteRange(long first, long length, boolean partial) {

  /** Marks a range that no byte of the file satisfies (416). */
  static final ByteRange UNSATISFIABLE = new ByteRange(-1, 0, true);

  private static final String BYTES_UNIT = "bytes=";
  // More digits than this cannot be a byte offset of any file; refusing them avoids overflow.
  private static final int MAX_DIGITS = 18;

  static ByteRange whole(long size) {
    return new ByteRange(0, size, false);
  }

  /** Offset of the last byte, for {@code Content-Range}. */
  long last() {
    return first + length - 1;
  }

  boolean isUnsatisfiable() {
    return first < 0;
  }

  /** Chooses what to send for a {@code Range} header value (or {@code null}) and a file size. */
  static ByteRange select(String header, long size) {
    if (header == null) {
      return whole(size);
    }
    String value = header.trim();
    if (!value.regionMatches(true, 0, BYTES_UNIT, 0, BYTES_UNIT.length())) {
      return whole(size);
    }
    String spec = value.substring(BYTES_UNIT.length()).trim();
    if (spec.indexOf(',') >= 0) {
      return whole(size);
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return whole(size);
    }
    String from = spec.substring(0, dash).trim();
    String to = spec.substring(dash + 1).trim();
    if (from.isEmpty()) {
      long suffix = parse(to);
      if (suffix < 0) {
        return whole(size);
      }
      if (suffix == 0 || size == 0) {
        return UNSATISFIABLE;
      }
      long length = Math.min(suffix, size);
      return new ByteRange(size - length, length, true);
    }
    long first = parse(from);
    long last = to.isEmpty() ? Long.MAX_VALUE : parse(to);
    if (first < 0 || last < 0 || last < first) {
      return whole(size);
    }
    if (first >= size) {
      return UNSATISFIABLE;
    }
    long end = Math.min(last, size - 1);
    return new ByteRange(first, end - first + 1, true);
  }

  /** Parses a non-negative decimal, or returns -1 when it is not one. */
  private static long parse(String digits) {
    if (digits.isEmpty() || digits.length() > MAX_DIGITS) {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Long.parseLong(digits);
  }

  @Override
  public String toString() {
    return isUnsatisfiable()
        ? "unsatisfiable"
        : String.format(Locale.ROOT, "%d+%d%s", first, length, partial ? " (partial)" : "");
  }
}
