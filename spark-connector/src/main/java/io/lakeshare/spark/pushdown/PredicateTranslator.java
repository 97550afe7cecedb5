package io.lakeshare.spark.pushdown;

import io.lakeshare.protocol.predicate.ComparisonOp;
import io.lakeshare.protocol.predicate.JsonPredicate;
import io.lakeshare.protocol.predicate.JsonPredicates;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.connector.expressions.LiteralValue;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Translates Spark V2 predicates into JSON predicate trees, dropping what cannot be expressed so
 * that the result never lets a server skip a file holding a row Spark would return (see {@link
 * Translation} for the exact/weakened bookkeeping that makes {@code NOT} safe).
 */
final class PredicateTranslator {
  /** Longer IN lists are not sent; the hint would be big for little benefit. */
  static final int MAX_IN_VALUES = 1000;

  /** Spark trees deeper than this are dropped rather than risk the stack. */
  private static final int MAX_NESTING = 500;

  private static final Literal<Boolean> TRUE_LITERAL =
      new LiteralValue<>(true, DataTypes.BooleanType);

  private final ColumnResolver columns;
  private final ValueComparisons comparisons = new ValueComparisons();

  PredicateTranslator(ColumnResolver columns) {
    this.columns = columns;
  }

  Translation translate(Expression e) {
    return translate(e, 0);
  }

  private Translation translate(Expression e, int depth) {
    if (e == null || depth > MAX_NESTING) {
      return Translation.DROPPED;
    }
    if (e instanceof Literal<?> lit) {
      return booleanLiteral(lit);
    }
    if (e instanceof NamedReference ref) {
      // a boolean column used as a predicate is `col = true`, NULL when the column is
      ColumnResolver.Column col = columns.resolve(ref);
      return col == null
          ? Translation.DROPPED
          : comparisons.compare(col, ComparisonOp.EQUAL, TRUE_LITERAL);
    }
    if (!(e instanceof Predicate p) || p.children() == null) {
      return Translation.DROPPED;
    }
    Expression[] c = p.children();
    return switch (p.name()) {
      case "AND" -> and(c, depth);
      case "OR" -> or(c, depth);
      case "NOT" -> c.length == 1 ? not(translate(c[0], depth + 1)) : Translation.DROPPED;
      case "ALWAYS_TRUE" -> Translation.TRUE;
      case "ALWAYS_FALSE" -> Translation.FALSE;
      case "IS_NULL" -> isNull(c, false);
      case "IS_NOT_NULL" -> isNull(c, true);
      case "=", "<>", "<=>", "<", "<=", ">", ">=" -> binary(p.name(), c);
      case "IN" -> in(c);
      default -> Translation.DROPPED;
    };
  }

  private static Translation booleanLiteral(Literal<?> lit) {
    if (lit.dataType() instanceof BooleanType && lit.value() instanceof Boolean b) {
      return b ? Translation.TRUE : Translation.FALSE;
    }
    return Translation.DROPPED; // NULL or not a boolean
  }

  /** Dropped children only weaken a conjunction; FALSE anywhere makes it FALSE even with NULLs. */
  private Translation and(Expression[] children, int depth) {
    List<JsonPredicate> nodes = new ArrayList<>();
    boolean exact = true;
    boolean sawFalse = false;
    for (Expression child : children) {
      Translation t = translate(child, depth + 1);
      switch (t.kind()) {
        case FALSE -> sawFalse = true;
        case TRUE -> {}
        case DROPPED -> exact = false;
        case NODE -> {
          flatten(t.node(), true, nodes);
          exact &= t.exact();
        }
      }
    }
    if (sawFalse) {
      return Translation.FALSE;
    }
    if (nodes.isEmpty()) {
      return exact && children.length > 0 ? Translation.TRUE : Translation.DROPPED;
    }
    return Translation.of(JsonPredicates.and(distinct(nodes)), exact);
  }

  /** A dropped child could be the one that is TRUE, so it drops the whole disjunction. */
  private Translation or(Expression[] children, int depth) {
    List<JsonPredicate> nodes = new ArrayList<>();
    boolean exact = true;
    boolean sawTrue = false;
    boolean sawDropped = children.length == 0;
    for (Expression child : children) {
      Translation t = translate(child, depth + 1);
      switch (t.kind()) {
        case TRUE -> sawTrue = true;
        case FALSE -> {}
        case DROPPED -> sawDropped = true;
        case NODE -> {
          flatten(t.node(), false, nodes);
          exact &= t.exact();
        }
      }
    }
    if (sawTrue) {
      return Translation.TRUE;
    }
    if (sawDropped) {
      return Translation.DROPPED;
    }
    if (nodes.isEmpty()) {
      return Translation.FALSE;
    }
    return Translation.of(JsonPredicates.or(distinct(nodes)), exact);
  }

  /**
   * Negating a weakened node would strengthen the filter beyond what Spark asked (NOT(a AND ?) is
   * not NOT(a)), so only exact results may be negated.
   */
  static Translation not(Translation t) {
    return switch (t.kind()) {
      case TRUE -> Translation.FALSE;
      case FALSE -> Translation.TRUE;
      case DROPPED -> Translation.DROPPED;
      case NODE -> {
        if (!t.exact()) {
          yield Translation.DROPPED;
        }
        yield t.node() instanceof JsonPredicate.Not n
            ? Translation.exact(n.child())
            : Translation.exact(JsonPredicates.not(t.node()));
      }
    };
  }

