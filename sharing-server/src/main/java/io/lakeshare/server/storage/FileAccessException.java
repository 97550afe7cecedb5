package io.lakeshare.server.storage;

/**
 * A signer refused a file: it lies outside the table it was asked for, or its location is not one
 * the signer can serve. The message names at most the file's own name, never a server path, so it
 * may reach a client.
 */
public class FileAccessException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a client-safe message. */
  public FileAccessException(String message) {
    super(message);
  }
}
