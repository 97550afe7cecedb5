package io.lakeshare.server.delta;

import io.lakeshare.protocol.model.DeletionVector;
import java.util.Map;
import java.util.Objects;

/**
 * One active data file of a snapshot, as Kernel's log replay reports it.
 *
 * <p>Immutable apart from one memo slot: the answer writer keeps there the serialized form of the
 * line's parts that do not change between queries (id, partition values, size, stats), so a file
 * list that the {@link FileListCache} keeps is serialized once, not once per query. The slot takes
 * no part in equality.
 */
public final class ScanFile {
  private final String logPath;
  private final String absolutePath;
  private final Map<String, String> partitionValues;
  private final long size;
  private final long modificationTime;
  private final String stats;
  private final FileExtras extras;
  private volatile Object rendered;

  /**
   * @param logPath the path exactly as written in the Delta log (relative or absolute); file ids
   *     hash this string
   * @param absolutePath the file's absolute location (a URI such as {@code file:/...})
   * @param partitionValues partition values keyed as in the log (physical names under column
   *     mapping); a {@code null} value is SQL null
   * @param stats the {@code stats} JSON string of the add action, or {@code null}
   * @param extras the rest of the add action, which only the delta response format carries
   */
  public ScanFile(
      String logPath,
      String absolutePath,
      Map<String, String> partitionValues,
      long size,
      long modificationTime,
      String stats,
      FileExtras extras) {
    this.logPath = logPath;
    this.absolutePath = absolutePath;
    this.partitionValues = partitionValues;
    this.size = size;
    this.modificationTime = modificationTime;
    this.stats = stats;
    this.extras = extras;
  }

  public String logPath() {
    return logPath;
  }

  public String absolutePath() {
    return absolutePath;
  }

  public Map<String, String> partitionValues() {
    return partitionValues;
  }

  public long size() {
    return size;
  }

  public long modificationTime() {
    return modificationTime;
  }

  public String stats() {
    return stats;
  }

  public FileExtras extras() {
    return extras;
  }

  /** Whether the add action carries a deletion vector. */
  public boolean hasDeletionVector() {
    return extras.deletionVector() != null;
  }

  /** The add action's deletion vector as in the log, or {@code null}. */
  public DeletionVector deletionVector() {
    return extras.deletionVector();
  }

  /** What the answer writer kept for this file, or {@code null}. */
  public Object rendered() {
    return rendered;
  }

  /** Keeps {@code value} for the answer writer; concurrent writers keep equal values. */
  public void rendered(Object value) {
    rendered = value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScanFile f
        && size == f.size
        && modificationTime == f.modificationTime
        && logPath.equals(f.logPath)
        && absolutePath.equals(f.absolutePath)
        && partitionValues.equals(f.partitionValues)
        && Objects.equals(stats, f.stats)
        && extras.equals(f.extras);
  }

  @Override
  public int hashCode() {
    return Objects.hash(logPath, absolutePath, partitionValues, size, modificationTime, stats);
  }

  @Override
  public String toString() {
    return "ScanFile[" + logPath + ", " + size + " bytes, partitionValues=" + partitionValues + "]";
  }
}
