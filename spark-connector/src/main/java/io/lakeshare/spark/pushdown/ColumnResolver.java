package io.lakeshare.spark.pushdown;

import io.lakeshare.protocol.predicate.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.sql.types.VarcharType;

/** Resolves Spark column references to top-level table columns and their protocol value types. */
final class ColumnResolver {
  /** Spark keeps the declared char/varchar type of a string column under this metadata key. */
  private static final String CHAR_VARCHAR_KEY = "__CHAR_VARCHAR_TYPE_STRING";

  /**
   * A resolved top-level column.
   *
   * @param name the name as written in the table schema
   * @param valueType how the protocol compares it, or {@code null} when it cannot
   * @param partition whether it is a partition column
   */
  record Column(String name, ValueType valueType, boolean partition) {}

  private final boolean caseSensitive;
  private final Map<String, Column> byName = new HashMap<>();
  private final Map<String, List<Column>> byLowerName = new HashMap<>();

  ColumnResolver(StructType schema, List<String> partitionColumns, boolean caseSensitive) {
    this.caseSensitive = caseSensitive;
    Set<String> partitions = new HashSet<>();
    for (String p : partitionColumns) {
      if (p != null) {
        partitions.add(lower(p));
      }
    }
    for (StructField f : schema.fields()) {
      Column c = new Column(f.name(), valueType(f), partitions.contains(lower(f.name())));
      byName.put(f.name(), c);
      byLowerName.computeIfAbsent(lower(f.name()), k -> new ArrayList<>()).add(c);
    }
  }

  /** The column a reference names, or {@code null} for nested, unknown or ambiguous references. */
  Column resolve(NamedReference ref) {
    String[] parts = ref.fieldNames();
    if (parts == null || parts.length != 1 || parts[0] == null) {
      return null;
    }
    if (caseSensitive) {
      return byName.get(parts[0]);
    }
    List<Column> matches = byLowerName.get(lower(parts[0]));
    return matches != null && matches.size() == 1 ? matches.get(0) : null;
  }

  /**
   * The protocol value type of a column, or {@code null} when the protocol cannot compare it the
   * way Spark does (decimals, binary, nested types, timestamp_ntz, char/varchar padding, collated
   * strings whose equality is not byte equality).
   */
  static ValueType valueType(StructField f) {
    DataType t = f.dataType();
    if (t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType) {
      return ValueType.INT;
    }
    if (t instanceof LongType) {
      return ValueType.LONG;
    }
    if (t instanceof FloatType) {
      return ValueType.FLOAT;
    }
    if (t instanceof DoubleType) {
      return ValueType.DOUBLE;
    }
    if (t instanceof BooleanType) {
      return ValueType.BOOL;
    }
    if (t instanceof DateType) {
      return ValueType.DATE;
    }
    if (t instanceof TimestampType) {
      return ValueType.TIMESTAMP;
    }
    if (t instanceof StringType s
        && !(t instanceof CharType)
        && !(t instanceof VarcharType)
        && io.lakeshare.spark.SparkLine.binaryCollation(s)
        && !f.metadata().contains(CHAR_VARCHAR_KEY)) {
      return ValueType.STRING;
    }
    return null;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
