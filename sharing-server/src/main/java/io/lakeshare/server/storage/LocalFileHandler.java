package io.lakeshare.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.lakeshare.server.http.RequestBodies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the URLs made by {@link LocalFileSigner}: {@code GET} and {@code HEAD} on {@code
 * {pathPrefix}{tableKey}/{fileName}?p=...&sp=r&se=...&sig=...}, with single byte ranges.
 *
 * <p>A request is answered only if the signature is genuine, it has not expired, the table key
 * names a currently shared table root, the relative path is a plain path below that root, the
 * trailing name is the signed file's name, and the file, with every symlink resolved, is a regular
 * file strictly inside that same root: a link into another shared table is not followed. The file
 * is found and opened by {@link ConfinedFileOpener}, one directory handle at a time without
 * following links, so swapping a directory for a symlink while a request runs cannot redirect the
 * open (a check of the real path followed by an open by name could be). Any failure is a 403 with
 * the protocol's error envelope; the body never names a server path, and a missing file is not
 * distinguished from one outside the root. URLs of the earlier shape, {@code
 * {pathPrefix}{token}/{fileName}} with the absolute path in the token, are still served for one
 * release, confined the same way to the one shared root that contains the signed path (the deepest
 * if roots nest).
 *
 * <p>The file endpoint trusts the contents of a table directory: a hard link inside a table to a
 * file elsewhere cannot be told from a file of the table and is served.
 *
 * <p>Range support: {@code bytes=a-b}, {@code bytes=a-} and {@code bytes=-n} give 206 with {@code
 * Content-Range}; a range past the end gives 416 with {@code Content-Range: bytes *}{@code /size};
 * several ranges, a malformed header, or an {@code If-Range} that does not match give the whole
 * file with 200. Conditional {@code If-None-Match}/{@code If-Modified-Since} are not evaluated.
 *
 * <p>The handler matches the raw (still encoded) request path, so it must be mounted where the full
 * path reaches it, not under a context that strips a prefix.
 */
public final class LocalFileHandler extends Handler.Abstract {

  static final String INVALID_MESSAGE = "The signed URL is invalid";
  static final String EXPIRED_MESSAGE = "The signed URL has expired";
  static final String UNAVAILABLE_MESSAGE = "The signed URL does not lead to a readable file";
  static final String UNSATISFIABLE_MESSAGE = "The requested byte range is not satisfiable";
  static final String METHOD_MESSAGE = "Signed file URLs accept only GET and HEAD";

  private static final Logger LOG = LoggerFactory.getLogger(LocalFileHandler.class);
  private static final String OCTET_STREAM = "application/octet-stream";
  private static final String JSON = "application/json";

  private final FileToken tokens;
  private final String pathPrefix;
  // Qualified because Handler.Collection, inherited here, shadows java.util.Collection.
  private final Supplier<? extends java.util.Collection<Path>> allowedRoots;
  private final Clock clock;
  private volatile RootKeys rootKeys;

