package io.lakeshare.spark.pushdown;

import io.lakeshare.protocol.predicate.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;

/**
 * Renders Spark predicates on partition columns as legacy SQL {@code predicateHints} (CONFORMANCE
 * §4.1), within SPEC's guaranteed subset: a column compared with a literal, {@code is null}, {@code
 * is not null}, joined by {@code AND}. Anything else is omitted.
 */
final class SqlHints {
  /** Entries longer than this are not sent (our server ignores entries over 100,000 chars). */
  private static final int MAX_LENGTH = 10_000;

  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Words a parser could read as something other than a column name. */
  private static final Set<String> KEYWORDS =
      Set.of(
          "AND OR NOT IS AS CAST NULL TRUE FALSE DATE TIMESTAMP INTERVAL IN LIKE BETWEEN CASE WHEN"
              .split(" "));

  private final ColumnResolver columns;

  SqlHints(ColumnResolver columns) {
    this.columns = columns;
  }

  /**
   * The SQL text of one top-level conjunct, or {@code null}. Inside an AND, parts that cannot be
   * written are left out: the remaining conjunction is weaker, which is still sound.
   */
  String toSql(Predicate p) {
    List<String> parts = new ArrayList<>();
    collect(p, parts, 0);
    if (parts.isEmpty()) {
      return null;
    }
    String sql = String.join(" AND ", parts);
    return sql.length() > MAX_LENGTH ? null : sql;
  }

  private void collect(Expression e, List<String> out, int depth) {
    if (!(e instanceof Predicate p) || p.children() == null || depth > 100) {
      return;
    }
    Expression[] c = p.children();
    switch (p.name()) {
      case "AND" -> {
        for (Expression child : c) {
          collect(child, out, depth + 1);
        }
      }
      case "IS_NULL", "IS_NOT_NULL" -> {
        String name = c.length == 1 ? partitionColumn(c[0]) : null;
        if (name != null) {
          out.add(name + (p.name().equals("IS_NULL") ? " is null" : " is not null"));
        }
      }
      case "=", "<>", "<", "<=", ">", ">=", "<=>" -> add(out, comparison(p.name(), c));
      default -> {}
    }
  }

  private static void add(List<String> out, String s) {
    if (s != null) {
      out.add(s);
    }
  }

  private String comparison(String op, Expression[] c) {
    if (c.length != 2) {
      return null;
    }
    boolean flipped = c[0] instanceof Literal<?>;
    Expression columnSide = flipped ? c[1] : c[0];
    if (!((flipped ? c[0] : c[1]) instanceof Literal<?> lit)) {
      return null;
    }
    String name = partitionColumn(columnSide);
    if (name == null) {
      return null;
    }
    ColumnResolver.Column col = columns.resolve((NamedReference) columnSide);
    if (op.equals("<=>")) {
      // a <=> v is TRUE exactly when a = v is; a <=> NULL is a IS NULL
      if (lit.value() == null) {
        return name + " is null";
      }
      op = "=";
    }
    String value = literal(col.valueType(), lit, op.equals("=") || op.equals("<>"));
    if (value == null) {
      return null;
    }
    return name + " " + (flipped ? flip(op) : op) + " " + value;
  }

  /** The quoted name of a partition column with a type the SQL hints can compare, or null. */
  private String partitionColumn(Expression e) {
    if (!(e instanceof NamedReference ref)) {
      return null;
    }
    ColumnResolver.Column col = columns.resolve(ref);
    if (col == null || !col.partition() || col.valueType() == null) {
      return null;
    }
    String name = col.name();
    if (PLAIN_NAME.matcher(name).matches() && !KEYWORDS.contains(name.toUpperCase(Locale.ROOT))) {
      return name;
    }
    return "`" + name.replace("`", "``") + "`";
  }

  /**
   * SQL literal text. Floats, doubles and timestamps are left to the JSON hints (decimal literal
   * typing and time zones differ between parsers). Strings containing a quote or a backslash are
   * omitted: Spark 3 reads {@code 'it''s'} as two adjacent literals ({@code its}) and backslash
   * escapes differ between parsers, so no single spelling means the same value everywhere.
   */
  private static String literal(ValueType type, Literal<?> lit, boolean equality) {
    if (lit.value() == null) {
      return null;
    }
    return switch (type) {
      case INT, LONG -> LiteralTexts.text(lit, type);
      case BOOL -> equality ? LiteralTexts.text(lit, type) : null;
      case DATE -> {
        String d = LiteralTexts.text(lit, type);
        yield d == null ? null : "DATE '" + d + "'";
      }
      case STRING -> {
        String s = LiteralTexts.string(lit);
        boolean ordered = equality || s != null && ValueComparisons.orderSafe(s);
        yield s != null && ordered && plainString(s) ? quote(s) : null;
      }
      default -> null;
    };
  }

  private static boolean plainString(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '\\' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** Single-quoted, quotes doubled (SQL standard); callers pass no quotes today, see above. */
  static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String flip(String op) {
    return switch (op) {
      case "<" -> ">";
      case "<=" -> ">=";
      case ">" -> "<";
      case ">=" -> "<=";
      default -> op;
    };
  }
}
