package io.lakeshare.spark;

import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The columns a change data feed read adds to the table's columns. */
final class ChangeColumns {
  private ChangeColumns() {}

  static final String CHANGE_TYPE = "_change_type";
  static final String COMMIT_VERSION = "_commit_version";
  static final String COMMIT_TIMESTAMP = "_commit_timestamp";

  static final Set<String> NAMES = Set.of(CHANGE_TYPE, COMMIT_VERSION, COMMIT_TIMESTAMP);

  static StructType append(StructType table) {
    return table
        .add(CHANGE_TYPE, DataTypes.StringType)
        .add(COMMIT_VERSION, DataTypes.LongType)
        .add(COMMIT_TIMESTAMP, DataTypes.TimestampType);
  }

  static boolean isChangeColumn(String name) {
    return NAMES.contains(name.toLowerCase(Locale.ROOT));
  }
}
