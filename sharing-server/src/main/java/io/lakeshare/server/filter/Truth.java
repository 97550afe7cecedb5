package io.lakeshare.server.filter;

/**
 * Sets of SQL truth values, as bit masks: the values a predicate may take on the rows of one file.
 *
 * <p>This refines CONFORMANCE §4.2's tri-state: "no-match" is a set without {@link #TRUE},
 * "exact-match" is exactly {TRUE}, anything else is "maybe". Because {@link #not} maps each
 * possible row value (TRUE to FALSE, FALSE to TRUE, NULL to NULL) it is the same as pushing the
 * negation down to the leaves; it never turns a "maybe" into a certainty, which is the soundness
 * bug of the reference V2 evaluator.
 */
final class Truth {
  static final int NONE = 0;
  static final int TRUE = 1;
  static final int FALSE = 2;
  static final int NULL = 4;
  static final int ANY = TRUE | FALSE | NULL;

  private static final int[] VALUES = {TRUE, FALSE, NULL};

  private Truth() {}

  static boolean canBeTrue(int set) {
    return (set & TRUE) != 0;
  }

  static int not(int set) {
    int out = set & NULL;
    if ((set & TRUE) != 0) {
      out |= FALSE;
    }
    if ((set & FALSE) != 0) {
      out |= TRUE;
    }
    return out;
  }

  /** Kleene AND of any value of {@code a} with any value of {@code b}. */
  static int and(int a, int b) {
    int out = NONE;
    for (int x : VALUES) {
      for (int y : VALUES) {
        if ((a & x) != 0 && (b & y) != 0) {
          out |= (x == FALSE || y == FALSE) ? FALSE : (x == NULL || y == NULL) ? NULL : TRUE;
        }
      }
    }
    return out;
  }

  /** Kleene OR of any value of {@code a} with any value of {@code b}. */
  static int or(int a, int b) {
    return not(and(not(a), not(b)));
  }

  /** The set containing TRUE when {@code t}, FALSE when {@code f}, NULL when {@code n}. */
  static int of(boolean t, boolean f, boolean n) {
    return (t ? TRUE : 0) | (f ? FALSE : 0) | (n ? NULL : 0);
  }
}
