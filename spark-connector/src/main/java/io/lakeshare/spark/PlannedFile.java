package io.lakeshare.spark;

import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.spark.read.FileUrl;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One data file of a planned read, and which of its rows the read keeps.
 *
 * @param numRecords row count from the file's stats, or -1 when unknown
 * @param kind {@code FILE} in snapshots; {@code ADD}, {@code REMOVE} or {@code CDF} in changes
 * @param version the commit that added, removed or wrote it (changes), or -1
 * @param timestamp that commit's time in epoch milliseconds (changes), or -1
 * @param deleted the file's deletion vector (rows the read skips), or {@code null}; a {@code p}
 *     vector's {@code pathOrInlineDv} is its signed URL
 * @param deletedId the id under which the deleted-rows vector's URL is registered, or {@code null}
 * @param keepOnly when set, the read keeps only the rows this vector names (a change data read of a
 *     file whose deletion vector grew keeps the rows that became deleted), else {@code null}
 * @param keepOnlyId the id of {@code keepOnly}'s URL, or {@code null}
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
    long timestamp,
    DeletionVector deleted,
    String deletedId,
    DeletionVector keepOnly,
    String keepOnlyId)
    implements Serializable {

  /** A file read whole (no deletion vector). */
  PlannedFile(
      String id,
      String url,
      long expiresAtMillis,
      long size,
      Map<String, String> partitionValues,
      long numRecords,
      FileAction.Kind kind,
      long version,
      long timestamp) {
    this(
        id,
        url,
        expiresAtMillis,
        size,
        partitionValues,
        numRecords,
        kind,
        version,
        timestamp,
        null,
        null,
        null,
        null);
  }

  /** Whether the read must look at row indexes: some deletion vector applies. */
  boolean selectsRows() {
    return deleted != null || keepOnly != null;
  }

  /** The same file read with other row selections and kind. */
  PlannedFile selecting(
      FileAction.Kind newKind,
      DeletionVector newDeleted,
      String newDeletedId,
      DeletionVector newKeepOnly,
      String newKeepOnlyId) {
    return new PlannedFile(
        id,
        url,
        expiresAtMillis,
        size,
        partitionValues,
        numRecords,
        newKind,
        version,
        timestamp,
        newDeleted,
        newDeletedId,
        newKeepOnly,
        newKeepOnlyId);
  }

  /** The same read as a file of another kind and commit (e.g. a stream's initial snapshot). */
  PlannedFile as(FileAction.Kind newKind, long newVersion) {
    return new PlannedFile(
        id,
        url,
        expiresAtMillis,
        size,
        partitionValues,
        numRecords,
        newKind,
        newVersion,
        timestamp,
        deleted,
        deletedId,
        keepOnly,
        keepOnlyId);
  }

  /**
   * The planned URL of each file and of each deletion-vector file, by id, as the URL registry takes
   * them.
   */
  static Map<String, FileUrl> urlsById(List<PlannedFile> files) {
    Map<String, FileUrl> urls = new HashMap<>(files.size() * 2);
    for (PlannedFile f : files) {
      f.putUrls(urls);
    }
    return urls;
  }

  /** Adds this file's URL and its deletion vectors' URLs to {@code urls}. */
  void putUrls(Map<String, FileUrl> urls) {
    urls.put(id, new FileUrl(url, expiresAtMillis));
    putVector(urls, deleted, deletedId);
    putVector(urls, keepOnly, keepOnlyId);
  }

  private void putVector(Map<String, FileUrl> urls, DeletionVector dv, String dvId) {
    if (dv != null && dvId != null && !dv.isInline()) {
      urls.put(dvId, new FileUrl(dv.pathOrInlineDv(), expiresAtMillis));
    }
  }
}
