package io.lakeshare.server.service;

import io.delta.kernel.utils.CloseableIterator;
import io.lakeshare.protocol.model.ErrorResponse;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.delta.ScanFile;
import io.lakeshare.server.delta.TableSnapshot;
import io.lakeshare.server.filter.AccessFilter;
import io.lakeshare.server.filter.TableColumns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of a table the requesting recipient may read: its table's {@code partitionFilter}
 * (already rendered for the recipient by the catalog) compiled against the table's schema. Every
 * file source of an answer (snapshot listings, change commits, the file counts in metadata) asks it
 * before a file is counted, paged or signed, and {@link AnswerLines} checks again before writing,
 * so a file outside it is never answered.
 */
final class PartitionAccess {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionAccess.class);
  static final PartitionAccess ALL = new PartitionAccess(null);

  private final AccessFilter filter;

  /**
   * Compiled filters by filter text and table schema: a recipient's requests reuse one (compiled
   * filters are immutable). Bounded by clearing, as the distinct keys are few (tables × recipients
   * × schema changes).
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, AccessFilter> COMPILED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_COMPILED = 4096;

  private PartitionAccess(AccessFilter filter) {
    this.filter = filter;
  }

  /**
   * The access of table {@code t} at snapshot {@code s}.
   *
   * @throws ServiceException 403 when the filter cannot be applied to the table as it is now (the
   *     provider's mistake: nothing is answered rather than too much)
   */
  static PartitionAccess of(SharedTable t, TableSnapshot s) {
    String sql = t.config().partitionFilter();
    if (sql == null) {
      return ALL;
    }
    try {
      String key = sql + '\u0000' + s.partitionColumns() + '\u0000' + s.schemaString();
      AccessFilter compiled = COMPILED.get(key);
      if (compiled == null) {
        compiled =
            AccessFilter.compile(
                sql, TableColumns.fromSchemaString(s.schemaString(), s.partitionColumns()));
        if (COMPILED.size() >= MAX_COMPILED) {
          COMPILED.clear();
        }
        COMPILED.put(key, compiled);
      }
      return new PartitionAccess(compiled);
    } catch (IllegalArgumentException e) {
      LOG.error(
          "The partitionFilter of table {} cannot be applied, so the table is refused: {}",
          t.fullName(),
          e.getMessage());
      throw new ServiceException(
          403,
          ErrorResponse.PERMISSION_DENIED,
          "Table '"
              + t.fullName()
              + "' cannot be read: its partition filter does not fit the table. Contact the"
              + " provider.");
    }
  }

  boolean filtered() {
    return filter != null;
  }

  boolean allows(Map<String, String> partitionValues) {
    return filter == null || filter.allows(partitionValues);
  }

  /** Bytes and count of the snapshot's files this access allows. */
  long[] sizeAndFileCount(TableSnapshot s) {
    if (filter == null) {
      return s.sizeAndFileCount();
    }
    long bytes = 0;
    long files = 0;
    try (CloseableIterator<ScanFile> it = s.scanFiles()) {
      while (it.hasNext()) {
        ScanFile f = it.next();
        if (filter.allows(f.partitionValues())) {
          bytes += f.size();
          files++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new long[] {bytes, files};
  }
}
