package io.lakeshare.server.filter;

/**
 * One top-level column of a shared table.
 *
 * @param name logical name as written in the schema
 * @param physicalName column-mapping physical name, or {@code null} when the table has none
 * @param kind the column's type
 * @param precision decimal precision, 0 for other kinds
 * @param scale decimal scale, 0 for other kinds
 * @param partition whether the table is partitioned by this column
 */
record ColumnInfo(
    String name,
    String physicalName,
    ColumnKind kind,
    int precision,
    int scale,
    boolean partition) {}
