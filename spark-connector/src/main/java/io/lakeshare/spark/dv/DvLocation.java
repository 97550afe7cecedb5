package io.lakeshare.spark.dv;

import io.lakeshare.protocol.model.DeletionVector;
import java.util.UUID;

/** Where a deletion vector is, said without secrets, and the file names Delta derives. */
final class DvLocation {
  private DvLocation() {}

  /**
   * The vector's location for messages and logs. Pre-signed URLs carry their credentials in the
   * query string (and could in user info), so only scheme, host and path are shown.
   */
  static String describe(DeletionVector d) {
    String size = d.sizeInBytes() + " bytes";
    switch (d.storageType()) {
      case DeletionVector.STORAGE_INLINE:
        return "(inline, " + size + ")";
      case DeletionVector.STORAGE_PATH:
        return redact(d.pathOrInlineDv()) + " (offset " + d.offset() + ", " + size + ")";
      default:
        // a UUID (with its prefix), or something unknown: neither is a URL
        return "'"
            + d.storageType()
            + redact(d.pathOrInlineDv())
            + "' (offset "
            + d.offset()
            + ", "
            + size
            + ")";
    }
  }

  /** {@code url} without query, fragment and user info. */
  static String redact(String url) {
    int end = url.length();
    int query = url.indexOf('?');
    if (query >= 0) {
      end = query;
    }
    int fragment = url.indexOf('#');
    if (fragment >= 0 && fragment < end) {
      end = fragment;
    }
    String base = url.substring(0, end);
    int authority = base.indexOf("://");
    if (authority >= 0) {
      int pathStart = base.indexOf('/', authority + 3);
      int at = base.lastIndexOf('@', pathStart < 0 ? base.length() : pathStart);
      if (at > authority) {
        base = base.substring(0, authority + 3) + base.substring(at + 1);
      }
    }
    return base;
  }

  /**
   * The path, relative to the table root, of a vector stored by UUID ({@code u}): {@code
   * [<prefix>/]deletion_vector_<uuid>.bin}, where the prefix is whatever precedes the UUID's 20
   * characters.
   *
   * @throws IllegalArgumentException if {@code pathOrInlineDv} does not end in an encoded UUID
   */
  static String uuidRelativePath(String pathOrInlineDv) {
    int split = pathOrInlineDv.length() - Z85.ENCODED_UUID_LENGTH;
    if (split < 0) {
      throw new IllegalArgumentException(
          "'" + pathOrInlineDv + "' is shorter than an encoded UUID (20 characters)");
    }
    UUID id = Z85.decodeUuid(pathOrInlineDv.substring(split));
    String prefix = pathOrInlineDv.substring(0, split);
    return (prefix.isEmpty() ? "" : prefix + "/") + "deletion_vector_" + id + ".bin";
  }
}
