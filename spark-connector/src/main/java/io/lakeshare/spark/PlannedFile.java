package io.lakeshare.spark;

import java.io.Serializable;
import java.util.Map;

/**
 * One data file of a planned scan.
 *
 * @param numRecords row count from the file's stats, or -1 when unknown
 */
record PlannedFile(
    String id,
    String url,
    long expiresAtMillis,
    long size,
    Map<String, String> partitionValues,
    long numRecords)
    implements Serializable {}
