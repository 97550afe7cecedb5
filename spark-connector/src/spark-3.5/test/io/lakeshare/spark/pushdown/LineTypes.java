package io.lakeshare.spark.pushdown;

import org.apache.spark.sql.types.DataType;

/** Test types that exist only on some Spark lines (this copy: Spark 3.5). */
final class LineTypes {
  private LineTypes() {}

  /** A string type with a case-insensitive collation, or null where Spark has no collations. */
  static DataType lowerCaseCollatedString() {
    return null; // Spark 3.5 has no collations
  }
}
