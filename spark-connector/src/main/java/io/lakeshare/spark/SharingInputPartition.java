package io.lakeshare.spark;

import io.lakeshare.spark.read.FileUrl;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * A group of file splits for one task: Spark's file partition (paths, ranges, partition values)
 * plus the URLs of its files as planned, which the task registers before reading.
 */
final class SharingInputPartition implements InputPartition {
  private static final long serialVersionUID = 1L;

  final InputPartition files;
  private final String[] fileIds;
  private final String[] urls;
  private final long[] expiries;

  SharingInputPartition(InputPartition files, String[] fileIds, String[] urls, long[] expiries) {
    this.files = files;
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
