package io.lakeshare.spark.pushdown;

import io.lakeshare.protocol.predicate.ComparisonOp;
import io.lakeshare.protocol.predicate.JsonPredicate;
import io.lakeshare.protocol.predicate.JsonPredicates;
import io.lakeshare.protocol.predicate.ValueType;
import org.apache.spark.sql.connector.expressions.Literal;

/**
 * Builds {@code column op literal} leaves (column on the left), deciding per value type whether the
 * comparison can be sent, and whether it is exact (safe under {@code not}) or only implied by
 * Spark's comparison.
 */
final class ValueComparisons {
  private static final long MICROS_PER_MILLI = 1000L;

  /** The leaf for a non-null literal; dropped when the type or value cannot be sent soundly. */
  Translation compare(ColumnResolver.Column col, ComparisonOp op, Literal<?> lit) {
    ValueType type = col.valueType();
    if (type == null || lit.value() == null) {
      return Translation.DROPPED;
    }
    return switch (type) {
      case INT, LONG, DATE -> leaf(col, op, LiteralTexts.text(lit, type), true);
      // ordering of booleans is not something every server implements: equality only
      case BOOL ->
          op == ComparisonOp.EQUAL
              ? leaf(col, op, LiteralTexts.text(lit, type), true)
              : Translation.DROPPED;
      case STRING -> string(col, op, LiteralTexts.string(lit));
      case FLOAT, DOUBLE -> floating(col, op, LiteralTexts.text(lit, type));
      case TIMESTAMP -> timestamp(col, op, LiteralTexts.timestampMicros(lit));
    };
  }

  /**
   * Spark orders strings by UTF-8 bytes (code points); servers may use Java's UTF-16 order (REF
   * does). The two agree on every comparison with a literal whose characters are all below U+D800.
   * For other literals even equality is unsafe on data columns, since a server tests it against a
   * min/max range picked in Spark's order; on a partition column (one value per file) equality and
   * its negation do not depend on the order.
   */
  private static Translation string(ColumnResolver.Column col, ComparisonOp op, String value) {
    if (value == null) {
      return Translation.DROPPED;
    }
    if (orderSafe(value) || op == ComparisonOp.EQUAL && col.partition()) {
      return leaf(col, op, value, true);
    }
    return Translation.DROPPED;
  }

  /** Whether Java's and Spark's string orders agree on comparisons with this literal. */
  static boolean orderSafe(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) >= Character.MIN_SURROGATE) {
        return false;
      }
    }
    return true;
  }

  /**
   * Spark treats NaN as larger than every number and equal to itself, while file statistics may
   * ignore NaN, so anything TRUE for NaN ({@code >}, {@code >=}, and every negation) could skip a
   * file that Spark reads rows from. {@code =}, {@code <} and {@code <=} are FALSE for NaN and are
   * kept, never as exact. Zero literals are refused in {@link LiteralTexts} (-0.0 vs 0.0).
   */
  private static Translation floating(ColumnResolver.Column col, ComparisonOp op, String text) {
    boolean falseForNaN =
        op == ComparisonOp.EQUAL
            || op == ComparisonOp.LESS_THAN
            || op == ComparisonOp.LESS_THAN_OR_EQUAL;
    return falseForNaN ? leaf(col, op, text, false) : Translation.DROPPED;
  }

  /**
   * Timestamp statistics carry milliseconds only (CONFORMANCE §3.6), so a file's max may be up to
   * 999 µs below its true max. Lower bounds on the column ({@code >}, {@code >=}, {@code =}) are
   * therefore rounded down to the millisecond, which keeps them implied but not exact; upper bounds
   * are safe as they are since a truncated min only gets smaller. None is exact: negated, an upper
   * bound turns into a lower one. Partition values of timestamps carry no reliable zone (§3.5), so
   * partition columns get no timestamp comparisons at all.
   */
  private static Translation timestamp(ColumnResolver.Column col, ComparisonOp op, Long micros) {
    if (micros == null || col.partition()) {
      return Translation.DROPPED;
    }
    long floorMillis = Math.floorDiv(micros, MICROS_PER_MILLI) * MICROS_PER_MILLI;
    String exactText = LiteralTexts.timestamp(micros);
    String floorText = LiteralTexts.timestamp(floorMillis);
    if (exactText == null || floorText == null) {
      return Translation.DROPPED;
    }
    return switch (op) {
      case LESS_THAN, LESS_THAN_OR_EQUAL -> leaf(col, op, exactText, false);
      case GREATER_THAN, GREATER_THAN_OR_EQUAL ->
          leaf(col, ComparisonOp.GREATER_THAN_OR_EQUAL, floorText, false);
      case EQUAL -> {
        if (floorMillis == micros) {
          yield leaf(col, op, exactText, false);
        }
        JsonPredicate column = JsonPredicates.column(col.name(), ValueType.TIMESTAMP);
        yield Translation.weakened(
            JsonPredicates.and(
                JsonPredicates.greaterThanOrEqual(
                    column, JsonPredicates.literal(floorText, ValueType.TIMESTAMP)),
                JsonPredicates.lessThanOrEqual(
                    column, JsonPredicates.literal(exactText, ValueType.TIMESTAMP))));
      }
    };
  }

  private static Translation leaf(
      ColumnResolver.Column col, ComparisonOp op, String text, boolean exact) {
    if (text == null) {
      return Translation.DROPPED;
    }
    ValueType type = col.valueType();
    JsonPredicate node =
        JsonPredicates.comparison(
            op, JsonPredicates.column(col.name(), type), JsonPredicates.literal(text, type));
    return Translation.of(node, exact);
  }
}
