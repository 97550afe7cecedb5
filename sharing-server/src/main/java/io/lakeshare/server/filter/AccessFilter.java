package io.lakeshare.server.filter;

import java.util.Map;

/**
 * A partition filter that decides what a recipient may read, unlike the hints: a file is allowed
 * only when the filter is certainly TRUE on its partition values. NULL, FALSE, doubt and errors all
 * keep the file out, so the filter fails closed.
 */
public final class AccessFilter {
  private final String text;
  private final Expr expr;

  private AccessFilter(String text, Expr expr) {
    this.text = text;
    this.expr = expr;
  }

  /**
   * Compiles a SQL predicate over the partition columns of {@code columns}.
   *
   * @throws IllegalArgumentException saying why it cannot be applied exactly
   */
  public static AccessFilter compile(String sql, TableColumns columns) {
    if (!columns.isPartitioned()) {
      throw new IllegalArgumentException("the table has no partition columns");
    }
    return new AccessFilter(sql, new SqlCompiler(columns).compileExact(sql));
  }

  /** Whether a file with these raw partition values (null or empty: SQL NULL) may be read. */
  public boolean allows(Map<String, String> partitionValues) {
    try {
      return new FileEvaluator(partitionValues, null).eval(expr) == Truth.TRUE;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
