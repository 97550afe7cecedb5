package io.lakeshare.server.delta;

/**
 * One shared table's data as the services see it: its latest version, versions by number or time,
 * and the commits of a range. A Delta table ({@link DeltaTable}) has all of them; a Parquet table
 * ({@code ParquetTable}) has only its current listing and refuses the rest.
 */
public interface TableSource {

  /** The table's normalized location. */
  String location();

  /** The latest version; changes are visible on the next call after the refresh interval. */
  TableSnapshot latest();

  /** The snapshot at a version; fails with {@code VERSION_NOT_FOUND} when it cannot be loaded. */
  TableSnapshot atVersion(long version);

  /** Latest version committed at or before {@code millis} (time travel rule). */
  long versionAtOrBefore(long millis);

  /** Earliest version committed at or after {@code millis} (table-version rule). */
  long versionAtOrAfter(long millis);

  /** The commit time of a version in epoch milliseconds. */
  default long timestampOf(long version) {
    return atVersion(version).timestamp();
  }

  /**
   * The commits of versions {@code [from, to]}, read one at a time; {@code start} is the snapshot
   * at {@code from} when the caller has it, else null.
   */
  ChangeRange changes(long from, long to, TableSnapshot start);

  /** The first version still readable. */
  long earliestVersion();
}
