package io.lakeshare.server.delta;

import io.lakeshare.protocol.model.DeletionVector;
import java.util.Map;

/**
 * One active data file of a snapshot, as Kernel's log replay reports it.
 *
 * @param logPath the path exactly as written in the Delta log (relative or absolute); file ids hash
 *     this string
 * @param absolutePath the file's absolute location (a URI such as {@code file:/...})
 * @param partitionValues partition values keyed as in the log (physical names under column
 *     mapping); a {@code null} value is SQL null
 * @param stats the {@code stats} JSON string of the add action, or {@code null}
 * @param extras the rest of the add action, which only the delta response format carries
 */
public record ScanFile(
    String logPath,
    String absolutePath,
    Map<String, String> partitionValues,
    long size,
    long modificationTime,
    String stats,
    FileExtras extras) {

  /** Whether the add action carries a deletion vector. */
  public boolean hasDeletionVector() {
    return extras.deletionVector() != null;
  }

  /** The add action's deletion vector as in the log, or {@code null}. */
  public DeletionVector deletionVector() {
    return extras.deletionVector();
  }
}
