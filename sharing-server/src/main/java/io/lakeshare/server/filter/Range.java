package io.lakeshare.server.filter;

import java.math.BigDecimal;

/**
 * The values an operand may take over the rows of one file: a closed interval (either end may be
 * unknown, written {@code null}) and whether SQL NULL and non-null values occur at all.
 *
 * <p>Bounds live in the comparison domain of a value type: Boolean (bool), Long (int, long, date as
 * epoch day, timestamp as epoch microseconds), Double (float, double; never NaN or -0.0), String
 * (string, ordered by code point like Spark). BigDecimal appears only before a cast.
 *
 * <p>{@code hiIsPrefix} marks a string upper bound that is only known to be a prefix of the true
 * maximum (truncated statistics): every value is then below "{@code hi} followed by anything".
 */
record Range(Object lo, Object hi, boolean hiIsPrefix, boolean canBeNull, boolean canBeValue) {

  static final Range UNKNOWN = new Range(null, null, false, true, true);
  static final Range NULL = new Range(null, null, false, true, false);
  static final Range SOME_VALUE = new Range(null, null, false, false, true);

  static Range exact(Object value) {
    return new Range(value, value, false, false, true);
  }

  static Range between(Object lo, Object hi) {
    return new Range(lo, hi, false, false, true);
  }

  Range withNull(boolean mayBeNull) {
    return new Range(lo, hi, hiIsPrefix, canBeNull || mayBeNull, canBeValue);
  }

  boolean isPoint() {
    return lo != null && hi != null && !hiIsPrefix && compare(lo, hi) == 0;
  }

  /**
   * Whether some value a here and b in {@code other} may satisfy a &lt; b (a &le; b if orEqual).
   */
  boolean mayBeBelow(Range other, boolean orEqual) {
    if (lo == null || other.hi == null) {
      return true;
    }
    int c = compareToUpper(lo, other);
    return orEqual ? c <= 0 : c < 0;
  }

  boolean mayEqual(Range other) {
    return mayBeBelow(other, true) && other.mayBeBelow(this, true);
  }

  boolean mayDiffer(Range other) {
    return !(isPoint() && other.isPoint() && compare(lo, other.lo) == 0);
  }

  private static int compareToUpper(Object value, Range r) {
    if (r.hiIsPrefix) {
      String prefix = (String) r.hi;
      String s = (String) value;
      // Anything starting with the prefix may still be below the true maximum.
      return s.startsWith(prefix) ? -1 : compare(s, prefix);
    }
    return compare(value, r.hi);
  }

  /** Orders two values of the same domain. */
  static int compare(Object a, Object b) {
    if (a instanceof String s) {
      return compareCodePoints(s, (String) b);
    }
    if (a instanceof Long l) {
      return Long.compare(l, (Long) b);
    }
    if (a instanceof Double d) {
      return Double.compare(d, (Double) b);
    }
    if (a instanceof Boolean x) {
      return Boolean.compare(x, (Boolean) b);
    }
    if (a instanceof BigDecimal x) {
      return x.compareTo((BigDecimal) b);
    }
    throw new IllegalArgumentException("not a comparable domain value");
  }

  /** Spark orders strings by UTF-8 bytes, which is code-point order (not Java's UTF-16 order). */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(i);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
    }
    return Integer.compare(a.length() - i, b.length() - i);
  }
}
