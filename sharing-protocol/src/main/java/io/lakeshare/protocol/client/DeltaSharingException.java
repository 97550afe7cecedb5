package io.lakeshare.protocol.client;

/**
 * A failed Delta Sharing call. {@link #status()} is the HTTP status, or 0 when no HTTP answer was
 * received (connection failure, broken stream); {@link #errorCode()} and {@link #serverMessage()}
 * come from the server's error envelope when it sent one.
 */
public class DeltaSharingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorCode;
  private final String serverMessage;

  /** Creates an exception; {@code message} should name the method and path of the call. */
  public DeltaSharingException(
      String message, int status, String errorCode, String serverMessage, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
    this.serverMessage = serverMessage;
  }

  /** HTTP status, or 0 when there was no HTTP answer. */
  public int status() {
    return status;
  }

  /** The envelope's {@code errorCode}, or {@code null}. */
  public String errorCode() {
    return errorCode;
  }

  /** The envelope's {@code message}, else the HTTP reason phrase, or {@code null}. */
  public String serverMessage() {
    return serverMessage;
  }

  /** Whether trying again later may succeed (no answer, 429 or 5xx). */
  public boolean isRetryable() {
    return status == 0 || status == 429 || status >= 500;
  }
}
