package io.lakeshare.protocol.model;

/**
 * {@code {"endStreamAction": {...}}}: the optional last line of a streamed answer (CONFORMANCE
 * §3.2). Optional fields are {@code null}.
 */
public record EndStreamAction(
    String refreshToken,
    String nextPageToken,
    Long minUrlExpirationTimestamp,
    String errorMessage,
    Integer httpStatusErrorCode)
    implements ResponseAction {}
