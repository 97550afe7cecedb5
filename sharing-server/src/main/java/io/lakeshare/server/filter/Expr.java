package io.lakeshare.server.filter;

import io.lakeshare.protocol.predicate.ComparisonOp;
import java.util.List;

/** A compiled predicate, evaluated per file by {@link FileEvaluator}. */
sealed interface Expr {

  /** A binary comparison; both operands are in the same domain. */
  record Compare(ComparisonOp op, Operand left, Operand right) implements Expr {}

  /** SQL {@code <=>}: TRUE when both are NULL or both equal, never NULL itself. */
  record NullSafeEqual(Operand left, Operand right) implements Expr {}

  record IsNull(Operand operand) implements Expr {}

  /** A boolean operand used directly as a predicate. */
  record BoolValue(Operand operand) implements Expr {}

  record Not(Expr child) implements Expr {}

  record And(List<Expr> children) implements Expr {}

  record Or(List<Expr> children) implements Expr {}

  /**
   * Something we cannot evaluate: it may be TRUE, FALSE or NULL on any row. This is why the
   * reference pruner's rules (drop an unsupported child of {@code and}, drop a whole {@code or} or
   * {@code not} containing one) are not needed: {@code and} with an unknown child can be TRUE only
   * where the other children can, {@code or} with one can always be TRUE, and {@code not} of it is
   * again unknown, so evaluating it as "anything" never drops more files than pruning would.
   */
  record Unknown(String reason) implements Expr {}

  /** Whether evaluation can ever exclude TRUE; false when every leaf is unknown. */
  default boolean mayPrune() {
    if (this instanceof Compare c) {
      return !c.left().isUnknown() && !c.right().isUnknown();
    }
    if (this instanceof NullSafeEqual c) {
      return !c.left().isUnknown() && !c.right().isUnknown();
    }
    if (this instanceof IsNull n) {
      return !n.operand().isUnknown();
    }
    if (this instanceof BoolValue b) {
      return !b.operand().isUnknown();
    }
    if (this instanceof Not n) {
      return n.child().mayPrune();
    }
    if (this instanceof And a) {
      return a.children().stream().anyMatch(Expr::mayPrune);
    }
    if (this instanceof Or o) {
      return o.children().stream().anyMatch(Expr::mayPrune);
    }
    return false;
  }
}
