package io.lakeshare.spark;

import io.lakeshare.protocol.model.FileAction;
import java.io.Serializable;
import java.util.Map;

/**
 * One data file of a planned read.
 *
 * @param numRecords row count from the file's stats, or -1 when unknown
 * @param kind {@code FILE} in snapshots; {@code ADD}, {@code REMOVE} or {@code CDF} in changes
 * @param version the commit that added, removed or wrote it (changes), or -1
 * @param timestamp that commit's time in epoch milliseconds (changes), or -1
 */
record PlannedFile(
    String id,
    String url,
    long expiresAtMillis,
    long size,
    Map<String, String> partitionValues,
    long numRecords,
    FileAction.Kind kind,
    long version,
    long timestamp)
    implements Serializable {}
