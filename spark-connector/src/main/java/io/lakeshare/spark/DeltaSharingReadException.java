package io.lakeshare.spark;

/** A Delta Sharing table could not be read: the server refused or failed, or its answer was bad. */
public class DeltaSharingReadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeltaSharingReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
