package io.lakeshare.server.service;

/**
 * A client-visible failure: HTTP status, protocol error code and a message that is safe to send (no
 * stack traces, no server paths).
 */
public final class ServiceException extends RuntimeException {
  private final int status;
  private final String errorCode;

  ServiceException(int status, String errorCode, String message) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public String errorCode() {
    return errorCode;
  }
}
