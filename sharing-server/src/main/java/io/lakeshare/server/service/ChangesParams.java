package io.lakeshare.server.service;

/**
 * The query parameters of {@code GET .../changes} (E9) exactly as received; {@code null} when
 * absent. The service parses and checks them in the reference server's order.
 */
public record ChangesParams(
    String startingVersion,
    String startingTimestamp,
    String endingVersion,
    String endingTimestamp,
    String includeHistoricalMetadata,
    String maxFiles,
    String pageToken) {}
