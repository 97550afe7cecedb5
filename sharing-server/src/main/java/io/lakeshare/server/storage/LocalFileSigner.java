package io.lakeshare.server.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Signs local data files of one table with URLs that point back at this server's file endpoint
 * ({@link LocalFileHandler}), since a local disk has no object store to presign for us.
 *
 * <p>URL shape: {@code {baseUrl}/files/{tableKey}/{fileName}?p={path}&sp=r&se={expiry}&sig={mac}}.
 * {@code tableKey} is an opaque HMAC-derived name of the table root, {@code p} the file's path
 * relative to that root in base64url, {@code se} the expiry in epoch seconds and {@code sig} an
 * HMAC-SHA256 over the three; so a URL reveals nothing of the server's file system beyond the
 * table's own layout. The signature sits in the query string, with {@code sp=r} (read-only),
 * because the official Python client's Delta-format reader fetches a URL over HTTP only when its
 * query names a pre-signing parameter it knows ({@code sp} among them) and otherwise looks for the
 * path on its own disk. The file name in the path is percent-encoded and only there so readers see
 * a {@code .parquet} name (the handler checks that it matches the signed file; {@code %}, {@code \}
 * and control characters in it show as {@code _}). Signing does no I/O and is safe to call from
 * many threads. URLs of the earlier shape ({@code /files/{token}/{fileName}}, the token carrying
 * the absolute path) are still served, for one release.
 *
 * <p>Accepted locations are listed in {@link #sign(String)}.
 */
public final class LocalFileSigner implements FileSigner {

  private final FileToken tokens;
  private final String tableKey;
  private final Path tableRoot;
  private final Path tableRootReal;
  private final String urlPrefix;
  private final long validitySeconds;
  private final Clock clock;

  /**
   * Creates a signer for the files of one table.
   *
   * @param hmacKey secret shared with the {@link LocalFileHandler} that serves the URLs; at least
   *     16 bytes, 32 recommended
   * @param tableRoot root directory of the table; files outside it are refused
   * @param baseUrl public URL of the sharing endpoint, e.g. {@code
   *     http://127.0.0.1:8080/delta-sharing}
   * @param validity how long a URL stays valid; at least one second
   * @param clock source of the current time
   */
  public LocalFileSigner(
      byte[] hmacKey, Path tableRoot, String baseUrl, Duration validity, Clock clock) {
    this.tokens = new FileToken(hmacKey);
    this.tableRoot = Objects.requireNonNull(tableRoot, "tableRoot").toAbsolutePath().normalize();
    this.tableRootReal = realPathOrNull(this.tableRoot);
    this.tableKey = tokens.tableKey(this.tableRoot.toString());
    Objects.requireNonNull(baseUrl, "baseUrl");
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.urlPrefix = base + "/files/";
    this.validitySeconds = Objects.requireNonNull(validity, "validity").toSeconds();
    if (validitySeconds < 1) {
      throw new IllegalArgumentException("The validity of signed URLs must be at least 1 second");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Signs a data file of this table.
   *
   * <p>Accepted forms: a plain absolute path and {@code file:/abs/path} (what Kernel's {@code
   * FileStatus.getPath()} returns), both taken literally, so names holding {@code %}, spaces or
   * Hive escapes such as {@code %3A} are read as written; and {@code file:///abs/path} or {@code
   * file://localhost/abs/path} (what {@code Path.toUri()} returns), which are percent-decoded.
   *
   * @throws FileAccessException if the location is not a local absolute file or lies outside the
   *     table root after normalization
   */
  @Override
  public SignedUrl sign(String fileUri) {
    return sign(LocalFileLocation.toPath(fileUri));
  }

  /**
   * Signs a data file of this table given as a path.
   *
   * @throws FileAccessException if the path is relative or lies outside the table root after
   *     normalization
   */
  public SignedUrl sign(Path file) {
    Objects.requireNonNull(file, "file");
    Path fileName = file.getFileName();
    String shownName = fileName == null ? "" : fileName.toString();
    if (!file.isAbsolute()) {
      throw new FileAccessException(
          "Cannot sign '" + shownName + "': not an absolute local file location");
    }
    Path normalized = file.normalize();
    if (!isInsideRoot(normalized)) {
      // A Delta log may hold absolute paths anywhere; sharing one would leak another table.
      throw new FileAccessException(
          "Refusing to sign '" + lastName(normalized) + "': it lies outside the shared table");
    }
    long expiresAt = Math.floorDiv(clock.millis(), 1000L) + validitySeconds;
    String relative = relativePath(normalized);
    String encoded = FileToken.encodePath(relative);
    String name = PercentEncoding.encodeSegment(urlFileName(normalized.getFileName().toString()));
    String url =
        urlPrefix
            + tableKey
            + '/'
            + name
            + "?p="
            + encoded
            + "&sp=r&se="
            + expiresAt
            + "&sig="
            + tokens.signatureV2(tableKey, encoded, expiresAt);
    return new SignedUrl(url, expiresAt * 1000L);
  }

  /** The path below the root, '/'-separated, for either spelling of the root. */
  private String relativePath(Path normalized) {
    Path root =
        normalized.startsWith(tableRoot) || tableRootReal == null ? tableRoot : tableRootReal;
    StringBuilder out = new StringBuilder();
    for (Path segment : root.relativize(normalized)) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(segment);
    }
    return out.toString();
  }

  /**
   * The file name as the URL shows it before percent-encoding. Jetty's default URI compliance
   * rejects {@code %25}, {@code %5C} and encoded control characters as ambiguous or suspicious, so
   * those characters become {@code _}; the token still names the exact file.
   */
  static String urlFileName(String fileName) {
    StringBuilder out = null;
    for (int i = 0; i < fileName.length(); i++) {
      char c = fileName.charAt(i);
      if (c == '%' || c == '\\' || c < 0x20 || c == 0x7f) {
        if (out == null) {
          out = new StringBuilder(fileName);
        }
        out.setCharAt(i, '_');
      }
    }
    return out == null ? fileName : out.toString();
  }

  private boolean isInsideRoot(Path normalized) {
    return (normalized.startsWith(tableRoot) && !normalized.equals(tableRoot))
        || (tableRootReal != null
            && normalized.startsWith(tableRootReal)
            && !normalized.equals(tableRootReal));
  }

  private static String lastName(Path path) {
    Path name = path.getFileName();
    return name == null ? "" : name.toString();
  }

  // Kernel may report files under the root's real path (e.g. /private/tmp for /tmp), so accept
  // both spellings; this is the signer's only I/O and happens once.
  private static Path realPathOrNull(Path root) {
    try {
      Path real = root.toRealPath();
      return real.equals(root) ? null : real;
    } catch (IOException e) {
      return null;
    }
  }
}
