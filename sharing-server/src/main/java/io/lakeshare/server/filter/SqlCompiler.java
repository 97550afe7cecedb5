package io.lakeshare.server.filter;

import io.lakeshare.protocol.predicate.ComparisonOp;
import io.lakeshare.protocol.predicate.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles SQL {@code predicateHints} entries (CONFORMANCE §4.1) over partition columns into {@link
 * Expr}s, typing comparisons the way Spark's implicit casts do where that is unambiguous. An entry
 * that does not parse, or names anything but a partition column, is skipped whole; a comparison
 * whose typing we are unsure of becomes unknown.
 */
final class SqlCompiler {
  private static final Logger LOG = LoggerFactory.getLogger(SqlCompiler.class);
  private static final int MAX_LENGTH = 100_000;
  private static final int DECIMAL_ULPS = 4;

  private final TableColumns columns;

  SqlCompiler(TableColumns columns) {
    this.columns = columns;
  }

  private static final class SkipEntry extends RuntimeException {
    SkipEntry(String message) {
      super(message, null, false, false);
    }
  }

  private record ColumnSide(ColumnInfo info, ValueType cast) {}

  /** A literal; {@code typed} is set for typed literals and casts, else the kind decides. */
  private record LiteralSide(SqlNode.LiteralKind kind, ValueType typed, String text) {}

  /** The compiled entry, or {@code null} when it has to be skipped. */
  Expr compile(String entry) {
    if (entry == null || entry.isBlank() || entry.length() > MAX_LENGTH) {
      return null;
    }
    try {
      SqlNode node = SqlParser.parse(entry);
      checkColumns(node);
      return predicate(node);
    } catch (SqlParser.SyntaxError | SkipEntry e) {
      LOG.debug("Skipping a predicate hint: {}", e.getMessage());
      return null;
    }
  }

