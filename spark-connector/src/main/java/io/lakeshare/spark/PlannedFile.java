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
    implements Serializable {

  /** The planned URL of each file, by file id, as the URL registry takes them. */
  static java.util.Map<String, io.lakeshare.spark.read.FileUrl> urlsById(
      java.util.List<PlannedFile> files) {
    java.util.Map<String, io.lakeshare.spark.read.FileUrl> urls =
        new java.util.HashMap<>(files.size() * 2);
    for (PlannedFile f : files) {
      urls.put(f.id(), new io.lakeshare.spark.read.FileUrl(f.url(), f.expiresAtMillis()));
    }
    return urls;
  }
}
