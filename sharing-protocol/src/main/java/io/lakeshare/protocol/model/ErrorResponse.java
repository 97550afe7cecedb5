package io.lakeshare.protocol.model;

/** The protocol's error envelope: {@code {"errorCode": "...", "message": "..."}}. */
public record ErrorResponse(String errorCode, String message) {
  public static final String INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE";
  public static final String MALFORMED_REQUEST = "MALFORMED_REQUEST";
  public static final String RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST";
  public static final String UNSUPPORTED_OPERATION = "UNSUPPORTED_OPERATION";
  public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
  public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
  public static final String PERMISSION_DENIED = "PERMISSION_DENIED";

  public ErrorResponse {
    errorCode = errorCode == null ? "" : errorCode;
    message = message == null ? "" : message;
  }
}
