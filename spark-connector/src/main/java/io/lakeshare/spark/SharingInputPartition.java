package io.lakeshare.spark;

import io.lakeshare.spark.read.FileUrl;
import io.lakeshare.spark.read.UrlRefresher;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * A group of file splits for one task: Spark's file partition (paths, ranges, constant values) plus
 * the URLs of its files as planned and how to fetch them again, which the task registers in its JVM
 * before reading.
 */
final class SharingInputPartition implements InputPartition {
  private static final long serialVersionUID = 1L;

  final InputPartition files;

  /** Which reader layout the files need (see {@link FilesBatch}). */
  final int layout;

  final String scanKey;
  final UrlRefresher refresher;
  private final String[] fileIds;
  private final String[] urls;
  private final long[] expiries;

  /**
   * The row selection of each file split, aligned with the file partition's splits ({@code null}
   * entries keep every row); {@code null} when no split selects rows.
   */
  final RowSelection[] selections;

  SharingInputPartition(
      InputPartition files,
      int layout,
      String scanKey,
      UrlRefresher refresher,
      String[] fileIds,
      String[] urls,
      long[] expiries,
      RowSelection[] selections) {
    this.selections = selections;
    this.files = files;
    this.layout = layout;
    this.scanKey = scanKey;
    this.refresher = refresher;
    this.fileIds = fileIds;
    this.urls = urls;
    this.expiries = expiries;
  }

  Map<String, FileUrl> urls() {
    Map<String, FileUrl> m = new HashMap<>(fileIds.length * 2);
    for (int i = 0; i < fileIds.length; i++) {
      m.put(fileIds[i], new FileUrl(urls[i], expiries[i]));
    }
    return m;
  }

  int fileCount() {
    return fileIds.length;
  }
}