  /**
   * Compiles {@code entry} exactly, for a filter that decides access rather than a hint: it must
   * parse, name only partition columns, and every comparison in it must have a certain type.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  Expr compileExact(String entry) {
    SqlNode node;
    try {
      node = SqlParser.parse(entry);
      checkColumns(node);
    } catch (SqlParser.SyntaxError e) {
      throw new IllegalArgumentException("it does not parse: " + e.getMessage());
    } catch (SkipEntry e) {
      throw new IllegalArgumentException("it " + e.getMessage());
    }
    Expr e = predicate(node);
    String unknown = firstUnknown(e);
    if (unknown != null) {
      throw new IllegalArgumentException("it has a part that cannot be evaluated: " + unknown);
    }
    return e;
  }

  private static String firstUnknown(Expr root) {
    List<Expr> pending = new ArrayList<>(List.of(root));
    while (!pending.isEmpty()) {
      Expr e = pending.remove(pending.size() - 1);
      if (e instanceof Expr.Unknown u) {
        return u.reason();
      } else if (e instanceof Expr.And a) {
        pending.addAll(a.children());
      } else if (e instanceof Expr.Or o) {
        pending.addAll(o.children());
      } else if (e instanceof Expr.Not n) {
        pending.add(n.child());
      }
    }
    return null;
  }

  private void checkColumns(SqlNode node) {
    List<SqlNode> pending = new ArrayList<>(List.of(node));
    while (!pending.isEmpty()) {
      SqlNode n = pending.remove(pending.size() - 1);
      if (n instanceof SqlNode.Column c) {
        ColumnInfo info = columns.find(c.name());
        if (info == null || !info.partition()) {
          throw new SkipEntry("refers to a column that is not a partition column");
        }
      } else if (n instanceof SqlNode.Cast c) {
        pending.add(c.child());
      } else if (n instanceof SqlNode.Compare c) {
        pending.add(c.left());
        pending.add(c.right());
      } else if (n instanceof SqlNode.IsNull i) {
        pending.add(i.child());
      } else if (n instanceof SqlNode.Not x) {
        pending.add(x.child());
      } else if (n instanceof SqlNode.And a) {
        pending.add(a.left());
        pending.add(a.right());
      } else if (n instanceof SqlNode.Or o) {
        pending.add(o.left());
        pending.add(o.right());
      }
    }
  }

  private Expr predicate(SqlNode node) {
    if (node instanceof SqlNode.And || node instanceof SqlNode.Or) {
      boolean and = node instanceof SqlNode.And;
      List<Expr> children = new ArrayList<>();
      flatten(node, and, children);
      return and ? new Expr.And(children) : new Expr.Or(children);
    }
    if (node instanceof SqlNode.Not n) {
      return new Expr.Not(predicate(n.child()));
    }
    if (node instanceof SqlNode.IsNull n) {
      Object side = side(n.child());
      if (side == null) {
        return new Expr.Unknown("IS NULL of an unsupported operand");
      }
      Expr isNull = new Expr.IsNull(nullness(side));
      return n.negated() ? new Expr.Not(isNull) : isNull;
    }
    if (node instanceof SqlNode.Compare c) {
      return compare(c);
    }
    if (node instanceof SqlNode.Column c) {
      ColumnInfo info = columns.find(c.name());
      return info.kind() == ColumnKind.BOOLEAN
          ? new Expr.BoolValue(new Operand.ColumnRef(info, ValueType.BOOL))
          : new Expr.Unknown("non-boolean column used as predicate");
    }
    if (node instanceof SqlNode.Literal l && l.kind() == SqlNode.LiteralKind.BOOLEAN) {
      return new Expr.BoolValue(
          new Operand.Const(TextValues.parseLiteral(l.text(), ValueType.BOOL)));
    }
    if (node instanceof SqlNode.Literal l && l.kind() == SqlNode.LiteralKind.NULL) {
      return new Expr.BoolValue(new Operand.Const(Range.NULL));
    }
    return new Expr.Unknown("unsupported predicate");
  }

  /** Collects a chain of the same connective iteratively, so long chains do not nest deeply. */
  private void flatten(SqlNode node, boolean and, List<Expr> out) {
    List<SqlNode> pending = new ArrayList<>(List.of(node));
    while (!pending.isEmpty()) {
      SqlNode n = pending.remove(pending.size() - 1);
      if (and && n instanceof SqlNode.And a) {
        pending.add(a.right());
        pending.add(a.left());
      } else if (!and && n instanceof SqlNode.Or o) {
        pending.add(o.right());
        pending.add(o.left());
      } else {
        out.add(predicate(n));
      }
    }
  }

  private Expr compare(SqlNode.Compare c) {
    Object left = side(c.left());
    Object right = side(c.right());
    Operand[] typed = left == null || right == null ? null : type(left, right);
    if (typed == null) {
      return new Expr.Unknown("comparison without a common type");
    }
    Operand a = typed[0];
    Operand b = typed[1];
    return switch (c.op()) {
      case "=" -> new Expr.Compare(ComparisonOp.EQUAL, a, b);
      case "<" -> new Expr.Compare(ComparisonOp.LESS_THAN, a, b);
      case "<=" -> new Expr.Compare(ComparisonOp.LESS_THAN_OR_EQUAL, a, b);
      case ">" -> new Expr.Compare(ComparisonOp.GREATER_THAN, a, b);
      case ">=" -> new Expr.Compare(ComparisonOp.GREATER_THAN_OR_EQUAL, a, b);
      case "<>", "!=" -> new Expr.Not(new Expr.Compare(ComparisonOp.EQUAL, a, b));
      case "<=>" -> new Expr.NullSafeEqual(a, b);
      default -> new Expr.Unknown("unsupported operator");
    };
  }

  /** A column (maybe cast) or literal (maybe cast) operand; {@code null} for anything else. */
  private Object side(SqlNode node) {
    if (node instanceof SqlNode.Column c) {
      return new ColumnSide(columns.find(c.name()), null);
    }
    if (node instanceof SqlNode.Literal l) {
      return switch (l.kind()) {
        case DATE -> new LiteralSide(l.kind(), ValueType.DATE, l.text());
        case TIMESTAMP -> new LiteralSide(l.kind(), ValueType.TIMESTAMP, l.text());
        case BOOLEAN -> new LiteralSide(l.kind(), ValueType.BOOL, l.text());
        default -> new LiteralSide(l.kind(), null, l.text());
      };
    }
    if (node instanceof SqlNode.Cast c) {
      ValueType target = sqlType(c.type());
      if (target == null) {
        return null;
      }
      if (c.child() instanceof SqlNode.Column col) {
        return new ColumnSide(columns.find(col.name()), target);
      }
      Object inner = side(c.child());
      return inner instanceof LiteralSide l ? castLiteral(l, target) : null;
    }
    return null;
  }

