package io.lakeshare.server.parquet;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hive-style partition directories ({@code year=2024/region=eu/part-0.parquet}) of a Parquet table:
 * the column names, the values of each file, and the column types, inferred from the values the way
 * Spark's file sources infer them (integer, then long, decimal without fraction, double, timestamp,
 * date, else string; {@code __HIVE_DEFAULT_PARTITION__} is null; conflicting types widen, or become
 * strings) unless the table's config declares them.
 */
final class Partitions {
  static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd HH:mm:ss")
          .optionalStart()
          // Spark's partition pattern is "yyyy-MM-dd HH:mm:ss[.S]": one fraction digit at most
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 1, true)
          .optionalEnd()
          .toFormatter(Locale.ROOT)
          .withResolverStyle(java.time.format.ResolverStyle.STRICT);
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)
          .withResolverStyle(java.time.format.ResolverStyle.STRICT);

  /** The partition columns and their Delta type names, in directory order. */
  final List<String> columns;

  final List<String> types;

  /** Each file's partition values (canonical strings, null for SQL null), by relative path. */
  final Map<String, Map<String, String>> values;

  private Partitions(
      List<String> columns, List<String> types, Map<String, Map<String, String>> values) {
    this.columns = columns;
    this.types = types;
    this.values = values;
  }

  /**
   * Reads the partition directories of every file.
   *
   * @param relativePaths the data files under the table's root
   * @param declared Spark SQL type names the config gives some columns (lower case)
   * @throws IllegalArgumentException naming the files when the directory structure is not one
   *     Hive-style layout, or a value is not of its declared type
   */
  static Partitions of(List<String> relativePaths, Map<String, String> declared) {
    List<String> columns = null;
    String first = null;
    Map<String, List<String>> raw = new LinkedHashMap<>();
    for (String rel : relativePaths) {
      String[] parts = rel.split("/");
      List<String> names = new ArrayList<>(parts.length - 1);
      List<String> vals = new ArrayList<>(parts.length - 1);
      for (int i = 0; i < parts.length - 1; i++) {
        int eq = parts[i].indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "the directory '"
                  + parts[i]
                  + "' of '"
                  + rel
                  + "' is not a Hive-style partition directory (column=value)");
        }
        names.add(unescape(parts[i].substring(0, eq)));
        vals.add(parts[i].substring(eq + 1));
      }
      if (columns == null) {
        columns = names;
        first = rel;
      } else if (!columns.equals(names)) {
        throw new IllegalArgumentException(
            "conflicting directory structures: '"
                + first
                + "' is partitioned by "
                + columns
                + " but '"
                + rel
                + "' by "
                + names);
      }
      raw.put(rel, vals);
    }
    if (columns == null) {
      columns = List.of();
    }
    Map<String, String> declaredLower = new HashMap<>();
    declared.forEach((k, v) -> declaredLower.put(k.toLowerCase(Locale.ROOT), v));
    List<String> types = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      String given = declaredLower.get(columns.get(c).toLowerCase(Locale.ROOT));
      if (given != null) {
        types.add(deltaType(given));
        continue;
      }
      String type = null;
      for (List<String> vals : raw.values()) {
        type = wider(type, infer(vals.get(c)));
      }
      types.add(type == null || type.equals("null") ? "string" : type);
    }
    Map<String, Map<String, String>> values = new HashMap<>();
    for (Map.Entry<String, List<String>> e : raw.entrySet()) {
      Map<String, String> pv = new LinkedHashMap<>();
      for (int c = 0; c < columns.size(); c++) {
        pv.put(
            columns.get(c),
            canonical(e.getValue().get(c), types.get(c), columns.get(c), e.getKey()));
      }
      values.put(e.getKey(), Collections.unmodifiableMap(pv));
    }
    return new Partitions(List.copyOf(columns), List.copyOf(types), values);
  }

  /** The Delta type name of a declared Spark SQL type. */
  static String deltaType(String sparkType) {
    return switch (sparkType) {
      case "int", "integer" -> "integer";
      case "bigint", "long" -> "long";
      case "smallint", "short" -> "short";
      case "tinyint", "byte" -> "byte";
      default -> sparkType;
    };
  }

  /** The type Spark infers for one raw directory value; "null" for the default partition. */
  static String infer(String raw) {
    if (raw.equals(DEFAULT_PARTITION)) {
      return "null";
    }
    try {
      Integer.parseInt(raw);
      return "integer";
    } catch (NumberFormatException e) {
      // next
    }
    try {
      Long.parseLong(raw);
      return "long";
    } catch (NumberFormatException e) {
      // next
    }
    try {
      BigDecimal d = new BigDecimal(raw);
      if (d.scale() <= 0 && d.precision() - d.scale() <= 38) {
        return "decimal(" + Math.max(d.precision() - d.scale(), 1) + ",0)";
      }
    } catch (NumberFormatException e) {
      // next
    }
    try {
      Double.parseDouble(raw);
      return "double";
    } catch (NumberFormatException e) {
      // next
    }
    String unescaped = unescape(raw);
    try {
      LocalDateTime.parse(unescaped, TIMESTAMP);
      return "timestamp";
    } catch (DateTimeParseException e) {
      // next
    }
    try {
      LocalDate.parse(raw, DATE);
      return "date";
    } catch (DateTimeParseException e) {
      // next
    }
    return "string";
  }

  /** The wider of two inferred types (Spark's rule without string promotion, else string). */
  static String wider(String a, String b) {
    if (a == null || a.equals(b) || b.equals("null")) {
      return a == null ? b : a;
    }
    if (a.equals("null")) {
      return b;
    }
    int ra = numericRank(a);
    int rb = numericRank(b);
    if (ra > 0 && rb > 0) {
      if (ra == 4 || rb == 4) {
        return "double";
      }
      if (ra == 3 || rb == 3) {
        return "decimal(" + Math.max(digits(a), digits(b)) + ",0)";
      }
      return ra > rb ? a : b;
    }
    if ((a.equals("date") && b.equals("timestamp"))
        || (a.equals("timestamp") && b.equals("date"))) {
      return "timestamp";
    }
    return "string";
  }

  private static int numericRank(String t) {
    if (t.equals("integer")) {
      return 1;
    }
    if (t.equals("long")) {
      return 2;
    }
    if (t.startsWith("decimal(")) {
      return 3;
    }
    return t.equals("double") ? 4 : 0;
  }

  private static int digits(String t) {
    return switch (t) {
      case "integer" -> 10;
      case "long" -> 20;
      default -> Integer.parseInt(t.substring("decimal(".length(), t.indexOf(',')));
    };
  }

  /** The value in the form a reader casts to the column's type; null for SQL null. */
  private static String canonical(String raw, String type, String column, String file) {
    if (raw.equals(DEFAULT_PARTITION)) {
      return null;
    }
    String v = unescape(raw);
    try {
      switch (type) {
        case "integer", "short", "byte" -> {
          int i = Integer.parseInt(v);
          if ((type.equals("short") && (short) i != i) || (type.equals("byte") && (byte) i != i)) {
            throw new NumberFormatException();
          }
          return Integer.toString(i);
        }
        case "long" -> {
          return Long.toString(Long.parseLong(v));
        }
        case "double", "float" -> {
          Double.parseDouble(v);
          return v;
        }
        case "boolean" -> {
          if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new NumberFormatException();
          }
          return v.toLowerCase(Locale.ROOT);
        }
        case "date" -> {
          return LocalDate.parse(v, DATE).toString();
        }
        case "timestamp" -> {
          if (v.length() == 10) {
            return LocalDate.parse(v, DATE) + " 00:00:00";
          }
          LocalDateTime.parse(v, TIMESTAMP);
          return v;
        }
        case "string" -> {
          return v;
        }
        default -> {
          if (type.startsWith("decimal(")) {
            return new BigDecimal(v).toPlainString();
          }
          return v;
        }
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "the partition value '"
              + v
              + "' of column '"
              + column
              + "' in '"
              + file
              + "' is not a valid "
              + type);
    }
  }

  /** Reverses Hive's escaping of partition directory names ({@code %3A} for {@code :}). */
  static String unescape(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        try {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
          continue;
        } catch (NumberFormatException e) {
          // a literal percent sign
        }
      }
      b.append(c);
    }
    return b.toString();
  }
}
