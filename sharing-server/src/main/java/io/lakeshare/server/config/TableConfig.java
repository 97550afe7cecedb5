package io.lakeshare.server.config;

/**
 * One shared Delta table.
 *
 * @param name table name as configured
 * @param location Delta table root exactly as written in the file (not resolved)
 * @param id the configured id, or a stable id derived from the share, schema and table names when
 *     the file has none (see {@link ConfigLoader})
 * @param historyShared whether time travel, change queries and change data feed are allowed
 * @param startVersion lowest table version recipients may read
 * @param storage Lakeshare extension: name of the entry of the top-level {@code storage:} list
 *     whose settings read and sign this table's files, or null for the defaults of its scheme
 *     (Hadoop configuration, environment, SDK default chains)
 * @param partitionFilter Lakeshare extension: a SQL predicate over partition columns that limits
 *     the files every recipient may read, with {@code ${recipient.name}} and {@code
 *     ${recipient.<property>}} replaced per recipient; null for none
 * @param format {@link #DELTA} (a Delta table, the default) or {@link #PARQUET} (Lakeshare
 *     extension: a directory of Parquet files, optionally Hive-partitioned, shared as a snapshot of
 *     its listing)
 * @param partitionColumnTypes for a Parquet table, Spark SQL type names of partition columns that
 *     override the types inferred from the directory names; empty otherwise
 * @param listingRefreshSeconds for a Parquet table, how long a listing of its directory is trusted
 *     before the directory is listed again ({@link #DEFAULT_LISTING_REFRESH_SECONDS})
 */
public record TableConfig(
    String name,
    String location,
    String id,
    boolean historyShared,
    long startVersion,
    String storage,
    String partitionFilter,
    String format,
    java.util.Map<String, String> partitionColumnTypes,
    long listingRefreshSeconds) {

  /** How long a Parquet table's listing is trusted unless its config says otherwise. */
  public static final long DEFAULT_LISTING_REFRESH_SECONDS = 30;

  /** The format of a Delta table. */
  public static final String DELTA = "delta";

  /** The format of a directory of Parquet files. */
  public static final String PARQUET = "parquet";

  /** Defaults the format to Delta and copies the partition types. */
  public TableConfig {
    format = format == null ? DELTA : format;
    partitionColumnTypes =
        partitionColumnTypes == null
            ? java.util.Map.of()
            : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(partitionColumnTypes));
  }

  /** A Delta table with a partition filter. */
  public TableConfig(
      String name,
      String location,
      String id,
      boolean historyShared,
      long startVersion,
      String storage,
      String partitionFilter) {
    this(
        name,
        location,
        id,
        historyShared,
        startVersion,
        storage,
        partitionFilter,
        DELTA,
        null,
        DEFAULT_LISTING_REFRESH_SECONDS);
  }

  /** Whether the table is a directory of Parquet files rather than a Delta table. */
  public boolean isParquet() {
    return PARQUET.equals(format);
  }

  /** A Delta table without a partition filter. */
  public TableConfig(
      String name,
      String location,
      String id,
      boolean historyShared,
      long startVersion,
      String storage) {
    this(name, location, id, historyShared, startVersion, storage, null);
  }

  /** The same table with another partition filter (a recipient's rendering of the template). */
  public TableConfig withPartitionFilter(String filter) {
    return new TableConfig(
        name,
        location,
        id,
        historyShared,
        startVersion,
        storage,
        filter,
        format,
        partitionColumnTypes,
        listingRefreshSeconds);
  }

  /** A table without a {@code storage} reference. */
  public TableConfig(
      String name, String location, String id, boolean historyShared, long startVersion) {
    this(name, location, id, historyShared, startVersion, null);
  }
}
