package io.lakeshare.server.filter;

import io.lakeshare.protocol.predicate.ValueType;

/** A compiled comparison operand: a constant range or a column read in a value type. */
sealed interface Operand {

  /** A constant, already parsed into its domain (or {@link Range#UNKNOWN}). */
  record Const(Range range) implements Operand {}

  /**
   * {@code CAST(column AS type)}; a {@code null} type means only the column's nullness is used (SQL
   * {@code IS NULL} on an uncast column).
   */
  record ColumnRef(ColumnInfo column, ValueType type) implements Operand {}

  Const UNKNOWN = new Const(Range.UNKNOWN);

  default boolean isUnknown() {
    return this instanceof Const c && c.range() == Range.UNKNOWN;
  }
}
