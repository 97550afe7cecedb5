package io.lakeshare.server.delta;

import java.util.Map;

/**
 * One active data file of a snapshot, as Kernel's log replay reports it.
 *
 * @param logPath the path exactly as written in the Delta log (relative or absolute); file ids hash
 *     this string
 * @param absolutePath the file's absolute location (a URI such as {@code file:/...})
 * @param partitionValues partition values keyed as in the log; a {@code null} value is SQL null
 * @param stats the {@code stats} JSON string of the add action, or {@code null}
 * @param hasDeletionVector whether the add action carries a deletion vector
 */
public record ScanFile(
    String logPath,
    String absolutePath,
    Map<String, String> partitionValues,
    long size,
    long modificationTime,
    String stats,
    boolean hasDeletionVector) {}
