package io.lakeshare.server.storage;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads the location strings that name local files. Kernel reports Hadoop path strings, which are
 * not percent-encoded ({@code file:/t/ts=2021-01-01 10%3A00%3A00/part-0.parquet} names a directory
 * with a literal {@code %3A}, as Hive-style partition escaping writes it), while {@code
 * java.nio.file.Path.toUri()} writes encoded {@code file:///} URIs. The two cannot be told apart by
 * content alone, so the form decides:
 *
 * <ul>
 *   <li>{@code /abs/path} and {@code file:/abs/path}: literal, never decoded (Kernel, Hadoop);
 *   <li>{@code file:///abs/path} and {@code file://localhost/abs/path}: percent-decoded (RFC 8089),
 *       unless the text is not a well-formed encoded path (raw space, stray '%'), then literal.
 * </ul>
 */
final class LocalFileLocation {

  private static final String FILE_SCHEME = "file:";

  private LocalFileLocation() {}

  /** Returns the absolute, normalized path named by a location string. */
  static Path toPath(String location) {
    if (location == null || location.isEmpty()) {
      throw new FileAccessException("Cannot sign a file without a location");
    }
    String literal;
    if (location.regionMatches(true, 0, FILE_SCHEME, 0, FILE_SCHEME.length())) {
      literal = fileUriPath(location.substring(FILE_SCHEME.length()), location);
    } else if (location.startsWith("/")) {
      literal = location;
    } else {
      throw new FileAccessException(
          "Cannot sign '" + lastSegment(location) + "': not an absolute local file location");
    }
    try {
      Path path = Path.of(literal);
      if (!path.isAbsolute()) {
        throw new FileAccessException(
            "Cannot sign '" + lastSegment(location) + "': not an absolute local file location");
      }
      return path.normalize();
    } catch (InvalidPathException e) {
      throw new FileAccessException(
          "Cannot sign '" + lastSegment(location) + "': not a valid local file name");
    }
  }

  private static String fileUriPath(String afterScheme, String location) {
    if (!afterScheme.startsWith("//")) {
      return afterScheme;
    }
    int pathStart = afterScheme.indexOf('/', 2);
    String authority =
        pathStart < 0 ? afterScheme.substring(2) : afterScheme.substring(2, pathStart);
    if (pathStart < 0
        || !(authority.isEmpty() || authority.toLowerCase(Locale.ROOT).equals("localhost"))) {
      throw new FileAccessException(
          "Cannot sign '" + lastSegment(location) + "': files on another host cannot be shared");
    }
    String path = afterScheme.substring(pathStart);
    if (!PercentEncoding.isWellFormedEncodedPath(path)) {
      return path;
    }
    String decoded = PercentEncoding.decode(path);
    return decoded == null ? path : decoded;
  }

  /** The last segment of a location, the only part of it an error message may show. */
  static String lastSegment(String location) {
    String trimmed = location;
    while (trimmed.endsWith("/") && trimmed.length() > 1) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
