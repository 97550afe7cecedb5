package io.lakeshare.server.filter;

import io.lakeshare.protocol.predicate.JsonPredicate;
import io.lakeshare.protocol.predicate.ValueType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@code jsonPredicateHints} tree (CONFORMANCE §4.2) into an {@link Expr}: columns are
 * looked up once, literals parsed once, and anything invalid or switched off becomes unknown.
 */
final class JsonCompiler {
  /** REF ignores trees nested deeper than this [JsonPredicates.scala#fromJsonWithLimits]. */
  static final int MAX_DEPTH = 100;

  private final TableColumns columns;
  private final boolean partitionColumns;
  private final boolean dataColumns;

  /**
   * @param partitionColumns evaluate references to partition columns
   * @param dataColumns evaluate references to data columns using statistics
   */
  JsonCompiler(TableColumns columns, boolean partitionColumns, boolean dataColumns) {
    this.columns = columns;
    this.partitionColumns = partitionColumns;
    this.dataColumns = dataColumns;
  }

  /** The tree's depth (a lone leaf is 1), computed without recursion. */
  static int depth(JsonPredicate root) {
    int max = 0;
    Deque<Map.Entry<JsonPredicate, Integer>> stack = new ArrayDeque<>();
    stack.push(Map.entry(root, 1));
    while (!stack.isEmpty()) {
      Map.Entry<JsonPredicate, Integer> e = stack.pop();
      int d = e.getValue();
      max = Math.max(max, d);
      if (d > MAX_DEPTH) {
        break;
      }
      for (JsonPredicate child : children(e.getKey())) {
        stack.push(Map.entry(child, d + 1));
      }
    }
    return max;
  }

  private static List<JsonPredicate> children(JsonPredicate p) {
    if (p instanceof JsonPredicate.And a) {
      return a.children();
    }
    if (p instanceof JsonPredicate.Or o) {
      return o.children();
    }
    if (p instanceof JsonPredicate.Not n) {
      return List.of(n.child());
    }
    if (p instanceof JsonPredicate.IsNull n) {
      return List.of(n.child());
    }
    if (p instanceof JsonPredicate.Comparison c) {
      return List.of(c.left(), c.right());
    }
    return List.of();
  }

  Expr compile(JsonPredicate p) {
    if (p instanceof JsonPredicate.And a) {
      return a.children().isEmpty() ? unknown("empty and") : new Expr.And(compileAll(a.children()));
    }
    if (p instanceof JsonPredicate.Or o) {
      return o.children().isEmpty() ? unknown("empty or") : new Expr.Or(compileAll(o.children()));
    }
    if (p instanceof JsonPredicate.Not n) {
      return new Expr.Not(compile(n.child()));
    }
    if (p instanceof JsonPredicate.IsNull n) {
      return isLeaf(n.child())
          ? new Expr.IsNull(operand(n.child()))
          : unknown("isNull of non-leaf");
    }
    if (p instanceof JsonPredicate.Comparison c) {
      if (!isLeaf(c.left()) || !isLeaf(c.right())) {
        return unknown("comparison of non-leaves");
      }
      if (valueType(c.left()) != valueType(c.right())) {
        return unknown("comparison of different value types");
      }
      return new Expr.Compare(c.op(), operand(c.left()), operand(c.right()));
    }
    if (isLeaf(p)) {
      return valueType(p) == ValueType.BOOL
          ? new Expr.BoolValue(operand(p))
          : unknown("non-boolean leaf used as predicate");
    }
    return unknown(p instanceof JsonPredicate.Unsupported u ? u.reason() : "unsupported node");
  }

  private List<Expr> compileAll(List<JsonPredicate> children) {
    List<Expr> out = new ArrayList<>(children.size());
    for (JsonPredicate child : children) {
      out.add(compile(child));
    }
    return out;
  }

  private static boolean isLeaf(JsonPredicate p) {
    return p instanceof JsonPredicate.Column || p instanceof JsonPredicate.Literal;
  }

  private static ValueType valueType(JsonPredicate leaf) {
    return leaf instanceof JsonPredicate.Column c
        ? c.valueType()
        : ((JsonPredicate.Literal) leaf).valueType();
  }

  private Operand operand(JsonPredicate leaf) {
    if (leaf instanceof JsonPredicate.Literal l) {
      return new Operand.Const(TextValues.parseLiteral(l.value(), l.valueType()));
    }
    JsonPredicate.Column c = (JsonPredicate.Column) leaf;
    ColumnInfo info = columns.find(c.name());
    if (info == null
        || !(info.partition() ? partitionColumns : dataColumns)
        || !ColumnCast.supported(info.kind(), c.valueType(), info.partition())) {
      return Operand.UNKNOWN;
    }
    return new Operand.ColumnRef(info, c.valueType());
  }

  private static Expr unknown(String reason) {
    return new Expr.Unknown(reason);
  }
}