  /** Spark's cast of a literal, where the resulting text is certain. */
  private static LiteralSide castLiteral(LiteralSide l, ValueType target) {
    SqlNode.LiteralKind kind = l.kind();
    if (kind == SqlNode.LiteralKind.NULL) {
      return l;
    }
    ValueType from = l.typed();
    if (from == target) {
      return l;
    }
    if (from == null && kind == SqlNode.LiteralKind.STRING) {
      return new LiteralSide(kind, target, l.text());
    }
    if (from == null && kind == SqlNode.LiteralKind.INTEGER) {
      if (target == ValueType.STRING) {
        Range r = TextValues.parseLiteral(l.text(), ValueType.LONG);
        return r.isPoint() ? new LiteralSide(kind, target, r.lo().toString()) : null;
      }
      boolean numeric =
          target != ValueType.BOOL && target != ValueType.DATE && target != ValueType.TIMESTAMP;
      return numeric ? new LiteralSide(kind, target, l.text()) : null;
    }
    if (from == null && kind == SqlNode.LiteralKind.DOUBLE && target == ValueType.DOUBLE) {
      return new LiteralSide(kind, target, l.text());
    }
    boolean toText = target == ValueType.STRING;
    if (toText && from == ValueType.BOOL) {
      return new LiteralSide(kind, target, l.text());
    }
    if (toText && from == ValueType.DATE && TextValues.epochDay(l.text()) != null) {
      return new LiteralSide(kind, target, l.text());
    }
    return null;
  }

  private Operand[] type(Object left, Object right) {
    if (left instanceof LiteralSide l && l.kind() == SqlNode.LiteralKind.NULL) {
      return new Operand[] {new Operand.Const(Range.NULL), nullness(right)};
    }
    if (right instanceof LiteralSide r && r.kind() == SqlNode.LiteralKind.NULL) {
      return new Operand[] {nullness(left), new Operand.Const(Range.NULL)};
    }
    if (left instanceof ColumnSide c && right instanceof LiteralSide l) {
      ValueType v = coerce(c, l);
      return v == null ? null : new Operand[] {column(c, v), literal(l, v)};
    }
    if (left instanceof LiteralSide l && right instanceof ColumnSide c) {
      ValueType v = coerce(c, l);
      return v == null ? null : new Operand[] {literal(l, v), column(c, v)};
    }
    if (left instanceof ColumnSide a && right instanceof ColumnSide b) {
      ValueType va = a.cast() != null ? a.cast() : natural(a.info().kind());
      ValueType vb = b.cast() != null ? b.cast() : natural(b.info().kind());
      return va == null || va != vb ? null : new Operand[] {column(a, va), column(b, vb)};
    }
    LiteralSide a = (LiteralSide) left;
    LiteralSide b = (LiteralSide) right;
    ValueType va = literalType(a);
    ValueType vb = literalType(b);
    return va == null || va != vb ? null : new Operand[] {literal(a, va), literal(b, vb)};
  }

