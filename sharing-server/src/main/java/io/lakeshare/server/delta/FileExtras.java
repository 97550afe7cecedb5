package io.lakeshare.server.delta;

import io.lakeshare.protocol.model.DeletionVector;
import java.util.Map;

/**
 * The fields of an {@code add}, {@code remove} or {@code cdc} action beyond path, partition values,
 * size and stats: only the delta response format passes them on. Absent values are {@code null}.
 *
 * @param dataChange the action's {@code dataChange} flag
 * @param tags the action's tags
 * @param deletionVector the deletion vector as written in the log
 * @param deletionVectorPath the absolute location of an on-disk deletion vector's file (for
 *     signing), or {@code null} when there is none or it is inline
 * @param deletionTimestamp {@code remove}: when the file was removed
 * @param extendedFileMetadata {@code remove}: whether partition values and size are present
 */
public record FileExtras(
    boolean dataChange,
    Map<String, String> tags,
    DeletionVector deletionVector,
    String deletionVectorPath,
    Long baseRowId,
    Long defaultRowCommitVersion,
    Long deletionTimestamp,
    Boolean extendedFileMetadata) {

  /** A data-change action with nothing else (e.g. a file written by the demo writer). */
  public static final FileExtras PLAIN =
      new FileExtras(true, null, null, null, null, null, null, null);
}