  /** IS [NOT] NULL never yields NULL, on either side, so it is exact. */
  private Translation isNull(Expression[] c, boolean negated) {
    if (c.length != 1 || !(c[0] instanceof NamedReference ref)) {
      return Translation.DROPPED;
    }
    ColumnResolver.Column col = columns.resolve(ref);
    if (col == null || col.valueType() == null) {
      return Translation.DROPPED;
    }
    JsonPredicate isNull =
        JsonPredicates.isNull(JsonPredicates.column(col.name(), col.valueType()));
    return negated ? Translation.exact(JsonPredicates.not(isNull)) : Translation.exact(isNull);
  }

  private Translation binary(String name, Expression[] c) {
    if (c.length != 2) {
      return Translation.DROPPED;
    }
    NamedReference ref;
    Literal<?> lit;
    boolean flipped;
    if (c[0] instanceof NamedReference r && c[1] instanceof Literal<?> l) {
      ref = r;
      lit = l;
      flipped = false;
    } else if (c[0] instanceof Literal<?> l && c[1] instanceof NamedReference r) {
      ref = r;
      lit = l;
      flipped = true;
    } else {
      return Translation.DROPPED; // column vs column, functions, casts, nested expressions
    }
    ColumnResolver.Column col = columns.resolve(ref);
    if (col == null || col.valueType() == null) {
      return Translation.DROPPED;
    }
    if (name.equals("<=>")) {
      return nullSafeEqual(col, lit);
    }
    // a comparison with a NULL literal is never TRUE; its negation is NULL too, so no exact form
    if (lit.value() == null) {
      return Translation.DROPPED;
    }
    return switch (name) {
      case "=" -> comparisons.compare(col, ComparisonOp.EQUAL, lit);
      // Spark: a <> 1 is NOT(a = 1), NULL for a NULL a, TRUE for a = 2; only an exact equality
      // may be negated, or e.g. a float NaN (Spark: NaN <> 1) could be skipped
      case "<>" -> not(comparisons.compare(col, ComparisonOp.EQUAL, lit));
      case "<" -> comparisons.compare(col, orient(ComparisonOp.LESS_THAN, flipped), lit);
      case "<=" -> comparisons.compare(col, orient(ComparisonOp.LESS_THAN_OR_EQUAL, flipped), lit);
      case ">" -> comparisons.compare(col, orient(ComparisonOp.GREATER_THAN, flipped), lit);
      case ">=" ->
          comparisons.compare(col, orient(ComparisonOp.GREATER_THAN_OR_EQUAL, flipped), lit);
      default -> Translation.DROPPED;
    };
  }

  /**
   * {@code a <=> v} is never NULL: TRUE iff a equals v. A plain {@code equal} would be NULL for a
   * NULL a and, negated, would skip files whose NULL rows Spark returns for NOT(a <=> v); AND-ing
   * {@code not(isNull a)} makes it FALSE there, as in Spark. {@code a <=> NULL} is {@code a IS
   * NULL}.
   */
  private Translation nullSafeEqual(ColumnResolver.Column col, Literal<?> lit) {
    JsonPredicate column = JsonPredicates.column(col.name(), col.valueType());
    if (lit.value() == null) {
      return Translation.exact(JsonPredicates.isNull(column));
    }
    Translation eq = comparisons.compare(col, ComparisonOp.EQUAL, lit);
    if (eq.kind() != Translation.Kind.NODE) {
      return Translation.DROPPED;
    }
    List<JsonPredicate> parts = new ArrayList<>();
    flatten(eq.node(), true, parts);
    parts.add(JsonPredicates.not(JsonPredicates.isNull(column)));
    return Translation.of(JsonPredicates.and(parts), eq.exact());
  }

  /** {@code a IN (v1, v2)} is {@code a = v1 OR a = v2} in three-valued logic when no v is NULL. */
  private Translation in(Expression[] c) {
    int values = c.length - 1;
    if (values < 1 || values > MAX_IN_VALUES || !(c[0] instanceof NamedReference ref)) {
      return Translation.DROPPED;
    }
    ColumnResolver.Column col = columns.resolve(ref);
    if (col == null || col.valueType() == null) {
      return Translation.DROPPED;
    }
    List<JsonPredicate> equals = new ArrayList<>();
    boolean exact = true;
    for (int i = 1; i < c.length; i++) {
      // a NULL in the list makes a non-matching row NULL rather than FALSE: not worth the care
      if (!(c[i] instanceof Literal<?> lit) || lit.value() == null) {
        return Translation.DROPPED;
      }
      Translation eq = comparisons.compare(col, ComparisonOp.EQUAL, lit);
      if (eq.kind() != Translation.Kind.NODE) {
        return Translation.DROPPED;
      }
      equals.add(eq.node());
      exact &= eq.exact();
    }
    return Translation.of(JsonPredicates.or(distinct(equals)), exact);
  }

  /** The operator with the column on the left: {@code 1 < a} is {@code a > 1}. */
  static ComparisonOp orient(ComparisonOp op, boolean flipped) {
    return flipped ? op.mirrored() : op;
  }

  private static void flatten(JsonPredicate node, boolean and, List<JsonPredicate> out) {
    if (and && node instanceof JsonPredicate.And a) {
      out.addAll(a.children());
    } else if (!and && node instanceof JsonPredicate.Or o) {
      out.addAll(o.children());
    } else {
      out.add(node);
    }
  }

  private static List<JsonPredicate> distinct(List<JsonPredicate> nodes) {
    Set<JsonPredicate> seen = new LinkedHashSet<>(nodes);
    return List.copyOf(seen);
  }
}
