package io.lakeshare.protocol.profile;

/** A profile file that cannot be used; the message names the profile's source and the field. */
public class ProfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message fit for the user. */
  public ProfileException(String message) {
    super(message);
  }

  /** Same, keeping the underlying failure. */
  public ProfileException(String message, Throwable cause) {
    super(message, cause);
  }
}
