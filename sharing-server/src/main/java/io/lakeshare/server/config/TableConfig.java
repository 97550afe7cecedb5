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
 */
public record TableConfig(
    String name, String location, String id, boolean historyShared, long startVersion) {}
