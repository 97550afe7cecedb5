package io.lakeshare.server.ops;

import io.lakeshare.server.http.RequestRecord;

/** Builds request records for tests outside the HTTP package. */
final class RequestRecordAccess {
  private RequestRecordAccess() {}

  static RequestRecord record(String id) {
    return RequestRecord.forTest(id);
  }
}
