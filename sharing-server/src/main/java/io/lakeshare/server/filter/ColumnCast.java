package io.lakeshare.server.filter;

import io.lakeshare.protocol.predicate.ValueType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;

/**
 * Applies the client-side cast {@code CAST(column AS valueType)} to the range of a column's native
 * values.
 *
 * <p>A range can only be cast bound by bound when the cast is monotone and never turns a value into
 * NULL; those pairs are listed in {@link #bound}. Text conversions (string to number, date to
 * string...) are not monotone, so they are applied only to single exact values (partition values).
 * Every other pair yields {@link Range#UNKNOWN}.
 */
final class ColumnCast {
  private static final Object FAIL = new Object();
  private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
  private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  /**
   * Spark's decimal-to-floating conversion need not be correctly rounded (it may divide an unscaled
   * long by a power of ten), so we widen by a few ulps rather than predict its exact result.
   */
  private static final int DECIMAL_ULPS = 4;

  private ColumnCast() {}

  /** Whether the cast can ever give a usable range (exactValues: the column has one value). */
  static boolean supported(ColumnKind kind, ValueType type, boolean exactValues) {
    if (kind == ColumnKind.STRING || type == ValueType.STRING) {
      return kind == ColumnKind.STRING && type == ValueType.STRING
          || exactValues && textConvertible(kind, type);
    }
    return switch (type) {
      case BOOL -> kind == ColumnKind.BOOLEAN;
      case INT, LONG -> kind.isIntegral() || kind == ColumnKind.DECIMAL;
      case FLOAT, DOUBLE ->
          kind.isIntegral()
              || kind == ColumnKind.FLOAT
              || kind == ColumnKind.DOUBLE
              || kind == ColumnKind.DECIMAL;
      case DATE -> kind == ColumnKind.DATE;
      case TIMESTAMP -> kind == ColumnKind.TIMESTAMP;
      case STRING -> false;
    };
  }

  /** Casts a native range of {@code kind} into the domain of {@code type}. */
  static Range apply(Range nativeRange, ColumnKind kind, ValueType type) {
    if (!nativeRange.canBeValue()) {
      return nativeRange; // only NULLs (or no rows): a cast of NULL is NULL
    }
    if (kind == ColumnKind.STRING && type == ValueType.STRING) {
      return nativeRange;
    }
    if (kind == ColumnKind.STRING) {
      if (!nativeRange.isPoint()) {
        return Range.UNKNOWN;
      }
      Range parsed = TextValues.parseLiteral((String) nativeRange.lo(), type);
      return parsed == Range.UNKNOWN ? parsed : parsed.withNull(nativeRange.canBeNull());
    }
    if (type == ValueType.STRING) {
      String text = nativeRange.isPoint() ? render(nativeRange.lo(), kind) : null;
      return text == null ? Range.UNKNOWN : Range.exact(text).withNull(nativeRange.canBeNull());
    }
    if (!supported(kind, type, false)) {
      return Range.UNKNOWN;
    }
    if (mayOverflow(kind, type) && (nativeRange.lo() == null || nativeRange.hi() == null)) {
      return Range.UNKNOWN; // an unknown bound may hide values that wrap into range
    }
    Object lo = nativeRange.lo() == null ? null : bound(nativeRange.lo(), kind, type, false);
    Object hi = nativeRange.hi() == null ? null : bound(nativeRange.hi(), kind, type, true);
    if (lo == FAIL || hi == FAIL) {
      return Range.UNKNOWN;
    }
    return new Range(lo, hi, false, nativeRange.canBeNull(), true);
  }

  /** Casts that are monotone only while the values fit the target type. */
  private static boolean mayOverflow(ColumnKind kind, ValueType type) {
    return type == ValueType.INT && (kind == ColumnKind.LONG || kind == ColumnKind.DECIMAL)
        || type == ValueType.LONG && kind == ColumnKind.DECIMAL;
  }

  private static boolean textConvertible(ColumnKind kind, ValueType type) {
    if (type == ValueType.STRING) {
      return kind.isIntegral() || kind == ColumnKind.DATE || kind == ColumnKind.BOOLEAN;
    }
    return kind == ColumnKind.STRING;
  }

  /** Spark's rendering of a value as string, where we are sure to produce the same text. */
  private static String render(Object value, ColumnKind kind) {
    if (kind.isIntegral()) {
      return Long.toString((Long) value);
    }
    if (kind == ColumnKind.BOOLEAN) {
      return value.toString();
    }
    if (kind == ColumnKind.DATE) {
      LocalDate d = LocalDate.ofEpochDay((Long) value);
      return d.getYear() >= 1000 && d.getYear() <= 9999 ? d.toString() : null;
    }
    return null;
  }

  /** One bound through a monotone cast; upper says which way to widen an inexact result. */
  private static Object bound(Object value, ColumnKind kind, ValueType type, boolean upper) {
    return switch (type) {
      case BOOL, DATE, TIMESTAMP -> value;
      case INT -> integral(value, kind, INT_MIN, INT_MAX);
      case LONG -> integral(value, kind, LONG_MIN, LONG_MAX);
      case FLOAT -> {
        if (kind == ColumnKind.DECIMAL) {
          float f = ((BigDecimal) value).floatValue();
          for (int i = 0; i < DECIMAL_ULPS; i++) {
            f = upper ? Math.nextUp(f) : Math.nextDown(f);
          }
          yield TextValues.normalize(f);
        }
        double d = kind.isIntegral() ? (double) (float) (long) (Long) value : (Double) value;
        yield TextValues.normalize((float) d);
      }
      case DOUBLE -> {
        if (kind == ColumnKind.DECIMAL) {
          double d = ((BigDecimal) value).doubleValue();
          for (int i = 0; i < DECIMAL_ULPS; i++) {
            d = upper ? Math.nextUp(d) : Math.nextDown(d);
          }
          yield TextValues.normalize(d);
        }
        yield kind.isIntegral() ? TextValues.normalize((double) (Long) value) : value;
      }
      case STRING -> FAIL;
    };
  }

  /**
   * Out-of-range values wrap or become NULL in Spark, which breaks monotonicity; decimals are
   * truncated toward zero, which is monotone.
   */
  private static Object integral(Object value, ColumnKind kind, BigDecimal min, BigDecimal max) {
    BigDecimal v;
    if (kind.isIntegral()) {
      v = BigDecimal.valueOf((Long) value);
    } else if (kind == ColumnKind.DECIMAL) {
      v = ((BigDecimal) value).setScale(0, RoundingMode.DOWN);
    } else {
      return FAIL;
    }
    return v.compareTo(min) < 0 || v.compareTo(max) > 0 ? FAIL : (Object) v.longValueExact();
  }
}
