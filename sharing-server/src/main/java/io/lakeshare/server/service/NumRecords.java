package io.lakeshare.server.service;

/** Reads {@code numRecords} out of a stats JSON string without parsing the rest of it. */
final class NumRecords {
  private static final String KEY = "\"numRecords\"";

  private NumRecords() {}

  /** The file's row count, or 0 when unknown. */
  static long of(String stats) {
    if (stats == null) {
      return 0;
    }
    int at = stats.indexOf(KEY);
    if (at < 0) {
      return 0;
    }
    int i = at + KEY.length();
    int n = stats.length();
    while (i < n && (stats.charAt(i) == ' ' || stats.charAt(i) == ':')) {
      i++;
    }
    long value = 0;
    boolean any = false;
    while (i < n && Character.isDigit(stats.charAt(i))) {
      value = value * 10 + (stats.charAt(i) - '0');
      any = true;
      i++;
    }
    return any ? value : 0;
  }
}
