package io.lakeshare.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.eclipse.jetty.http.UriCompliance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads through a real Jetty server: whole files, ranges, HEAD, methods, expiry. */
class LocalFileHandlerTest {

  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);
  static final Duration VALIDITY = Duration.ofMinutes(15);

  final MutableClock clock = new MutableClock(Instant.now());
  final HttpClient client = HttpClient.newHttpClient();

  @TempDir Path dir;
  Path table;
  FileServerFixture server;
  LocalFileSigner signer;
  byte[] content;
  Path file;

  @BeforeEach
  void startServer() throws Exception {
    table = Files.createDirectories(dir.resolve("table"));
    content = randomBytes(100_000, 1);
    file = Files.write(table.resolve("part-00000.snappy.parquet"), content);
    server = new FileServerFixture(KEY, clock, UriCompliance.DEFAULT);
    server.allowedRoots.add(table);
    signer = new LocalFileSigner(KEY, table, server.baseUrl(), VALIDITY, clock);
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  HttpResponse<byte[]> get(String url, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> send(String method, String url, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  static void assertForbidden(HttpResponse<byte[]> response, String message) {
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(header(response, "Content-Type")).startsWith("application/json");
    assertThat(new String(response.body(), UTF_8))
        .isEqualTo("{\"errorCode\":\"PERMISSION_DENIED\",\"message\":\"" + message + "\"}");
  }

  @Test
  void getReturnsTheWholeFileWithDownloadHeaders() throws Exception {
    HttpResponse<byte[]> response = get(signer.sign(file).url());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(content);
    assertThat(header(response, "Content-Type")).isEqualTo("application/octet-stream");
    assertThat(header(response, "Content-Length")).isEqualTo("100000");
    assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
    assertThat(header(response, "ETag")).startsWith("\"186a0-");
    assertThat(header(response, "Last-Modified")).endsWith("GMT");
    assertThat(header(response, "Content-Range")).isNull();
  }

  @Test
  void kernelStyleLocationOfAFileSignsAndServesIt() throws Exception {
    HttpResponse<byte[]> response = get(signer.sign("file:" + file).url());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(content);
  }

  @Test
  void closedRangeReturnsThoseBytes() throws Exception {
    HttpResponse<byte[]> response = get(signer.sign(file).url(), "Range", "bytes=1000-1999");

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(header(response, "Content-Range")).isEqualTo("bytes 1000-1999/100000");
    assertThat(header(response, "Content-Length")).isEqualTo("1000");
    assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, 1000, 2000));
  }

  @Test
  void rangeOfAUrlSignedInItsQueryGives206LikeADeletionVectorRead() throws Exception {
    // A deletion-vector reader fetches one bitmap at an offset, with the signature in the query.
    String url = signer.sign(file).url();

    HttpResponse<byte[]> response = get(url, "Range", "bytes=43210-43250");

    assertThat(url).contains(".parquet?p=").contains("&sp=r&");
    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(header(response, "Content-Range")).isEqualTo("bytes 43210-43250/100000");
    assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, 43_210, 43_251));
  }

  @Test
  void openEndedRangeReturnsTheTail() throws Exception {
    HttpResponse<byte[]> response = get(signer.sign(file).url(), "Range", "bytes=99990-");

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(header(response, "Content-Range")).isEqualTo("bytes 99990-99999/100000");
    assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, 99_990, 100_000));
  }

  @Test
  void suffixRangeReturnsTheLastBytes() throws Exception {
    // Parquet readers open a file by asking for its footer this way.
    HttpResponse<byte[]> response = get(signer.sign(file).url(), "Range", "bytes=-8");

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(header(response, "Content-Range")).isEqualTo("bytes 99992-99999/100000");
    assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, 99_992, 100_000));
  }

  @Test
  void rangeEndPastTheFileIsClamped() throws Exception {
    HttpResponse<byte[]> response = get(signer.sign(file).url(), "Range", "bytes=99000-500000");

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(header(response, "Content-Range")).isEqualTo("bytes 99000-99999/100000");
    assertThat(response.body()).hasSize(1000);
  }

  @Test
  void rangeStartingAtTheEndIsUnsatisfiable() throws Exception {
    HttpResponse<byte[]> response = get(signer.sign(file).url(), "Range", "bytes=100000-");

    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(header(response, "Content-Range")).isEqualTo("bytes */100000");
    assertThat(header(response, "Content-Type")).startsWith("application/json");
    assertThat(new String(response.body(), UTF_8))
        .contains("\"errorCode\":\"INVALID_PARAMETER_VALUE\"");
  }

  @Test
  void severalRangesGetTheWholeFile() throws Exception {
    HttpResponse<byte[]> response = get(signer.sign(file).url(), "Range", "bytes=0-9,20-29");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(content);
  }

  @Test
  void ifRangeWithTheCurrentEtagKeepsTheRangeAndAStaleOneDropsIt() throws Exception {
    String url = signer.sign(file).url();
    String etag = header(send("HEAD", url), "ETag");

    HttpResponse<byte[]> current = get(url, "Range", "bytes=0-9", "If-Range", etag);
    HttpResponse<byte[]> stale = get(url, "Range", "bytes=0-9", "If-Range", "\"0-0\"");

    assertThat(current.statusCode()).isEqualTo(206);
    assertThat(current.body()).isEqualTo(Arrays.copyOf(content, 10));
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo(content);
  }

  @Test
  void headSendsTheHeadersOfGetWithoutABody() throws Exception {
    String url = signer.sign(file).url();

    HttpResponse<byte[]> whole = send("HEAD", url);
    HttpResponse<byte[]> ranged = send("HEAD", url, "Range", "bytes=10-19");

    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(header(whole, "Content-Length")).isEqualTo("100000");
    assertThat(header(whole, "Accept-Ranges")).isEqualTo("bytes");
    assertThat(whole.body()).isEmpty();
    assertThat(ranged.statusCode()).isEqualTo(206);
    assertThat(header(ranged, "Content-Range")).isEqualTo("bytes 10-19/100000");
    assertThat(header(ranged, "Content-Length")).isEqualTo("10");
    assertThat(ranged.body()).isEmpty();
  }

  @Test
  void emptyFilesAreServed() throws Exception {
    Path empty = Files.write(table.resolve("empty.parquet"), new byte[0]);

    HttpResponse<byte[]> response = get(signer.sign(empty).url());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(header(response, "Content-Length")).isEqualTo("0");
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    String url = signer.sign(file).url();
    for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS"}) {
      HttpResponse<byte[]> response = send(method, url);

      assertThat(response.statusCode()).as(method).isEqualTo(405);
      assertThat(header(response, "Allow")).isEqualTo("GET, HEAD");
      assertThat(new String(response.body(), UTF_8)).contains("UNSUPPORTED_OPERATION");
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
  }

  @Test
  void pathsOutsideThePrefixAreLeftToOtherHandlers() throws Exception {
    HttpResponse<byte[]> response = get(server.origin() + "/delta-sharing/shares");

    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void urlStaysValidUntilItsExpiryAndIsRefusedFromThenOn() throws Exception {
    SignedUrl signed = signer.sign(file);

    clock.advance(Duration.ofMillis(signed.expirationTimestampMillis() - clock.millis() - 1));
    HttpResponse<byte[]> lastMoment = get(signed.url());
    clock.advance(Duration.ofMillis(1));
    HttpResponse<byte[]> expired = get(signed.url());

    assertThat(lastMoment.statusCode()).isEqualTo(200);
    assertForbidden(expired, LocalFileHandler.EXPIRED_MESSAGE);
  }

  @Test
  void expiredHeadIsRefusedWithoutABody() throws Exception {
    String url = signer.sign(file).url();
    clock.advance(VALIDITY.plusSeconds(1));

    HttpResponse<byte[]> response = send("HEAD", url);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void emptyAndMultiMegabyteRangesOfAStreamedFileMatchTheDisk() throws Exception {
    // Larger than one 64 KiB chunk and not a multiple of it, to cover the last partial chunk.
    byte[] big = randomBytes(3 * 1024 * 1024 + 123, 7);
    Path bigFile = Files.write(table.resolve("big.parquet"), big);

    HttpResponse<byte[]> whole = get(signer.sign(bigFile).url());
    HttpResponse<byte[]> middle = get(signer.sign(bigFile).url(), "Range", "bytes=65535-200000");

    assertThat(whole.body()).isEqualTo(big);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(big, 65_535, 200_001));
  }
}