  /**
   * Creates the handler.
   *
   * @param hmacKey the key the {@link LocalFileSigner}s use
   * @param pathPrefix raw request path prefix ending in {@code /}, e.g. {@code
   *     /delta-sharing/files/}; other paths are left to the next handler
   * @param allowedRoots the table roots currently shared, asked on every request so that unsharing
   *     a table revokes its URLs at once
   * @param clock source of the current time, for expiry
   */
  public LocalFileHandler(
      byte[] hmacKey,
      String pathPrefix,
      Supplier<? extends java.util.Collection<Path>> allowedRoots,
      Clock clock) {
    this.tokens = new FileToken(hmacKey);
    this.pathPrefix = Objects.requireNonNull(pathPrefix, "pathPrefix");
    if (!pathPrefix.startsWith("/") || !pathPrefix.endsWith("/")) {
      throw new IllegalArgumentException("pathPrefix must start and end with '/'");
    }
    this.allowedRoots = Objects.requireNonNull(allowedRoots, "allowedRoots");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String rawPath = request.getHttpURI().getPath();
    if (rawPath == null || !rawPath.startsWith(pathPrefix)) {
      return false;
    }
    String method = request.getMethod();
    boolean head = HttpMethod.HEAD.is(method);
    RequestBodies.drain(request, response);
    if (!head && !HttpMethod.GET.is(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      sendError(
          response,
          callback,
          HttpStatus.METHOD_NOT_ALLOWED_405,
          "UNSUPPORTED_OPERATION",
          METHOD_MESSAGE,
          false);
      return true;
    }
    String query = request.getHttpURI().getQuery();
    String rest = rawPath.substring(pathPrefix.length());
    Target target =
        query != null && query.contains("sig=") ? resolveV2(rest, query) : resolve(rest);
    if (target.denial() != null) {
      sendError(
          response, callback, HttpStatus.FORBIDDEN_403, "PERMISSION_DENIED", target.denial(), head);
      return true;
    }
    ConfinedFileOpener.Opened opened;
    try {
      opened = ConfinedFileOpener.open(target.root(), target.relative(), !head);
    } catch (IOException | RuntimeException e) {
      LOG.debug("Signed file not readable: {} below a shared root", target.relative(), e);
      sendError(
          response,
          callback,
          HttpStatus.FORBIDDEN_403,
          "PERMISSION_DENIED",
          UNAVAILABLE_MESSAGE,
          head);
      return true;
    }
    FileChannel channel = opened.channel();
    try {
      long size = head ? opened.attributes().size() : channel.size();
      respond(request, response, callback, opened.attributes(), channel, size);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      LOG.debug("Cannot serve {} below a shared root", target.relative(), e);
      if (response.isCommitted()) {
        callback.failed(e);
      } else {
        response.reset();
        sendError(
            response,
            callback,
            HttpStatus.FORBIDDEN_403,
            "PERMISSION_DENIED",
            UNAVAILABLE_MESSAGE,
            head);
      }
    }
    return true;
  }

  private void respond(
      Request request,
      Response response,
      Callback callback,
      BasicFileAttributes attributes,
      FileChannel channel,
      long size) {
    long modified = attributes.lastModifiedTime().toMillis();
    String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified) + "\"";
    HttpFields requestHeaders = request.getHeaders();
    String rangeHeader = requestHeaders.get(HttpHeader.RANGE);
    String ifRange = requestHeaders.get(HttpHeader.IF_RANGE);
    if (ifRange != null && !ifRangeMatches(ifRange, etag, modified)) {
      rangeHeader = null;
    }
    ByteRange range = ByteRange.select(rangeHeader, size);
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
    headers.put(HttpHeader.ETAG, etag);
    headers.putDate(HttpHeader.LAST_MODIFIED, modified);
    if (range.isUnsatisfiable()) {
      closeQuietly(channel);
      headers.put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
      sendError(
          response,
          callback,
          HttpStatus.RANGE_NOT_SATISFIABLE_416,
          "INVALID_PARAMETER_VALUE",
          UNSATISFIABLE_MESSAGE,
          channel == null);
      return;
    }
    headers.put(HttpHeader.CONTENT_TYPE, OCTET_STREAM);
    headers.put(HttpHeader.CONTENT_LENGTH, range.length());
    if (range.partial()) {
      response.setStatus(HttpStatus.PARTIAL_CONTENT_206);
      headers.put(
          HttpHeader.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + size);
    } else {
      response.setStatus(HttpStatus.OK_200);
    }
    if (channel == null) {
      callback.succeeded(); // HEAD: headers only
      return;
    }
    io.lakeshare.server.http.RequestRecord record =
        io.lakeshare.server.http.RequestRecord.of(request);
    if (record != null) {
      record.bytesSent(range.length());
    }
    new FileBodyWriter(
            channel, range, response, request.getComponents().getByteBufferPool(), callback)
        .iterate();
  }

  /** Version-2 URLs: {@code {tableKey}/{fileName}?p=...&sp=r&se=...&sig=...}. */
  private Target resolveV2(String keyAndName, String query) {
    int slash = keyAndName.indexOf('/');
    if (slash <= 0 || slash == keyAndName.length() - 1 || keyAndName.indexOf('/', slash + 1) >= 0) {
      return Target.denied(INVALID_MESSAGE);
    }
    String tableKey = keyAndName.substring(0, slash);
    java.util.Map<String, String> params = queryParams(query);
    FileToken.Check check =
        tokens.verifyV2(
            tableKey, params.get("p"), params.get("se"), params.get("sig"), clock.millis());
    if (check.status() == FileToken.Status.EXPIRED) {
      return Target.denied(EXPIRED_MESSAGE);
    }
    if (check.status() != FileToken.Status.VALID) {
      return Target.denied(INVALID_MESSAGE);
    }
    Path root = rootsByKey().get(tableKey);
    if (root == null) {
      // signed for a table that is no longer shared (or by another server's key)
      return Target.denied(UNAVAILABLE_MESSAGE);
    }
    String relative = check.path();
    Path signed;
    Path rel;
    try {
      rel = Path.of(relative);
      if (relative.isEmpty() || rel.isAbsolute() || !rel.equals(rel.normalize())) {
        return Target.denied(INVALID_MESSAGE);
      }
      signed = root.resolve(rel).normalize();
    } catch (InvalidPathException e) {
      return Target.denied(INVALID_MESSAGE);
    }
    if (!signed.startsWith(root) || signed.equals(root) || signed.getFileName() == null) {
      return Target.denied(INVALID_MESSAGE);
    }
    String shownName = PercentEncoding.decode(keyAndName.substring(slash + 1));
    if (!LocalFileSigner.urlFileName(signed.getFileName().toString()).equals(shownName)) {
      return Target.denied(INVALID_MESSAGE);
    }
    return new Target(root, rel, null);
  }

