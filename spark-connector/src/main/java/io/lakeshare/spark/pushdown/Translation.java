package io.lakeshare.spark.pushdown;

import io.lakeshare.protocol.predicate.JsonPredicate;

/**
 * The outcome of translating one Spark predicate.
 *
 * <p>{@code exact} means the JSON node has the same three-valued truth as the Spark predicate on
 * every row and is also safe to negate under the server's file-skipping rules; only exact results
 * may sit under {@code not}. A non-exact node is merely implied by the Spark predicate: wherever
 * Spark finds a row TRUE, the node cannot make the server drop the file.
 *
 * @param kind what the predicate became
 * @param node the JSON node, only for {@link Kind#NODE}
 * @param exact see above; constants are always exact, {@link Kind#DROPPED} never is
 */
record Translation(Kind kind, JsonPredicate node, boolean exact) {

  enum Kind {
    /** A JSON node. */
    NODE,
    /** Always TRUE (never NULL). */
    TRUE,
    /** Always FALSE (never NULL). */
    FALSE,
    /** Nothing usable: no constraint at all. */
    DROPPED
  }

  static final Translation TRUE = new Translation(Kind.TRUE, null, true);
  static final Translation FALSE = new Translation(Kind.FALSE, null, true);
  static final Translation DROPPED = new Translation(Kind.DROPPED, null, false);

  static Translation exact(JsonPredicate node) {
    return new Translation(Kind.NODE, node, true);
  }

  static Translation weakened(JsonPredicate node) {
    return new Translation(Kind.NODE, node, false);
  }

  static Translation of(JsonPredicate node, boolean exact) {
    return new Translation(Kind.NODE, node, exact);
  }
}
