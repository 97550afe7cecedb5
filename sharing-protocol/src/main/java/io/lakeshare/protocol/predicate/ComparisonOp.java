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

  /** The same comparison with its sides swapped: {@code 1 < a} is {@code a > 1}. */
  public ComparisonOp mirrored() {
    return switch (this) {
      case EQUAL -> EQUAL;
      case LESS_THAN -> GREATER_THAN;
      case LESS_THAN_OR_EQUAL -> GREATER_THAN_OR_EQUAL;
      case GREATER_THAN -> LESS_THAN;
      case GREATER_THAN_OR_EQUAL -> LESS_THAN_OR_EQUAL;
    };
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
