package io.lakeshare.protocol.predicate;

/** Binary comparison operators of JSON predicates. */
public enum ComparisonOp {
  EQUAL("equal"),
  LESS_THAN("lessThan"),
  LESS_THAN_OR_EQUAL("lessThanOrEqual"),
  GREATER_THAN("greaterThan"),
  GREATER_THAN_OR_EQUAL("greaterThanOrEqual");

  private final String wireName;

  ComparisonOp(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Exact (case-sensitive) wire-name lookup; {@code null} when unknown. */
  public static ComparisonOp fromWire(String op) {
    for (ComparisonOp c : values()) {
      if (c.wireName.equals(op)) {
        return c;
      }
    }
    return null;
  }
}
