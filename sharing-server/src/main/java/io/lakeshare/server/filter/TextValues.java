package io.lakeshare.server.filter;

import io.lakeshare.protocol.predicate.ValueType;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses the text forms of values (partition values, JSON literals, SQL literals) into {@link
 * Range}s of their domain. Only canonical renderings are accepted, where our reading surely agrees
 * with Spark's cast; anything else is {@link Range#UNKNOWN}.
 */
final class TextValues {
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,19}");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]{1,5})?");
  private static final Pattern INFINITY = Pattern.compile("[+-]?Infinity");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  /**
   * A timestamp written without a zone is read by Spark in some session time zone we do not know;
   * every zone offset is within ±18 hours of UTC, so the true instant lies in that window.
   */
  static final long ZONE_SLACK_MICROS = 18L * 3600 * 1_000_000;

  private TextValues() {}

  /** Parses a literal of a JSON/SQL value type. */
  static Range parseLiteral(String text, ValueType type) {
    return parse(kindOf(type), text);
  }

  /** The table kind whose domain is the value type's comparison domain. */
  static ColumnKind kindOf(ValueType type) {
    return switch (type) {
      case BOOL -> ColumnKind.BOOLEAN;
      case INT -> ColumnKind.INT;
      case LONG -> ColumnKind.LONG;
      case STRING -> ColumnKind.STRING;
      case DATE -> ColumnKind.DATE;
      case FLOAT -> ColumnKind.FLOAT;
      case DOUBLE -> ColumnKind.DOUBLE;
      case TIMESTAMP -> ColumnKind.TIMESTAMP;
    };
  }

  /** Parses a non-null text of a column kind into its native domain. */
  static Range parse(ColumnKind kind, String text) {
    if (text == null) {
      return Range.UNKNOWN;
    }
    try {
      return switch (kind) {
        case STRING -> Range.exact(text);
        case BYTE -> integral(text, Byte.MIN_VALUE, Byte.MAX_VALUE);
        case SHORT -> integral(text, Short.MIN_VALUE, Short.MAX_VALUE);
        case INT -> integral(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
        case LONG -> integral(text, Long.MIN_VALUE, Long.MAX_VALUE);
        case FLOAT -> floating(text, true);
        case DOUBLE -> floating(text, false);
        case DECIMAL ->
            DECIMAL.matcher(text).matches() ? Range.exact(new BigDecimal(text)) : Range.UNKNOWN;
        case BOOLEAN -> bool(text);
        case DATE -> date(text);
        case TIMESTAMP -> timestamp(text);
        default -> Range.UNKNOWN;
      };
    } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
      return Range.UNKNOWN;
    }
  }

  /** Epoch day of a strict {@code yyyy-MM-dd} text, or {@code null}. */
  static Long epochDay(String text) {
    if (!DATE.matcher(text).matches()) {
      return null;
    }
    try {
      return LocalDate.parse(text).toEpochDay();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * A timestamp text: with a zone offset it is one instant; without one (the Delta partition form
   * {@code yyyy-MM-dd HH:mm:ss[.f]} or ISO local) it is a window of ±18 hours around its UTC
   * reading, see {@link #ZONE_SLACK_MICROS}.
   */
  static Range timestamp(String text) {
    String iso =
        text.length() > 10 && text.charAt(10) == ' '
            ? text.substring(0, 10) + 'T' + text.substring(11)
            : text;
    if (iso.length() < 11 || iso.charAt(10) != 'T') {
      return Range.UNKNOWN;
    }
    try {
      return Range.exact(
          micros(OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()));
    } catch (DateTimeException e) {
      // not an offset form; try the local one
    }
    try {
      long utc =
          micros(
              LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                  .toInstant(ZoneOffset.UTC));
      return Range.between(
          Math.subtractExact(utc, ZONE_SLACK_MICROS), Math.addExact(utc, ZONE_SLACK_MICROS));
    } catch (DateTimeException | ArithmeticException e) {
      return Range.UNKNOWN;
    }
  }

  /** Microseconds since the epoch, truncating sub-microsecond digits like Spark does. */
  static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
  }

  /** Spark compares floats with -0.0 equal to 0.0; NaN is handled by callers as unknown. */
  static Double normalize(double d) {
    return d == 0.0 ? 0.0 : d;
  }

  private static Range integral(String text, long min, long max) {
    if (!INTEGER.matcher(text).matches()) {
      return Range.UNKNOWN;
    }
    long v = Long.parseLong(text);
    return v < min || v > max ? Range.UNKNOWN : Range.exact(v);
  }

  private static Range floating(String text, boolean single) {
    if (!DECIMAL.matcher(text).matches() && !INFINITY.matcher(text).matches()) {
      return Range.UNKNOWN; // also NaN: Spark orders NaN above everything and NaN = NaN
    }
    double d = single ? (double) Float.parseFloat(text) : Double.parseDouble(text);
    return Double.isNaN(d) ? Range.UNKNOWN : Range.exact(normalize(d));
  }

  private static Range bool(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return Range.exact(Boolean.TRUE);
    }
    return t.equals("false") ? Range.exact(Boolean.FALSE) : Range.UNKNOWN;
  }

  private static Range date(String text) {
    Long day = epochDay(text);
    return day == null ? Range.UNKNOWN : Range.exact(day);
  }
}
