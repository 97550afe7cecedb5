package io.lakeshare.server.service;

import io.lakeshare.protocol.model.QueryTableRequest;

/** Checks on a query body that need no table, in the reference server's order (§1.9.3). */
final class QueryValidation {
  private QueryValidation() {}

  static void validate(QueryTableRequest r) {
    int modes =
        (r.version() != null ? 1 : 0)
            + (r.timestamp() != null ? 1 : 0)
            + (r.startingVersion() != null ? 1 : 0);
    if (modes > 1) {
      throw ServerErrors.invalidParameter(
          "Please only provide one of: version,timestamp,startingVersion");
    }
    if (r.version() != null && r.version() < 0) {
      throw ServerErrors.invalidParameter("table version cannot be negative.");
    }
    if (r.startingVersion() != null && r.startingVersion() < 0) {
      throw ServerErrors.invalidParameter("startingVersion cannot be negative.");
    }
    if (r.maxFiles() != null && r.maxFiles() <= 0) {
      throw ServerErrors.invalidParameter("maxFiles must be positive.");
    }
    if (r.limitHint() != null && r.limitHint() < 0) {
      throw ServerErrors.invalidParameter("limitHint cannot be negative.");
    }
    boolean specific = modes > 0;
    if (Boolean.TRUE.equals(r.includeRefreshToken())) {
      if (specific) {
        throw ServerErrors.invalidParameter(
            "includeRefreshToken cannot be used when querying a specific version.");
      }
      if (r.pageToken() != null) {
        throw ServerErrors.invalidParameter(
            "includeRefreshToken must be used in the first page request.");
      }
    }
    if (r.refreshToken() != null) {
      if (specific) {
        throw ServerErrors.invalidParameter(
            "refreshToken cannot be used when querying a specific version.");
      }
      if (r.pageToken() != null) {
        throw ServerErrors.invalidParameter("refreshToken must be used in the first page request.");
      }
    }
  }
}
