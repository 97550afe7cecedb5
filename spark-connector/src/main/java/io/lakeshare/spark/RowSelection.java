package io.lakeshare.spark;

import io.lakeshare.protocol.model.DeletionVector;
import java.io.Serializable;

/**
 * Which rows of one file split a read keeps: those not in {@code deleted} and, when {@code
 * keepOnly} is set, in it. Vectors stored in files are fetched through the URLs registered under
 * their ids.
 */
record RowSelection(
    DeletionVector deleted, String deletedId, DeletionVector keepOnly, String keepOnlyId)
    implements Serializable {

  /** The selection of a planned file, or {@code null} when it keeps every row. */
  static RowSelection of(PlannedFile f) {
    return f.selectsRows()
        ? new RowSelection(f.deleted(), f.deletedId(), f.keepOnly(), f.keepOnlyId())
        : null;
  }
}
