package io.lakeshare.server.storage;

import static io.lakeshare.server.storage.LocalFileHandlerTest.KEY;
import static io.lakeshare.server.storage.LocalFileHandlerTest.VALIDITY;
import static io.lakeshare.server.storage.LocalFileHandlerTest.assertForbidden;
import static io.lakeshare.server.storage.LocalFileHandlerTest.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.eclipse.jetty.http.UriCompliance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** URLs outlive the process that made them: old-shape URLs for one release, and restarts. */
class LocalFileUrlCompatibilityTest {

  private static final String INVALID = LocalFileHandler.INVALID_MESSAGE;
  private static final String EXPIRED = LocalFileHandler.EXPIRED_MESSAGE;
  private static final String UNAVAILABLE = LocalFileHandler.UNAVAILABLE_MESSAGE;

  private final MutableClock clock = new MutableClock(Instant.now());
  private final HttpClient client = HttpClient.newHttpClient();
  private final FileToken tokens = new FileToken(KEY);

  @TempDir Path dir;
  private Path table;
  private Path file;
  private FileServerFixture server;

  @BeforeEach
  void setUp() throws Exception {
    table = Files.createDirectories(dir.resolve("table"));
    file = Files.writeString(table.resolve("part-0.parquet"), "0123456789 table data");
    Files.writeString(dir.resolve("secret.parquet"), "outside every table");
    server = startServer(KEY);
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
  }

  private FileServerFixture startServer(byte[] key) throws Exception {
    FileServerFixture fixture = new FileServerFixture(key, clock, UriCompliance.DEFAULT);
    fixture.allowedRoots.add(table);
    return fixture;
  }

  private HttpResponse<byte[]> get(String url, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), UTF_8);
  }

  private long expiry() {
    return clock.millis() / 1000 + VALIDITY.toSeconds();
  }

  /** A URL of the earlier shape, {@code /files/{token}/{fileName}}, as the last release made it. */
  private String oldShapeUrl(Path absolute, long expiry, String name) {
    return server.baseUrl() + "/files/" + tokens.create(absolute.toString(), expiry) + "/" + name;
  }

  @Test
  void oldShapeUrlsAreStillServed() throws Exception {
    String url = oldShapeUrl(file, expiry(), "part-0.parquet");

    HttpResponse<byte[]> whole = get(url);
    HttpResponse<byte[]> range = get(url, "Range", "bytes=2-5");

    assertThat(url).doesNotContain("?");
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(body(whole)).isEqualTo("0123456789 table data");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(header(range, "Content-Range")).isEqualTo("bytes 2-5/21");
    assertThat(body(range)).isEqualTo("2345");
  }

  @Test
  void oldShapeUrlsAreStillRefusedWhenTampered() throws Exception {
    long expiry = expiry();
    String token = tokens.create(file.toString(), expiry);
    String[] parts = token.split("\\.");
    String files = server.baseUrl() + "/files/";
    String flippedMac = (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
    String secretPath = FileToken.encodePath(dir.resolve("secret.parquet").toString());

    assertForbidden(
        get(files + parts[0] + "." + expiry + "." + flippedMac + "/part-0.parquet"), INVALID);
    assertForbidden(
        get(files + parts[0] + "." + (expiry + 86_400) + "." + parts[2] + "/part-0.parquet"),
        INVALID);
    assertForbidden(
        get(files + secretPath + "." + expiry + "." + parts[2] + "/secret.parquet"), INVALID);
    assertForbidden(get(files + token + "/other.parquet"), INVALID);
    // Genuine old tokens are still held to the shared roots.
    assertForbidden(
        get(oldShapeUrl(dir.resolve("secret.parquet"), expiry, "secret.parquet")), UNAVAILABLE);
  }

  @Test
  void oldShapeUrlsAreConfinedToTheSharedRootThatContainsTheSignedPath() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("o.parquet"), "other table data");
    Path nested = Files.createDirectories(table.resolve("nested"));
    Files.writeString(nested.resolve("n.parquet"), "nested table data");
    Files.createSymbolicLink(table.resolve("o-alias.parquet"), other.resolve("o.parquet"));
    Files.createSymbolicLink(table.resolve("p=o"), other);
    Files.createSymbolicLink(nested.resolve("up.parquet"), file);
    server.allowedRoots.add(other);
    server.allowedRoots.add(nested);
    long expiry = expiry();

    // Links from one shared table into another: the earlier rule (any shared root) served them.
    assertForbidden(
        get(oldShapeUrl(table.resolve("o-alias.parquet"), expiry, "o-alias.parquet")), UNAVAILABLE);
    assertForbidden(
        get(oldShapeUrl(table.resolve("p=o/o.parquet"), expiry, "o.parquet")), UNAVAILABLE);
    // Nested roots: the deepest root containing the path is the one it is confined to.
    assertForbidden(
        get(oldShapeUrl(nested.resolve("up.parquet"), expiry, "up.parquet")), UNAVAILABLE);
    assertThat(body(get(oldShapeUrl(nested.resolve("n.parquet"), expiry, "n.parquet"))))
        .isEqualTo("nested table data");
    assertThat(body(get(oldShapeUrl(other.resolve("o.parquet"), expiry, "o.parquet"))))
        .isEqualTo("other table data");
    assertThat(body(get(oldShapeUrl(file, expiry, "part-0.parquet"))))
        .isEqualTo("0123456789 table data");
  }

  @Test
  void oldShapeUrlsExpire() throws Exception {
    String url = oldShapeUrl(file, expiry(), "part-0.parquet");

    clock.advance(VALIDITY);

    assertForbidden(get(url), EXPIRED);
  }

  @Test
  void urlsSurviveARestartWithTheSameKey() throws Exception {
    String before =
        new LocalFileSigner(KEY, table, server.baseUrl(), VALIDITY, clock).sign(file).url();
    server.close();

    server = startServer(KEY);
    LocalUrl rebased = LocalUrl.parse(before).withPrefix(server.baseUrl() + "/files/");
    LocalFileSigner newSigner = new LocalFileSigner(KEY, table, server.baseUrl(), VALIDITY, clock);
    HttpResponse<byte[]> response = get(rebased.url());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response)).isEqualTo("0123456789 table data");
    assertThat(LocalUrl.parse(newSigner.sign(file).url()).tableKey()).isEqualTo(rebased.tableKey());
  }

  @Test
  void urlsAreRefusedAfterARestartWithAnotherKey() throws Exception {
    String before =
        new LocalFileSigner(KEY, table, server.baseUrl(), VALIDITY, clock).sign(file).url();
    String oldShape = oldShapeUrl(file, expiry(), "part-0.parquet");
    server.close();

    server = startServer("a different key of 32 bytes!!!!!".getBytes(UTF_8));
    String files = server.baseUrl() + "/files/";

    assertForbidden(get(LocalUrl.parse(before).withPrefix(files).url()), INVALID);
    assertForbidden(get(files + oldShape.substring(oldShape.indexOf("/files/") + 7)), INVALID);
  }

  @Test
  void urlOfATableNoLongerSharedIsRefusedAndServedAgainOnceReshared() throws Exception {
    String url =
        new LocalFileSigner(KEY, table, server.baseUrl(), VALIDITY, clock).sign(file).url();
    Path other = Files.createDirectories(dir.resolve("other"));

    server.allowedRoots.clear();
    server.allowedRoots.add(other);
    HttpResponse<byte[]> unshared = get(url);
    server.allowedRoots.add(table);
    HttpResponse<byte[]> reshared = get(url);

    assertForbidden(unshared, UNAVAILABLE);
    assertThat(reshared.statusCode()).isEqualTo(200);
  }
}
