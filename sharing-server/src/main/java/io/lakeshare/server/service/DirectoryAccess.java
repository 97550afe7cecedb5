package io.lakeshare.server.service;

import io.lakeshare.protocol.model.ErrorResponse;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.config.TableConfig;
import io.lakeshare.server.delta.DeltaTables;
import java.util.Locale;

/**
 * Whether a table may be read through temporary credentials (directory access): the one rule the
 * temporary-credentials endpoint enforces and the table listing announces as {@code accessModes}.
 */
final class DirectoryAccess {
  private DirectoryAccess() {}

  /**
   * Why a recipient may not have directory credentials for {@code t}, or null when it may: a
   * Parquet table (400 UNSUPPORTED_OPERATION: the connector reads Delta logs in that mode); history
   * not shared (400, the reference server's message); a storage that cannot issue credentials
   * scoped to the table's directory (400 UNSUPPORTED_OPERATION); a table shared with a {@code
   * partitionFilter} or a {@code startVersion}, which such credentials would read past (403).
   */
  static ServiceException refusal(SharedTable t, SignerProvider signers) {
    TableConfig cfg = t.config();
    if (cfg.isParquet()) {
      return ServerErrors.unsupported(
          "Directory access (temporary table credentials) is for Delta tables; table '"
              + t.fullName()
              + "' is a directory of Parquet files. Read it through the query endpoint instead"
              + " (URL access).");
    }
    if (!cfg.historyShared()) {
      return ServerErrors.invalidParameter(
          "Temporary table credentials are not supported because history sharing is not enabled"
              + " on table: "
              + t.fullName());
    }
    String root = DeltaTables.normalizeLocation(cfg.location());
    if (!signers.vendsCredentials(t, root)) {
      int colon = root.indexOf(':');
      String scheme = colon < 0 ? "file" : root.substring(0, colon).toLowerCase(Locale.ROOT);
      return ServerErrors.unsupported(
          "Directory access (temporary table credentials) is not available for table '"
              + t.fullName()
              + "': its '"
              + scheme
              + "' storage cannot issue credentials scoped to the table's directory. Read the"
              + " table through the query endpoint instead (URL access).");
    }
    if (cfg.partitionFilter() != null || cfg.startVersion() > 0) {
      return new ServiceException(
          403,
          ErrorResponse.PERMISSION_DENIED,
          "Directory access to table '"
              + t.fullName()
              + "' is not allowed: it is shared with "
              + (cfg.partitionFilter() != null ? "a partition filter" : "a start version")
              + ", and credentials for its directory would read more than that. Read the table"
              + " through the query endpoint instead (URL access).");
    }
    return null;
  }
}
