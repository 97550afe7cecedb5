package io.lakeshare.server.delta;

import io.lakeshare.protocol.model.DeletionVector;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One active data file of a snapshot, as Kernel's log replay reports it.
 *
 * <p>Immutable apart from one memo slot: the answer writer keeps there the serialized form of the
 * line's parts that do not change between queries (id, partition values, size, stats), so a file
 * list that the {@link FileListCache} keeps is serialized once, not once per query. The slot takes
 * no part in equality.
 *
 * <p>The stats are kept once, in the form they take on the wire: the body of a JSON string
 * (escaped, UTF-8, without the quotes). Answers copy those bytes into each line; {@link #stats()}
 * decodes them for the few callers that read the statistics (filters, limit hints). Kept as a
 * {@code String} as well, they were a third of a cached file's heap. Likewise a log path that ends
 * the absolute path (a plain relative path, or the absolute path itself) is kept as that end's
 * offset, not as a second string; it is read only to compute file ids.
 */
public final class ScanFile {
  /** The log path when it is not the end of {@link #absolutePath}, else {@code null}. */
  private final String logPath;

  /** Where the log path starts in {@link #absolutePath} when {@link #logPath} is null. */
  private final int logPathAt;

  private final String absolutePath;
  private final Map<String, String> partitionValues;
  private final long size;
  private final long modificationTime;
  private final byte[] statsJson;
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
    boolean ending = absolutePath.endsWith(logPath);
    this.logPath = ending ? null : logPath;
    this.logPathAt = ending ? absolutePath.length() - logPath.length() : -1;
    this.absolutePath = absolutePath;
    this.partitionValues = partitionValues;
    this.size = size;
    this.modificationTime = modificationTime;
    this.statsJson = stats == null ? null : JsonStringBody.encode(stats);
    this.extras = extras;
  }

  /** The path exactly as written in the Delta log. */
  public String logPath() {
    return logPath != null ? logPath : absolutePath.substring(logPathAt);
  }

  /**
   * The characters of the log path kept beside the absolute path: 0 when it ends the absolute path
   * (then it is an offset into it), else its length.
   */
  int separateLogPathLength() {
    return logPath == null ? 0 : logPath.length();
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

  /** The {@code stats} JSON string of the add action, or {@code null}; decoded on each call. */
  public String stats() {
    return statsJson == null ? null : JsonStringBody.decode(statsJson);
  }

  /**
   * The stats as the body of a JSON string (what goes between the quotes of {@code "stats":"..."},
   * UTF-8), or {@code null}. The array is the file's own: callers must not change it.
   */
  public byte[] statsJson() {
    return statsJson;
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
        && absolutePath.equals(f.absolutePath)
        && logPath().equals(f.logPath())
        && partitionValues.equals(f.partitionValues)
        && Arrays.equals(statsJson, f.statsJson)
        && extras.equals(f.extras);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(absolutePath, partitionValues, size, modificationTime)
        + Arrays.hashCode(statsJson);
  }

  @Override
  public String toString() {
    return "ScanFile["
        + logPath()
        + ", "
        + size
        + " bytes, partitionValues="
        + partitionValues
        + "]";
  }
}
