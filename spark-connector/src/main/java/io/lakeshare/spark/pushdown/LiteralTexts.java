package io.lakeshare.spark.pushdown;

import io.lakeshare.protocol.predicate.ValueType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Turns Spark literal values (Catalyst internal representation) into the protocol's literal text
 * for a column's value type (CONFORMANCE §4.2, §3.8). A value that the type cannot hold exactly
 * gives {@code null}, so the caller drops the comparison instead of sending a different one.
 */
final class LiteralTexts {
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final int MIN_YEAR = 1;
  private static final int MAX_YEAR = 9999;

  private LiteralTexts() {}

  /** The literal as text of {@code type}; {@code null} if null, mistyped or not exact. */
  static String text(Literal<?> literal, ValueType type) {
    Object v = literal.value();
    DataType t = literal.dataType();
    if (v == null || t == null) {
      return null;
    }
    return switch (type) {
      case BOOL -> t instanceof BooleanType && v instanceof Boolean b ? b.toString() : null;
      case INT -> integral(v, t, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case LONG -> integral(v, t, Long.MIN_VALUE, Long.MAX_VALUE);
      case FLOAT -> floatText(v, t);
      case DOUBLE -> doubleText(v, t);
      case STRING -> string(literal);
      case DATE -> t instanceof DateType && v instanceof Integer days ? date(days) : null;
      case TIMESTAMP -> {
        Long micros = timestampMicros(literal);
        yield micros == null ? null : timestamp(micros);
      }
    };
  }

  /** The string value of a string literal, or {@code null}. */
  static String string(Literal<?> literal) {
    Object v = literal.value();
    boolean isString = v instanceof UTF8String || v instanceof String;
    return literal.dataType() instanceof StringType && isString ? v.toString() : null;
  }

  /**
   * Microseconds since the epoch of a timestamp (with local time zone) literal, or {@code null}.
   */
  static Long timestampMicros(Literal<?> literal) {
    return literal.dataType() instanceof TimestampType && literal.value() instanceof Long micros
        ? micros
        : null;
  }

  /** {@code yyyy-MM-dd}; {@code null} outside years 1..9999, which not every server parses. */
  static String date(int epochDay) {
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    return d.getYear() < MIN_YEAR || d.getYear() > MAX_YEAR ? null : d.toString();
  }

  /** ISO-8601 in UTC with {@code Z}, fraction only as long as needed; {@code null} out of range. */
  static String timestamp(long micros) {
    Instant i =
        Instant.ofEpochSecond(
            Math.floorDiv(micros, MICROS_PER_SECOND),
            Math.floorMod(micros, MICROS_PER_SECOND) * 1000L);
    int year = i.atOffset(ZoneOffset.UTC).getYear();
    return year < MIN_YEAR || year > MAX_YEAR ? null : DateTimeFormatter.ISO_INSTANT.format(i);
  }

  private static String integral(Object v, DataType t, long min, long max) {
    BigDecimal d = exactDecimal(v, t);
    if (d == null) {
      return null;
    }
    try {
      long l = d.longValueExact();
      return l < min || l > max ? null : Long.toString(l);
    } catch (ArithmeticException e) {
      return null; // has a fraction or does not fit in a long
    }
  }

  /**
   * Floats and doubles: zero is refused because servers may order -0.0 below 0.0 while Spark treats
   * them as equal, and NaN or infinities have no decimal text.
   */
  private static String floatText(Object v, DataType t) {
    float f;
    if (v instanceof Float x) {
      f = x;
    } else if (v instanceof Double x) {
      f = x.floatValue();
      if ((double) f != x) {
        return null;
      }
    } else {
      BigDecimal d = exactDecimal(v, t);
      if (d == null) {
        return null;
      }
      f = d.floatValue();
      if (!Float.isFinite(f) || new BigDecimal(f).compareTo(d) != 0) {
        return null;
      }
    }
    if (!(t instanceof NumericType) || !Float.isFinite(f) || f == 0f) {
      return null;
    }
    return new BigDecimal(Float.toString(f)).toPlainString();
  }

  private static String doubleText(Object v, DataType t) {
    double x;
    if (v instanceof Double d) {
      x = d;
    } else if (v instanceof Float f) {
      x = f;
    } else {
      BigDecimal d = exactDecimal(v, t);
      if (d == null) {
        return null;
      }
      x = d.doubleValue();
      if (!Double.isFinite(x) || new BigDecimal(x).compareTo(d) != 0) {
        return null;
      }
    }
    if (!(t instanceof NumericType) || !Double.isFinite(x) || x == 0d) {
      return null;
    }
    return new BigDecimal(Double.toString(x)).toPlainString();
  }

  /** The exact value of a numeric literal, or {@code null} (non-numeric, NaN, infinite). */
  private static BigDecimal exactDecimal(Object v, DataType t) {
    if (!(t instanceof NumericType)) {
      return null;
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (v instanceof Decimal d) {
      return d.toJavaBigDecimal();
    }
    if (v instanceof Float || v instanceof Double) {
      double x = ((Number) v).doubleValue();
      return Double.isFinite(x) ? new BigDecimal(x) : null;
    }
    return null;
  }
}
