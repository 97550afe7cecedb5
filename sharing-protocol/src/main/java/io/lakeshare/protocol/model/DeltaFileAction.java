package io.lakeshare.protocol.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code {"file": {"id": ..., "deltaSingleAction": {"add"|"remove"|"cdc": {...}}, ...}}}: a file
 * line of the delta response format (CONFORMANCE §3.4). The fields up to {@code
 * expirationTimestamp} belong to the {@code file} wrapper; the rest are the Delta action's, whose
 * {@code path} is the pre-signed URL of the file. Optional fields are {@code null}.
 *
 * @param kind which Delta action {@code deltaSingleAction} holds
 * @param id the stable file id (§3.1)
 * @param deletionVectorFileId a stable id of the deletion vector's file, or {@code null}
 * @param version the commit version of this action (time travel, change queries), or {@code null}
 * @param timestamp that commit's time in epoch ms, or {@code null}
 * @param expirationTimestamp when the URL expires, epoch ms, or {@code null}
 * @param path the pre-signed URL of the data file
 * @param partitionValues partition values keyed by physical column name; a {@code null} value is
 *     SQL null
 * @param size file size in bytes
 * @param modificationTime {@code add}: the file's modification time, epoch ms
 * @param dataChange the action's {@code dataChange} flag
 * @param stats {@code add} (and optionally {@code remove}): the statistics JSON string
 * @param tags the action's {@code tags}, or {@code null}
 * @param deletionVector the deletion vector ({@code add}, {@code remove}), or {@code null}
 * @param baseRowId row tracking: the first row id of the file, or {@code null}
 * @param defaultRowCommitVersion row tracking: the default row commit version, or {@code null}
 * @param deletionTimestamp {@code remove}: when the file was removed, epoch ms, or {@code null}
 * @param extendedFileMetadata {@code remove}: whether partition values and size are present
 */
public record DeltaFileAction(
    Kind kind,
    String id,
    String deletionVectorFileId,
    Long version,
    Long timestamp,
    Long expirationTimestamp,
    String path,
    Map<String, String> partitionValues,
    long size,
    Long modificationTime,
    Boolean dataChange,
    String stats,
    Map<String, String> tags,
    DeletionVector deletionVector,
    Long baseRowId,
    Long defaultRowCommitVersion,
    Long deletionTimestamp,
    Boolean extendedFileMetadata)
    implements ResponseAction {

  /** The Delta action inside {@code deltaSingleAction}; its key on the wire. */
  public enum Kind {
    ADD("add"),
    REMOVE("remove"),
    CDC("cdc");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public DeltaFileAction {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    partitionValues =
        partitionValues == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
    tags = tags == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }
}