  /**
   * The comparison type of a column (X: its cast target, or its own type) against a literal, as
   * Spark's implicit casts pick it; {@code null} where we are not sure which one Spark picks.
   */
  private static ValueType coerce(ColumnSide c, LiteralSide l) {
    boolean explicit = c.cast() != null;
    ValueType x = explicit ? c.cast() : natural(c.info().kind());
    if (x == null) {
      return null;
    }
    ValueType t = l.typed();
    if (t != null) {
      if (t == x) {
        return x;
      }
      if (!explicit && x == ValueType.LONG && t == ValueType.INT) {
        return x;
      }
      if (!explicit && x == ValueType.STRING && (t == ValueType.DATE || t == ValueType.TIMESTAMP)) {
        return t;
      }
      return x == ValueType.DOUBLE && t == ValueType.FLOAT ? x : null;
    }
    return switch (l.kind()) {
      case STRING ->
          x == ValueType.STRING || x == ValueType.DATE || x == ValueType.TIMESTAMP ? x : null;
      case INTEGER ->
          x == ValueType.INT || x == ValueType.LONG || x == ValueType.FLOAT || x == ValueType.DOUBLE
              ? x
              : null;
      case DECIMAL ->
          x == ValueType.DOUBLE || x == ValueType.FLOAT && !explicit ? ValueType.DOUBLE : null;
      case DOUBLE ->
          x == ValueType.DOUBLE || !explicit && (x == ValueType.FLOAT || x == ValueType.LONG)
              ? ValueType.DOUBLE
              : null;
      default -> null;
    };
  }

  private static ValueType literalType(LiteralSide l) {
    if (l.typed() != null) {
      return l.typed();
    }
    return switch (l.kind()) {
      case STRING -> ValueType.STRING;
      case INTEGER -> ValueType.LONG;
      case DOUBLE -> ValueType.DOUBLE;
      default -> null;
    };
  }

  private static Operand column(ColumnSide c, ValueType v) {
    return ColumnCast.supported(c.info().kind(), v, true)
        ? new Operand.ColumnRef(c.info(), v)
        : Operand.UNKNOWN;
  }

  /**
   * A literal in domain v. Spark turns a decimal literal into a double through its own decimal
   * arithmetic, which may differ from correct rounding in the last bits, so those are widened.
   */
  private static Operand literal(LiteralSide l, ValueType v) {
    Range r = TextValues.parseLiteral(l.text(), l.typed() != null ? l.typed() : v);
    if (l.typed() == null && l.kind() == SqlNode.LiteralKind.DECIMAL && r.isPoint()) {
      double lo = (Double) r.lo();
      double hi = lo;
      for (int i = 0; i < DECIMAL_ULPS; i++) {
        lo = Math.nextDown(lo);
        hi = Math.nextUp(hi);
      }
      r = Range.between(TextValues.normalize(lo), TextValues.normalize(hi));
    }
    return new Operand.Const(r);
  }

  /** An operand whose only use is whether it is NULL. */
  private static Operand nullness(Object side) {
    if (side instanceof ColumnSide c) {
      return c.cast() == null ? new Operand.ColumnRef(c.info(), null) : column(c, c.cast());
    }
    LiteralSide l = (LiteralSide) side;
    if (l.kind() == SqlNode.LiteralKind.NULL) {
      return new Operand.Const(Range.NULL);
    }
    if (l.typed() == null) {
      return new Operand.Const(Range.SOME_VALUE);
    }
    Range parsed = TextValues.parseLiteral(l.text(), l.typed());
    return parsed == Range.UNKNOWN ? Operand.UNKNOWN : new Operand.Const(Range.SOME_VALUE);
  }

  private static ValueType natural(ColumnKind kind) {
    if (kind.isIntegral()) {
      return ValueType.LONG;
    }
    return switch (kind) {
      case STRING -> ValueType.STRING;
      case FLOAT -> ValueType.FLOAT;
      case DOUBLE -> ValueType.DOUBLE;
      case BOOLEAN -> ValueType.BOOL;
      case DATE -> ValueType.DATE;
      case TIMESTAMP -> ValueType.TIMESTAMP;
      default -> null;
    };
  }

  private static ValueType sqlType(String type) {
    return switch (type.toUpperCase(Locale.ROOT)) {
      case "STRING" -> ValueType.STRING;
      case "INT", "INTEGER" -> ValueType.INT;
      case "BIGINT", "LONG" -> ValueType.LONG;
      case "FLOAT", "REAL" -> ValueType.FLOAT;
      case "DOUBLE" -> ValueType.DOUBLE;
      case "BOOLEAN" -> ValueType.BOOL;
      case "DATE" -> ValueType.DATE;
      case "TIMESTAMP", "TIMESTAMP_LTZ" -> ValueType.TIMESTAMP;
      default -> null;
    };
  }
}
