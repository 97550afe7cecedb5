package io.lakeshare.server.filter;

import io.lakeshare.protocol.predicate.ComparisonOp;
import io.lakeshare.protocol.predicate.JsonPredicate;
import io.lakeshare.protocol.predicate.ValueType;
import java.util.List;

/** Short constructors for JSON predicate trees in tests. */
final class Preds {
  private Preds() {}

  static JsonPredicate col(String name, ValueType type) {
    return new JsonPredicate.Column(name, type);
  }

  static JsonPredicate lit(String value, ValueType type) {
    return new JsonPredicate.Literal(value, type);
  }

  static JsonPredicate cmp(ComparisonOp op, JsonPredicate left, JsonPredicate right) {
    return new JsonPredicate.Comparison(op, left, right);
  }

  /** {@code column op literal}, both of the given type. */
  static JsonPredicate cmp(ComparisonOp op, String column, ValueType type, String literal) {
    return cmp(op, col(column, type), lit(literal, type));
  }

  static JsonPredicate eq(String column, ValueType type, String literal) {
    return cmp(ComparisonOp.EQUAL, column, type, literal);
  }

  static JsonPredicate lt(String column, ValueType type, String literal) {
    return cmp(ComparisonOp.LESS_THAN, column, type, literal);
  }

  static JsonPredicate le(String column, ValueType type, String literal) {
    return cmp(ComparisonOp.LESS_THAN_OR_EQUAL, column, type, literal);
  }

  static JsonPredicate gt(String column, ValueType type, String literal) {
    return cmp(ComparisonOp.GREATER_THAN, column, type, literal);
  }

  static JsonPredicate ge(String column, ValueType type, String literal) {
    return cmp(ComparisonOp.GREATER_THAN_OR_EQUAL, column, type, literal);
  }

  static JsonPredicate isNull(String column, ValueType type) {
    return new JsonPredicate.IsNull(col(column, type));
  }

  static JsonPredicate not(JsonPredicate child) {
    return new JsonPredicate.Not(child);
  }

  static JsonPredicate and(JsonPredicate... children) {
    return new JsonPredicate.And(List.of(children));
  }

  static JsonPredicate or(JsonPredicate... children) {
    return new JsonPredicate.Or(List.of(children));
  }

  static JsonPredicate unsupported() {
    return new JsonPredicate.Unsupported("between", "unknown op between");
  }
}
