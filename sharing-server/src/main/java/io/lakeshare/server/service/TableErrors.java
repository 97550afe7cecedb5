package io.lakeshare.server.service;

import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.delta.DeltaTableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps storage and Kernel failures to protocol errors that name the table, never a path. */
final class TableErrors {
  private static final Logger LOG = LoggerFactory.getLogger(TableErrors.class);

  private TableErrors() {}

  interface DeltaCall<T> {
    T call();
  }

  static <T> T withDelta(SharedTable t, DeltaCall<T> call) {
    try {
      return call.call();
    } catch (DeltaTableException e) {
      throw map(t, e);
    }
  }

  static ServiceException map(SharedTable t, DeltaTableException e) {
    return switch (e.kind()) {
      case TABLE_NOT_FOUND ->
          ServerErrors.notFound(
              "Table '"
                  + t.fullName()
                  + "' is shared but its data cannot be found; please contact your share provider.");
      case VERSION_NOT_FOUND, TIMESTAMP_BEFORE_FIRST, TIMESTAMP_AFTER_LATEST ->
          ServerErrors.malformedRequest(e.getMessage() + " (table " + t.fullName() + ")");
      case HISTORY_MISSING ->
          ServerErrors.invalidParameter(
              e.getMessage()
                  + " (table "
                  + t.fullName()
                  + "); the log no longer holds these commits, so start the query at a later"
                  + " version.");
      case UNSUPPORTED ->
          ServerErrors.unsupported(
              "Table '" + t.fullName() + "' cannot be read by this server: " + e.getMessage());
      case STORAGE -> {
        LOG.error("Reading table {} failed", t.fullName(), e);
        yield ServerErrors.internal();
      }
    };
  }
}
