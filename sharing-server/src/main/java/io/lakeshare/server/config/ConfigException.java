package io.lakeshare.server.config;

/** The server configuration cannot be read or is invalid; the message names the offending key. */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message meant for the operator who wrote the file. */
  public ConfigException(String message) {
    super(message);
  }

  /** Creates an exception with a message meant for the operator and the underlying cause. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