  /** Query parameters by name, first value wins, values percent-decoded. */
  private static java.util.Map<String, String> queryParams(String query) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (String part : query.split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        String value = PercentEncoding.decode(part.substring(eq + 1));
        out.putIfAbsent(part.substring(0, eq), value == null ? part.substring(eq + 1) : value);
      }
    }
    return out;
  }

  /** The shared roots by table key, rebuilt when the shared roots change. */
  private java.util.Map<String, Path> rootsByKey() {
    List<Path> roots = List.copyOf(allowedRoots.get());
    RootKeys cached = rootKeys;
    if (cached == null || !cached.roots().equals(roots)) {
      java.util.Map<String, Path> byKey = new java.util.HashMap<>();
      for (Path root : roots) {
        Path normalized = root.toAbsolutePath().normalize();
        byKey.put(tokens.tableKey(normalized.toString()), normalized);
      }
      cached = new RootKeys(roots, byKey);
      rootKeys = cached;
    }
    return cached.byKey();
  }

  private record RootKeys(List<Path> roots, java.util.Map<String, Path> byKey) {}

  private Target resolve(String tokenAndName) {
    int slash = tokenAndName.indexOf('/');
    if (slash <= 0
        || slash == tokenAndName.length() - 1
        || tokenAndName.indexOf('/', slash + 1) >= 0) {
      return Target.denied(INVALID_MESSAGE);
    }
    FileToken.Check check = tokens.verify(tokenAndName.substring(0, slash), clock.millis());
    if (check.status() == FileToken.Status.EXPIRED) {
      return Target.denied(EXPIRED_MESSAGE);
    }
    if (check.status() != FileToken.Status.VALID) {
      return Target.denied(INVALID_MESSAGE);
    }
    Path signed;
    try {
      signed = Path.of(check.path());
    } catch (InvalidPathException e) {
      return Target.denied(INVALID_MESSAGE);
    }
    // The signer only signs absolute normalized paths; anything else was not made by it.
    if (!signed.isAbsolute()
        || !signed.equals(signed.normalize())
        || signed.getFileName() == null) {
      return Target.denied(INVALID_MESSAGE);
    }
    String shownName = PercentEncoding.decode(tokenAndName.substring(slash + 1));
    if (!LocalFileSigner.urlFileName(signed.getFileName().toString()).equals(shownName)) {
      return Target.denied(INVALID_MESSAGE);
    }
    return inContainingRoot(signed);
  }

  /**
   * A version-1 path is served only from the one shared root that contains it as signed (the
   * deepest, when roots nest), under either spelling of that root, and is then confined to it like
   * a version-2 path: a link into another shared table is not followed.
   */
  private Target inContainingRoot(Path signed) {
    Path bestRoot = null;
    Path bestSpelling = null;
    for (Path configured : allowedRoots.get()) {
      Path root = configured.toAbsolutePath().normalize();
      for (Path spelling : spellings(root)) {
        if (signed.startsWith(spelling)
            && !signed.equals(spelling)
            && (bestSpelling == null || spelling.getNameCount() > bestSpelling.getNameCount())) {
          bestRoot = root;
          bestSpelling = spelling;
        }
      }
    }
    if (bestRoot == null) {
      return Target.denied(UNAVAILABLE_MESSAGE);
    }
    return new Target(bestRoot, bestSpelling.relativize(signed), null);
  }

  /** A root as configured and, if it differs, its real path (signers accept both). */
  private static List<Path> spellings(Path root) {
    try {
      Path real = root.toRealPath();
      return real.equals(root) ? List.of(root) : List.of(root, real);
    } catch (IOException | SecurityException e) {
      return List.of(root); // a root that does not exist (yet) serves nothing anyway
    }
  }

  /** RFC 9110 §13.1.5: a strong entity tag must match exactly, a date must equal Last-Modified. */
  private static boolean ifRangeMatches(String ifRange, String etag, long modifiedMillis) {
    String value = ifRange.trim();
    if (value.startsWith("\"") || value.startsWith("W/")) {
      return value.equals(etag);
    }
    try {
      ZonedDateTime date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      return date.toEpochSecond() == Math.floorDiv(modifiedMillis, 1000L);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static void sendError(
      Response response,
      Callback callback,
      int status,
      String errorCode,
      String message,
      boolean headersOnly) {
    response.setStatus(status);
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, JSON);
    // Messages are fixed constants without characters that need JSON escaping.
    byte[] body =
        ("{\"errorCode\":\"" + errorCode + "\",\"message\":\"" + message + "\"}").getBytes(UTF_8);
    headers.put(HttpHeader.CONTENT_LENGTH, body.length);
    if (headersOnly) {
      callback.succeeded();
    } else {
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("Closing a file channel failed", e);
      }
    }
  }

  /** The root and the path below it that a genuine URL names, or why the URL is refused. */
  private record Target(Path root, Path relative, String denial) {
    static Target denied(String message) {
      return new Target(null, null, message);
    }
  }
}
