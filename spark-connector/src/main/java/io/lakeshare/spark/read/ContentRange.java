package io.lakeshare.spark.read;

import java.util.Locale;

/** A parsed {@code Content-Range: bytes first-last/total} header; total is -1 when unknown. */
record ContentRange(long first, long last, long total) {

  /** The parsed header, or null if it is not a satisfied byte range. */
  static ContentRange parse(String value) {
    String v = value.trim();
    if (!v.toLowerCase(Locale.ROOT).startsWith("bytes ")) {
      return null;
    }
    v = v.substring(6).trim();
    int dash = v.indexOf('-');
    int slash = v.indexOf('/');
    if (dash <= 0 || slash < dash) {
      return null;
    }
    try {
      long first = Long.parseLong(v.substring(0, dash).trim());
      long last = Long.parseLong(v.substring(dash + 1, slash).trim());
      String totalText = v.substring(slash + 1).trim();
      long total = totalText.equals("*") ? -1 : Long.parseLong(totalText);
      if (first < 0 || last < first || (total >= 0 && last >= total)) {
        return null;
      }
      return new ContentRange(first, last, total);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
