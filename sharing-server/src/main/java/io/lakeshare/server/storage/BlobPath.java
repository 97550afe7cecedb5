package io.lakeshare.server.storage;

import java.util.Locale;

/**
 * A location in an object store split into scheme, authority (bucket, or {@code
 * container@account-host}) and key. Nothing is percent-decoded: Delta Kernel hands out keys as they
 * are stored.
 *
 * @param scheme lower-case URI scheme
 * @param authority the part between {@code //} and the next {@code /}
 * @param key object key without a leading {@code /}; empty for the root
 */
public record BlobPath(String scheme, String authority, String key) {

  /**
   * Splits {@code scheme://authority/key}.
   *
   * @throws FileAccessException when the location has no scheme or authority
   */
  public static BlobPath parse(String location) {
    int colon = location.indexOf("://");
    if (colon <= 0) {
      throw new FileAccessException("Not an object store location: '" + tail(location) + "'");
    }
    int start = colon + 3;
    int slash = location.indexOf('/', start);
    String authority = slash < 0 ? location.substring(start) : location.substring(start, slash);
    if (authority.isEmpty()) {
      throw new FileAccessException("Not an object store location: '" + tail(location) + "'");
    }
    String key = slash < 0 ? "" : location.substring(slash + 1);
    return new BlobPath(location.substring(0, colon).toLowerCase(Locale.ROOT), authority, key);
  }

  /** The location this path came from, in canonical form. */
  public String uri() {
    return scheme + "://" + authority + "/" + key;
  }

  /** The same store with another key. */
  public BlobPath withKey(String newKey) {
    return new BlobPath(scheme, authority, newKey);
  }

  /** The key's folder including its trailing {@code /}, or empty at the root. */
  public String folderPrefix() {
    int slash = key.lastIndexOf('/');
    return slash < 0 ? "" : key.substring(0, slash + 1);
  }

  /**
   * Whether {@code fileKey} is strictly inside the folder {@code rootKey} and holds no segment that
   * an HTTP client or the store might normalize ({@code .}, {@code ..}, empty), which could make a
   * signed URL reach another object.
   */
  public static boolean isSafelyInside(String rootKey, String fileKey) {
    String prefix = rootKey.isEmpty() || rootKey.endsWith("/") ? rootKey : rootKey + "/";
    if (!fileKey.startsWith(prefix) || fileKey.length() == prefix.length()) {
      return false;
    }
    for (String segment : fileKey.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** The last path segment, which is all a message may show of a location. */
  public static String tail(String location) {
    String l = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    return l.substring(l.lastIndexOf('/') + 1);
  }
}
