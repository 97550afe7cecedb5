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
 */
public record TableConfig(
    String name,
    String location,
    String id,
    boolean historyShared,
    long startVersion,
    String storage,
    String partitionFilter) {

  /** A table without a partition filter. */
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
    return new TableConfig(name, location, id, historyShared, startVersion, storage, filter);
  }

  /** A table without a {@code storage} reference. */
  public TableConfig(
      String name, String location, String id, boolean historyShared, long startVersion) {
    this(name, location, id, historyShared, startVersion, null);
  }
}
