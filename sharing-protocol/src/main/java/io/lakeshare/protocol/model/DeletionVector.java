package io.lakeshare.protocol.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * A Delta deletion-vector descriptor (the {@code deletionVector} field of {@code add} and {@code
 * remove} actions). In sharing answers on-disk vectors have storage type {@value #STORAGE_PATH}
 * with a pre-signed URL of the vector's file in {@code pathOrInlineDv}; inline ones ({@value
 * #STORAGE_INLINE}) carry the Z85-encoded bitmap.
 *
 * @param storageType {@code u} (path relative to the table, by UUID), {@code p} (absolute path or
 *     URL) or {@code i} (inline)
 * @param offset byte offset of the vector in its file; {@code null} for inline vectors
 * @param sizeInBytes size of the serialized bitmap
 * @param cardinality number of deleted rows
 * @param maxRowIndex the optional largest row index in the vector, or {@code null}
 */
public record DeletionVector(
    String storageType,
    String pathOrInlineDv,
    Integer offset,
    int sizeInBytes,
    long cardinality,
    Long maxRowIndex)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Storage type of a vector named by a UUID relative to the table root. */
  public static final String STORAGE_UUID = "u";

  /** Storage type of a vector stored at an absolute path or URL. */
  public static final String STORAGE_PATH = "p";

  /** Storage type of a vector stored inline, Z85-encoded. */
  public static final String STORAGE_INLINE = "i";

  public DeletionVector {
    Objects.requireNonNull(storageType, "storageType");
    Objects.requireNonNull(pathOrInlineDv, "pathOrInlineDv");
  }

  public boolean isInline() {
    return STORAGE_INLINE.equals(storageType);
  }

  /** The same descriptor stored at {@code url} (storage type {@code p}). */
  public DeletionVector atUrl(String url) {
    return new DeletionVector(STORAGE_PATH, url, offset, sizeInBytes, cardinality, maxRowIndex);
  }
}
