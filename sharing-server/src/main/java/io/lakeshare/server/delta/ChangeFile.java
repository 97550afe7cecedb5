package io.lakeshare.server.delta;

import java.util.Map;

/**
 * One file action of a commit: an {@code add}, a {@code remove} or a {@code cdc} (change data)
 * file.
 *
 * @param logPath the path exactly as written in the Delta log; file ids hash this string
 * @param absolutePath the file's absolute location, in the form Kernel reports scan files
 * @param partitionValues partition values keyed as in the log; a {@code null} value is SQL null
 * @param size the file size in bytes ({@code remove} actions may omit it in the log; then the size
 *     is read from storage, or 0 when the file is gone)
 * @param stats the {@code stats} JSON string of an {@code add} or {@code remove}, or null
 * @param dataChange the action's {@code dataChange} flag ({@code cdc} files: false)
 * @param modificationTime {@code add}: the file's modification time in epoch ms, else null
 * @param extras the rest of the action, which only the delta response format carries
 */
public record ChangeFile(
    Kind kind,
    String logPath,
    String absolutePath,
    Map<String, String> partitionValues,
    long size,
    String stats,
    boolean dataChange,
    Long modificationTime,
    FileExtras extras) {

  /** Whether the action carries a deletion vector. */
  public boolean hasDeletionVector() {
    return extras.deletionVector() != null;
  }

  /** The Delta action the file came from. */
  public enum Kind {
    ADD,
    REMOVE,
    CDC
  }
}
