package io.lakeshare.server.filter;

import java.util.Locale;

/** Table column types as far as filtering cares; nested and exotic types are {@link #OTHER}. */
enum ColumnKind {
  STRING,
  LONG,
  INT,
  SHORT,
  BYTE,
  FLOAT,
  DOUBLE,
  BOOLEAN,
  DATE,
  TIMESTAMP,
  TIMESTAMP_NTZ,
  DECIMAL,
  BINARY,
  OTHER;

  boolean isIntegral() {
    return this == LONG || this == INT || this == SHORT || this == BYTE;
  }

  /** Maps a Spark JSON primitive type name; unknown names are {@link #OTHER}. */
  static ColumnKind ofTypeName(String typeName) {
    String t = typeName.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("decimal")) {
      return DECIMAL;
    }
    return switch (t) {
      case "string" -> STRING;
      case "long", "bigint" -> LONG;
      case "integer", "int" -> INT;
      case "short", "smallint" -> SHORT;
      case "byte", "tinyint" -> BYTE;
      case "float", "real" -> FLOAT;
      case "double" -> DOUBLE;
      case "boolean" -> BOOLEAN;
      case "date" -> DATE;
      case "timestamp", "timestamp_ltz" -> TIMESTAMP;
      case "timestamp_ntz" -> TIMESTAMP_NTZ;
      case "binary" -> BINARY;
      default -> OTHER;
    };
  }
}
