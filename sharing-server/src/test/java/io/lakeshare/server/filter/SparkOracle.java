package io.lakeshare.server.filter;

import io.lakeshare.protocol.predicate.ValueType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Row-level reference semantics for the soundness tests, written independently of the filter:
 * Spark's (non-ANSI) casts, comparisons (NaN largest and equal to itself, -0.0 = 0.0, strings by
 * code point) and Kleene logic over single truth values.
 *
 * <p>Values: Boolean, Long (int, long, timestamp micros), Double (float, double), String,
 * LocalDate, BigDecimal (decimal columns only). {@link #INVALID} marks a literal the client could
 * not have meant; comparisons with it may be anything.
 */
final class SparkOracle {
  static final Object INVALID = new Object();

  /** Truth values as bit sets, like the filter's but computed row by row. */
  static final int T = 1;

  static final int F = 2;
  static final int N = 4;
  static final int ANY = 7;

  private static final Pattern INT_TEXT = Pattern.compile("\\s*([+-]?\\d+)(\\.\\d*)?\\s*");
  private static final Pattern DATE_PREFIX =
      Pattern.compile("\\s*(\\d{4})-(\\d{1,2})-(\\d{1,2})([ T].*)?\\s*");

  private SparkOracle() {}

  /** Column type names of the test tables. */
  enum Type {
    STRING,
    INT,
    LONG,
    DOUBLE,
    FLOAT,
    DATE,
    TIMESTAMP,
    BOOLEAN,
    DECIMAL
  }

  /** CAST(value AS to) as Spark evaluates it without ANSI mode; null for NULL. */
  static Object cast(Object v, Type from, ValueType to, ZoneId session) {
    if (v == null) {
      return null;
    }
    return switch (to) {
      case STRING -> toText(v, from, session);
      case INT -> toIntegral(v, from, Integer.MIN_VALUE, Integer.MAX_VALUE, true);
      case LONG -> toIntegral(v, from, Long.MIN_VALUE, Long.MAX_VALUE, false);
      case FLOAT -> {
        Double d = toDouble(v, from);
        yield d == null ? null : (double) (float) (double) d;
      }
      case DOUBLE -> toDouble(v, from);
      case BOOL -> toBool(v, from);
      case DATE -> toDate(v, from, session);
      case TIMESTAMP -> toTimestamp(v, from, session);
    };
  }

  private static String toText(Object v, Type from, ZoneId session) {
    return switch (from) {
      case TIMESTAMP ->
          DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
              .format(LocalDateTime.ofInstant(instant((Long) v), session));
      case DECIMAL -> ((BigDecimal) v).toPlainString();
      default -> v.toString();
    };
  }

  private static Object toIntegral(Object v, Type from, long min, long max, boolean wrapToInt) {
    switch (from) {
      case INT, LONG -> {
        long l = (Long) v;
        return wrapToInt ? (long) (int) l : l;
      }
      case DOUBLE, FLOAT -> {
        double d = (Double) v;
        return wrapToInt ? (long) (int) d : (long) d;
      }
      case DECIMAL -> {
        BigDecimal t = ((BigDecimal) v).setScale(0, RoundingMode.DOWN);
        boolean fits =
            t.compareTo(BigDecimal.valueOf(min)) >= 0 && t.compareTo(BigDecimal.valueOf(max)) <= 0;
        return fits ? t.longValue() : null;
      }
      case BOOLEAN -> {
        return (Boolean) v ? 1L : 0L;
      }
      case STRING -> {
        Matcher m = INT_TEXT.matcher((String) v);
        if (!m.matches()) {
          return null;
        }
        BigDecimal t = new BigDecimal(m.group(1));
        boolean fits =
            t.compareTo(BigDecimal.valueOf(min)) >= 0 && t.compareTo(BigDecimal.valueOf(max)) <= 0;
        return fits ? t.longValue() : null;
      }
      default -> {
        return null;
      }
    }
  }

  private static Double toDouble(Object v, Type from) {
    return switch (from) {
      case INT, LONG -> (double) (long) (Long) v;
      case DOUBLE, FLOAT -> (Double) v;
      case DECIMAL -> ((BigDecimal) v).doubleValue();
      case BOOLEAN -> (Boolean) v ? 1.0 : 0.0;
      case STRING -> {
        String s = ((String) v).trim();
        try {
          yield s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?Infinity|NaN")
              ? Double.parseDouble(s)
              : null;
        } catch (NumberFormatException e) {
          yield null;
        }
      }
      default -> null;
    };
  }

  private static Boolean toBool(Object v, Type from) {
    return switch (from) {
      case BOOLEAN -> (Boolean) v;
      case INT, LONG -> (Long) v != 0;
      case DOUBLE, FLOAT -> (Double) v != 0;
      case STRING -> {
        String s = ((String) v).trim().toLowerCase(Locale.ROOT);
        if (s.equals("t")
            || s.equals("true")
            || s.equals("y")
            || s.equals("yes")
            || s.equals("1")) {
          yield true;
        }
        if (s.equals("f")
            || s.equals("false")
            || s.equals("n")
            || s.equals("no")
            || s.equals("0")) {
          yield false;
        }
        yield null;
      }
      default -> null;
    };
  }

  private static LocalDate toDate(Object v, Type from, ZoneId session) {
    return switch (from) {
      case DATE -> (LocalDate) v;
      case TIMESTAMP -> LocalDateTime.ofInstant(instant((Long) v), session).toLocalDate();
      case STRING -> {
        Matcher m = DATE_PREFIX.matcher((String) v);
        try {
          yield m.matches()
              ? LocalDate.of(
                  Integer.parseInt(m.group(1)),
                  Integer.parseInt(m.group(2)),
                  Integer.parseInt(m.group(3)))
              : null;
        } catch (java.time.DateTimeException e) {
          yield null;
        }
      }
      default -> null;
    };
  }

  private static Long toTimestamp(Object v, Type from, ZoneId session) {
    return switch (from) {
      case TIMESTAMP -> (Long) v;
      case DATE -> micros(((LocalDate) v).atStartOfDay(session).toInstant());
      case STRING -> {
        Object t = timestampLiteral(((String) v).trim(), session);
        yield t == INVALID ? null : (Long) t;
      }
      default -> null;
    };
  }

  /** The client's reading of a JSON literal of the given type. */
  static Object literal(String text, ValueType type, ZoneId session) {
    try {
      return switch (type) {
        case BOOL ->
            text.equalsIgnoreCase("true")
                ? Boolean.TRUE
                : text.equalsIgnoreCase("false") ? Boolean.FALSE : INVALID;
        case INT ->
            text.matches("[+-]?\\d{1,10}")
                    && Long.parseLong(text) >= Integer.MIN_VALUE
                    && Long.parseLong(text) <= Integer.MAX_VALUE
                ? (Object) Long.parseLong(text)
                : INVALID;
        case LONG -> text.matches("[+-]?\\d{1,19}") ? (Object) Long.parseLong(text) : INVALID;
        case STRING -> text;
        case DATE -> text.matches("\\d{4}-\\d{2}-\\d{2}") ? LocalDate.parse(text) : INVALID;
        case FLOAT -> (double) Float.parseFloat(text);
        case DOUBLE -> Double.parseDouble(text);
        case TIMESTAMP -> timestampLiteral(text, session);
      };
    } catch (RuntimeException e) {
      return INVALID;
    }
  }

  static Object timestampLiteral(String text, ZoneId session) {
    String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.replaceFirst(" ", "T") : text;
    try {
      return micros(OffsetDateTime.parse(iso).toInstant());
    } catch (RuntimeException e) {
      // zone-less: read in the session zone
    }
    try {
      return micros(LocalDateTime.parse(iso).atZone(session).toInstant());
    } catch (RuntimeException e) {
      return INVALID;
    }
  }

  static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** Spark's ordering of two non-null values of one domain. */
  static int compare(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      if (x.isNaN() || y.isNaN()) {
        return x.isNaN() && y.isNaN() ? 0 : x.isNaN() ? 1 : -1;
      }
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a instanceof String x && b instanceof String y) {
      int[] cx = x.codePoints().toArray();
      int[] cy = y.codePoints().toArray();
      for (int i = 0; i < Math.min(cx.length, cy.length); i++) {
        if (cx[i] != cy[i]) {
          return cx[i] < cy[i] ? -1 : 1;
        }
      }
      return Integer.compare(cx.length, cy.length);
    }
    @SuppressWarnings("unchecked")
    Comparable<Object> ca = (Comparable<Object>) a;
    return Integer.signum(ca.compareTo(b));
  }

  /** The truth value of {@code a op b} where op is =, <, <=, >, >=. */
  static int compare(String op, Object a, Object b) {
    if (a == null || b == null) {
      return N; // an unreadable literal is still some value, and NULL compared to it is NULL
    }
    if (a == INVALID || b == INVALID) {
      return ANY;
    }
    int c = compare(a, b);
    boolean r =
        switch (op) {
          case "=" -> c == 0;
          case "<" -> c < 0;
          case "<=" -> c <= 0;
          case ">" -> c > 0;
          case ">=" -> c >= 0;
          default -> throw new IllegalArgumentException(op);
        };
    return r ? T : F;
  }

  static int not(int set) {
    int out = set & N;
    if ((set & T) != 0) {
      out |= F;
    }
    if ((set & F) != 0) {
      out |= T;
    }
    return out;
  }

  static int and(int a, int b) {
    int out = 0;
    for (int x = 1; x <= 4; x <<= 1) {
      for (int y = 1; y <= 4; y <<= 1) {
        if ((a & x) != 0 && (b & y) != 0) {
          if (x == F || y == F) {
            out |= F;
          } else if (x == N || y == N) {
            out |= N;
          } else {
            out |= T;
          }
        }
      }
    }
    return out;
  }

  static int or(int a, int b) {
    int out = 0;
    for (int x = 1; x <= 4; x <<= 1) {
      for (int y = 1; y <= 4; y <<= 1) {
        if ((a & x) != 0 && (b & y) != 0) {
          if (x == T || y == T) {
            out |= T;
          } else if (x == N || y == N) {
            out |= N;
          } else {
            out |= F;
          }
        }
      }
    }
    return out;
  }
}
