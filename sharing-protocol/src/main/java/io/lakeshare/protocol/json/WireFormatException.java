package io.lakeshare.protocol.json;

/**
 * A JSON document that does not match the Delta Sharing wire format. The message describes the
 * problem in terms of the input only (no stack traces, no server paths), so servers may return it
 * to clients as-is.
 */
public class WireFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a client-safe message. */
  public WireFormatException(String message) {
    super(message);
  }

  /** Creates an exception with a client-safe message and the underlying parser failure. */
  public WireFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
