package io.lakeshare.protocol.predicate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parsing, serialization and construction of JSON predicate trees ({@code jsonPredicateHints},
 * CONFORMANCE §4.2).
 *
 * <p>{@link #parse} rejects only what makes the whole hint unusable (not JSON, not an object at the
 * root, over 1,048,576 characters, deeper than 100 nodes). Below the root it is lenient: an invalid
 * subtree becomes {@link JsonPredicate.Unsupported} carrying the reason, so the rest of the tree
 * can still be used.
 */
public final class JsonPredicates {
  /** Longest predicate text accepted, in characters. */
  public static final int MAX_LENGTH = PredicateReader.MAX_LENGTH;

  /** Deepest predicate tree accepted, counted in nodes from the root (root = 1). */
  public static final int MAX_DEPTH = PredicateReader.MAX_DEPTH;

  private JsonPredicates() {}

  /** Parses leniently; throws {@link PredicateParseException} only for unusable input. */
  public static JsonPredicate parse(String json) {
    return PredicateReader.parse(json);
  }

  /** Parses and throws {@link PredicateParseException} with the first problem of any kind. */
  public static JsonPredicate parseStrict(String json) {
    JsonPredicate p = parse(json);
    List<String> problems = problems(p);
    if (!problems.isEmpty()) {
      throw new PredicateParseException("Unsupported predicate: " + problems.get(0));
    }
    return p;
  }

  /** Reasons of every {@link JsonPredicate.Unsupported} node, in depth-first order. */
  public static List<String> problems(JsonPredicate p) {
    List<String> out = new ArrayList<>();
    collectProblems(p, out);
    return List.copyOf(out);
  }

  private static void collectProblems(JsonPredicate p, List<String> out) {
    if (p instanceof JsonPredicate.Unsupported u) {
      out.add(u.reason());
    } else if (p instanceof JsonPredicate.IsNull n) {
      collectProblems(n.child(), out);
    } else if (p instanceof JsonPredicate.Not n) {
      collectProblems(n.child(), out);
    } else if (p instanceof JsonPredicate.Comparison c) {
      collectProblems(c.left(), out);
      collectProblems(c.right(), out);
    } else if (p instanceof JsonPredicate.And a) {
      a.children().forEach(c -> collectProblems(c, out));
    } else if (p instanceof JsonPredicate.Or o) {
      o.children().forEach(c -> collectProblems(c, out));
    }
  }

  /**
   * Compact JSON text of the tree, keys in the order {@code op, children | name, value, valueType}.
   * Throws {@link IllegalArgumentException} if the tree holds an Unsupported node.
   */
  public static String toJson(JsonPredicate p) {
    return PredicateWriter.toJson(Objects.requireNonNull(p, "predicate"));
  }

  /** A column leaf, compared as {@code type}. */
  public static JsonPredicate.Column column(String name, ValueType type) {
    return new JsonPredicate.Column(name, type);
  }

  /** A literal leaf; {@code value} is the literal's text form (CONFORMANCE §4.2). */
  public static JsonPredicate.Literal literal(String value, ValueType type) {
    return new JsonPredicate.Literal(value, type);
  }

  /** {@code left = right}. */
  public static JsonPredicate equal(JsonPredicate left, JsonPredicate right) {
    return comparison(ComparisonOp.EQUAL, left, right);
  }

  /** {@code left < right}. */
  public static JsonPredicate lessThan(JsonPredicate left, JsonPredicate right) {
    return comparison(ComparisonOp.LESS_THAN, left, right);
  }

  /** {@code left <= right}. */
  public static JsonPredicate lessThanOrEqual(JsonPredicate left, JsonPredicate right) {
    return comparison(ComparisonOp.LESS_THAN_OR_EQUAL, left, right);
  }

  /** {@code left > right}. */
  public static JsonPredicate greaterThan(JsonPredicate left, JsonPredicate right) {
    return comparison(ComparisonOp.GREATER_THAN, left, right);
  }

  /** {@code left >= right}. */
  public static JsonPredicate greaterThanOrEqual(JsonPredicate left, JsonPredicate right) {
    return comparison(ComparisonOp.GREATER_THAN_OR_EQUAL, left, right);
  }

  /**
   * A comparison between two leaves of the same value type; throws {@link IllegalArgumentException}
   * otherwise, since a server would ignore such a hint.
   */
  public static JsonPredicate comparison(ComparisonOp op, JsonPredicate left, JsonPredicate right) {
    ValueType l = leafType(op, left);
    ValueType r = leafType(op, right);
    if (l != r) {
      throw new IllegalArgumentException(
          op.wireName()
              + ": children have different valueTypes ("
              + l.wireName()
              + " and "
              + r.wireName()
              + ")");
    }
    return new JsonPredicate.Comparison(op, left, right);
  }

  private static ValueType leafType(ComparisonOp op, JsonPredicate p) {
    if (p instanceof JsonPredicate.Column c) {
      return c.valueType();
    }
    if (p instanceof JsonPredicate.Literal l) {
      return l.valueType();
    }
    throw new IllegalArgumentException(
        op.wireName() + ": children must be columns or literals, got " + p);
  }

  /** Conjunction; a single child is returned as is, none is an error. */
  public static JsonPredicate and(JsonPredicate... children) {
    return and(List.of(children));
  }

  /** Conjunction; a single child is returned as is, none is an error. */
  public static JsonPredicate and(List<? extends JsonPredicate> children) {
    return junction("and", children);
  }

  /** Disjunction; a single child is returned as is, none is an error. */
  public static JsonPredicate or(JsonPredicate... children) {
    return or(List.of(children));
  }

  /** Disjunction; a single child is returned as is, none is an error. */
  public static JsonPredicate or(List<? extends JsonPredicate> children) {
    return junction("or", children);
  }

  private static JsonPredicate junction(String op, List<? extends JsonPredicate> children) {
    if (children.isEmpty()) {
      throw new IllegalArgumentException(op + " needs at least one child");
    }
    if (children.size() == 1) {
      return children.get(0);
    }
    List<JsonPredicate> copy = List.copyOf(children);
    return op.equals("and") ? new JsonPredicate.And(copy) : new JsonPredicate.Or(copy);
  }

  /** Negation. */
  public static JsonPredicate not(JsonPredicate child) {
    return new JsonPredicate.Not(child);
  }

  /** {@code column IS NULL}; the child must be a column. */
  public static JsonPredicate isNull(JsonPredicate column) {
    if (!(column instanceof JsonPredicate.Column)) {
      throw new IllegalArgumentException("isNull: the child must be a column, got " + column);
    }
    return new JsonPredicate.IsNull(column);
  }
}
