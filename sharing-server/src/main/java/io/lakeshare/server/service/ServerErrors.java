package io.lakeshare.server.service;

import io.lakeshare.protocol.model.ErrorResponse;

/** The server's one factory of client-visible errors; messages say what, why and what to do. */
public final class ServerErrors {
  private ServerErrors() {}

  public static ServiceException invalidParameter(String message) {
    return new ServiceException(400, ErrorResponse.INVALID_PARAMETER_VALUE, message);
  }

  public static ServiceException malformedRequest(String message) {
    return new ServiceException(400, ErrorResponse.MALFORMED_REQUEST, message);
  }

  public static ServiceException unsupported(String message) {
    return new ServiceException(400, ErrorResponse.UNSUPPORTED_OPERATION, message);
  }

  public static ServiceException notFound(String message) {
    return new ServiceException(404, ErrorResponse.RESOURCE_DOES_NOT_EXIST, message);
  }

  public static ServiceException unauthenticated() {
    return new ServiceException(
        401, ErrorResponse.UNAUTHENTICATED, "Missing or invalid bearer token.");
  }

  /** A recipient's token used from an address outside its {@code allowedIps}. */
  public static ServiceException addressNotAllowed() {
    return new ServiceException(
        403,
        ErrorResponse.PERMISSION_DENIED,
        "The bearer token may not be used from this network address.");
  }

  /** A recipient's token past its {@code expiresAt}. */
  public static ServiceException tokenExpired() {
    return new ServiceException(
        401, ErrorResponse.UNAUTHENTICATED, "The bearer token has expired.");
  }

  public static ServiceException methodNotAllowed(String method) {
    return new ServiceException(
        405, ErrorResponse.MALFORMED_REQUEST, "Method " + method + " is not allowed here.");
  }

  public static ServiceException internal() {
    return new ServiceException(
        500, ErrorResponse.INTERNAL_ERROR, "The server failed to answer; see the server log.");
  }

  static ServiceException fileOutsideTable(String fullName) {
    return new ServiceException(
        403,
        ErrorResponse.PERMISSION_DENIED,
        "Table '"
            + fullName
            + "' cannot be answered: its Delta log names a file outside the table's own"
            + " location, which the server does not share.");
  }

  static ServiceException shareNotFound(String share) {
    return notFound("share '" + share + "' not found");
  }

  static ServiceException schemaNotFound(String schema) {
    return notFound("schema '" + schema + "' not found");
  }

  static ServiceException tableNotFound(String share, String schema, String table) {
    return notFound(
        "[Share/Schema/Table] '"
            + share
            + "/"
            + schema
            + "/"
            + table
            + "' does not exist, please contact your share provider for further information.");
  }

  static ServiceException historyNotShared(String fullName) {
    return invalidParameter(
        "Reading table by version or timestamp is not supported because history sharing is not"
            + " enabled on table: "
            + fullName);
  }

  static ServiceException beforeStartVersion(long startVersion) {
    return invalidParameter("You can only query table data since version " + startVersion + ".");
  }

  static ServiceException invalidPageToken() {
    return invalidParameter("invalid 'nextPageToken'");
  }

  static ServiceException maxResults() {
    return invalidParameter("Acceptable values of 'maxResults' are 0 to 500, inclusive.");
  }

  static ServiceException notANumber(String name, String value) {
    return invalidParameter(
        "expected a number but the string didn't have the appropriate format: "
            + name
            + "="
            + value);
  }

  static ServiceException invalidTimestamp(String name, String value) {
    return invalidParameter(
        "Invalid "
            + name
            + ": '"
            + value
            + "'. Use an ISO-8601 timestamp with an offset, e.g. 2022-01-01T00:00:00Z.");
  }
}
