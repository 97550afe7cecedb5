package io.lakeshare.protocol.predicate;

/**
 * A JSON predicate text that cannot be used at all: not JSON, not an object at the root, or over
 * the size or depth limits (or, for strict parsing, containing an unsupported subtree).
 */
public class PredicateParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message describes the problem in terms of the input. */
  public PredicateParseException(String message) {
    super(message);
  }

  /** Same, keeping the underlying parser failure. */
  public PredicateParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
