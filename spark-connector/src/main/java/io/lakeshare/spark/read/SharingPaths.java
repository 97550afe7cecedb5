package io.lakeshare.spark.read;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.hadoop.fs.Path;

/**
 * Hadoop paths of shared files: {@code lakeshare://<scanKey>/<size>/<base64url(fileId)>.parquet}.
 * No URL ever appears in a path (plans, logs and {@code input_file_name()} show these), and the
 * size travels in the path so the file system can answer {@code getFileStatus} without a lookup.
 */
public final class SharingPaths {
  /** The Hadoop file system scheme served by {@link DeltaSharingFileSystem}. */
  public static final String SCHEME = "lakeshare";

  private static final String SUFFIX = ".parquet";

  private SharingPaths() {}

  /** The path of one file of a scan. */
  public static String pathOf(String scanKey, String fileId, long size) {
    String id =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(fileId.getBytes(StandardCharsets.UTF_8));
    return SCHEME + "://" + scanKey + "/" + size + "/" + id + SUFFIX;
  }

  /** The parts of a path made by {@link #pathOf}. */
  record Parsed(String scanKey, String fileId, long size) {}

  static Parsed parse(Path path) {
    URI uri = path.toUri();
    String p = uri.getPath();
    if (!SCHEME.equals(uri.getScheme()) || uri.getAuthority() == null || p == null) {
      throw new IllegalArgumentException("Not a Delta Sharing file path: " + path);
    }
    String[] parts = p.split("/");
    if (parts.length != 3 || !parts[2].endsWith(SUFFIX)) {
      throw new IllegalArgumentException("Not a Delta Sharing file path: " + path);
    }
    try {
      long size = Long.parseLong(parts[1]);
      String enc = parts[2].substring(0, parts[2].length() - SUFFIX.length());
      String id = new String(Base64.getUrlDecoder().decode(enc), StandardCharsets.UTF_8);
      return new Parsed(uri.getAuthority(), id, size);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Not a Delta Sharing file path: " + path, e);
    }
  }
}
