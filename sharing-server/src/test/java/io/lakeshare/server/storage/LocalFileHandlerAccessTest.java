package io.lakeshare.server.storage;

import static io.lakeshare.server.storage.LocalFileHandlerTest.KEY;
import static io.lakeshare.server.storage.LocalFileHandlerTest.VALIDITY;
import static io.lakeshare.server.storage.LocalFileHandlerTest.assertForbidden;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.http.UriCompliance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing but a genuine, unexpired URL for a regular file inside a shared root is served. */
class LocalFileHandlerAccessTest {

  private static final String SECRET = "top secret bytes outside every table";

  private final MutableClock clock = new MutableClock(Instant.now());
  private final HttpClient client = HttpClient.newHttpClient();

  @TempDir Path dir;
  private Path tableA;
  private Path tableB;
  private Path secret;
  private FileServerFixture server;
  private LocalFileSigner signerA;

  @BeforeEach
  void setUp() throws Exception {
    tableA = Files.createDirectories(dir.resolve("tableA"));
    tableB = Files.createDirectories(dir.resolve("tableB"));
    Files.writeString(tableA.resolve("a.parquet"), "table A data");
    Files.writeString(tableA.resolve("a2.parquet"), "more table A data");
    Files.writeString(tableB.resolve("b.parquet"), "table B data");
    secret = Files.writeString(dir.resolve("secret.parquet"), SECRET);
    server = startServer(UriCompliance.DEFAULT);
    signerA = new LocalFileSigner(KEY, tableA, server.baseUrl(), VALIDITY, clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
  }

  private FileServerFixture startServer(UriCompliance compliance) throws Exception {
    FileServerFixture fixture = new FileServerFixture(KEY, clock, compliance);
    fixture.allowedRoots.add(tableA);
    return fixture;
  }

  private HttpResponse<byte[]> get(String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), UTF_8);
  }

  /** Splits a signed URL into its token and the text around it. */
  private record Parts(String prefix, String path64, String expiry, String mac, String name) {
    static Parts of(String url) {
      int filesAt = url.indexOf("/files/") + "/files/".length();
      String rest = url.substring(filesAt);
      String token = rest.substring(0, rest.indexOf('/'));
      String[] pieces = token.split("\\.");
      return new Parts(
          url.substring(0, filesAt),
          pieces[0],
          pieces[1],
          pieces[2],
          rest.substring(rest.indexOf('/') + 1));
    }

    String url() {
      return prefix + path64 + "." + expiry + "." + mac + "/" + name;
    }
  }

  @Test
  void genuineUrlIsServed() throws Exception {
    HttpResponse<byte[]> response = get(signerA.sign(tableA.resolve("a.parquet")).url());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response)).isEqualTo("table A data");
  }

  @Test
  void tamperedSignatureIsRefused() throws Exception {
    Parts parts = Parts.of(signerA.sign(tableA.resolve("a.parquet")).url());
    char flipped = parts.mac().charAt(0) == 'A' ? 'B' : 'A';
    Parts forged =
        new Parts(
            parts.prefix(),
            parts.path64(),
            parts.expiry(),
            flipped + parts.mac().substring(1),
            parts.name());

    assertForbidden(get(forged.url()), LocalFileHandler.INVALID_MESSAGE);
  }

  @Test
  void signatureOfAnotherKeyIsRefused() throws Exception {
    byte[] otherKey = "another key of thirty-two bytes!".getBytes(UTF_8);
    LocalFileSigner stranger =
        new LocalFileSigner(otherKey, tableA, server.baseUrl(), VALIDITY, clock);

    assertForbidden(
        get(stranger.sign(tableA.resolve("a.parquet")).url()), LocalFileHandler.INVALID_MESSAGE);
  }

  @Test
  void tamperedPathInTheTokenIsRefusedEvenInsideTheTable() throws Exception {
    Parts parts = Parts.of(signerA.sign(tableA.resolve("a.parquet")).url());
    String otherPath =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(tableA.resolve("a2.parquet").toString().getBytes(UTF_8));
    Parts forged = new Parts(parts.prefix(), otherPath, parts.expiry(), parts.mac(), "a2.parquet");

    assertForbidden(get(forged.url()), LocalFileHandler.INVALID_MESSAGE);
  }

  @Test
  void extendedExpiryIsRefused() throws Exception {
    Parts parts = Parts.of(signerA.sign(tableA.resolve("a.parquet")).url());
    String later = String.valueOf(Long.parseLong(parts.expiry()) + 86_400);
    Parts forged = new Parts(parts.prefix(), parts.path64(), later, parts.mac(), parts.name());

    assertForbidden(get(forged.url()), LocalFileHandler.INVALID_MESSAGE);
  }

  @Test
  void renamedFileNameSegmentIsRefused() throws Exception {
    Parts parts = Parts.of(signerA.sign(tableA.resolve("a.parquet")).url());
    Parts renamed =
        new Parts(parts.prefix(), parts.path64(), parts.expiry(), parts.mac(), "a2.parquet");
    Parts reEncoded =
        new Parts(parts.prefix(), parts.path64(), parts.expiry(), parts.mac(), "a%2Eparquet");

    assertForbidden(get(renamed.url()), LocalFileHandler.INVALID_MESSAGE);
    // Another spelling of the same name is the same name.
    assertThat(get(reEncoded.url()).statusCode()).isEqualTo(200);
  }

  @Test
  void urlOfTableAIsRefusedWhileOnlyTableBIsShared() throws Exception {
    String url = signerA.sign(tableA.resolve("a.parquet")).url();
    server.allowedRoots.clear();
    server.allowedRoots.add(tableB);

    HttpResponse<byte[]> response = get(url);

    assertForbidden(response, LocalFileHandler.UNAVAILABLE_MESSAGE);
    assertThat(body(response)).doesNotContain(dir.toString()).doesNotContain("tableA");
  }

  @Test
  void unsharingEveryTableRevokesIssuedUrls() throws Exception {
    String url = signerA.sign(tableA.resolve("a.parquet")).url();
    assertThat(get(url).statusCode()).isEqualTo(200);

    server.allowedRoots.clear();

    assertForbidden(get(url), LocalFileHandler.UNAVAILABLE_MESSAGE);
  }

  @Test
  void aSignerForTheParentDirectoryCannotReachAFileOutsideTheSharedRoots() throws Exception {
    // A correctly signed token is still checked against the roots shared now.
    LocalFileSigner broad = new LocalFileSigner(KEY, dir, server.baseUrl(), VALIDITY, clock);

    HttpResponse<byte[]> response = get(broad.sign(secret).url());

    assertForbidden(response, LocalFileHandler.UNAVAILABLE_MESSAGE);
  }

  @Test
  void symlinkedFileInsideTheRootPointingOutsideIsRefused() throws Exception {
    Path link = Files.createSymbolicLink(tableA.resolve("link.parquet"), secret);

    HttpResponse<byte[]> response = get(signerA.sign(link).url());

    assertForbidden(response, LocalFileHandler.UNAVAILABLE_MESSAGE);
    assertThat(body(response)).doesNotContain(SECRET);
  }

  @Test
  void symlinkedDirectoryInsideTheRootPointingOutsideIsRefused() throws Exception {
    Path linkedDir = Files.createSymbolicLink(tableA.resolve("p=1"), dir);

    HttpResponse<byte[]> response =
        get(signerA.sign("file:" + linkedDir.resolve("secret.parquet")).url());

    assertForbidden(response, LocalFileHandler.UNAVAILABLE_MESSAGE);
  }

  @Test
  void symlinkStayingInsideTheRootIsServed() throws Exception {
    Path link =
        Files.createSymbolicLink(tableA.resolve("alias.parquet"), tableA.resolve("a.parquet"));

    HttpResponse<byte[]> response = get(signerA.sign(link).url());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response)).isEqualTo("table A data");
  }

  @Test
  void directoriesAndMissingFilesAreRefusedWithoutNamingThem() throws Exception {
    Path partition = Files.createDirectories(tableA.resolve("p=1"));
    Path gone = tableA.resolve("vacuumed.parquet");

    HttpResponse<byte[]> directory = get(signerA.sign(partition).url());
    HttpResponse<byte[]> missing = get(signerA.sign(gone).url());

    assertForbidden(directory, LocalFileHandler.UNAVAILABLE_MESSAGE);
    assertForbidden(missing, LocalFileHandler.UNAVAILABLE_MESSAGE);
    assertThat(body(missing)).doesNotContain("vacuumed").doesNotContain(dir.toString());
  }

  @Test
  void namesWithSpacesPercentSignsAndHivePartitionsAreServed() throws Exception {
    Path hiveDefault = tableA.resolve("p=__HIVE_DEFAULT_PARTITION__");
    Path hiveEscaped = tableA.resolve("ts=2021-01-01 10%3A00%3A00");
    Path spaced = tableA.resolve("date=2021-01-01").resolve("a b%20c");
    Path f1 =
        Files.writeString(Files.createDirectories(hiveDefault).resolve("part-1.parquet"), "1");
    Path f2 =
        Files.writeString(Files.createDirectories(hiveEscaped).resolve("part 2%.parquet"), "2");
    Path f3 = Files.writeString(Files.createDirectories(spaced).resolve("100%25.parquet"), "3");

    // Kernel reports literal Hadoop path strings; Path.toUri() gives encoded file:/// URIs.
    for (Path f : List.of(f1, f2, f3)) {
      HttpResponse<byte[]> kernelStyle = get(signerA.sign("file:" + f).url());
      HttpResponse<byte[]> uriStyle = get(signerA.sign(f.toUri().toString()).url());

      assertThat(kernelStyle.statusCode()).as(f.toString()).isEqualTo(200);
      assertThat(uriStyle.statusCode()).as(f.toString()).isEqualTo(200);
      assertThat(body(kernelStyle)).isEqualTo(Files.readString(f));
      assertThat(body(uriStyle)).isEqualTo(Files.readString(f));
    }
  }

  /**
   * Traversal attempts, sent to a server that lets ambiguous URIs through so that only the handler
   * stands in the way.
   */
  private List<String> traversalPaths() throws Exception {
    Parts parts = Parts.of(signerA.sign(tableA.resolve("a.parquet")).url());
    String token = parts.path64() + "." + parts.expiry() + "." + parts.mac();
    String files = FileServerFixture.ENDPOINT + "/files/";
    String encodedSecret = secret.toString().replace("/", "%2F");
    String forgedToken =
        Base64.getUrlEncoder().withoutPadding().encodeToString(secret.toString().getBytes(UTF_8))
            + "."
            + parts.expiry()
            + "."
            + parts.mac();
    return List.of(
        files + token + "/../../secret.parquet",
        files + token + "/a.parquet/../../../secret.parquet",
        files + token + "/..%2F..%2Fsecret.parquet",
        files + token + "/%2e%2e/%2e%2e/secret.parquet",
        files + token + "/%2e%2e%2f%2e%2e%2fsecret.parquet",
        files + "%2e%2e/%2e%2e/secret.parquet",
        files + token + "%2Fa.parquet",
        files + token + "/a.parquet%2F..%2F..%2Fsecret.parquet",
        files + encodedSecret,
        files + token + "/" + encodedSecret,
        files + "%2F" + encodedSecret + "/secret.parquet",
        files + forgedToken + "/secret.parquet",
        files + token + "//a.parquet",
        files + token,
        files + token + "/",
        files);
  }

  @Test
  void traversalAttemptsThatReachTheHandlerAreRefused() throws Exception {
    try (FileServerFixture lax = startServer(UriCompliance.UNSAFE)) {
      signerA = new LocalFileSigner(KEY, tableA, lax.baseUrl(), VALIDITY, clock);
      for (String path : traversalPaths()) {
        HttpResponse<byte[]> response = get(lax.origin() + path);

        assertThat(response.statusCode()).as(path).isEqualTo(403);
        assertThat(body(response))
            .as(path)
            .isEqualTo(
                "{\"errorCode\":\"PERMISSION_DENIED\",\"message\":\""
                    + LocalFileHandler.INVALID_MESSAGE
                    + "\"}");
      }
    }
  }

  @Test
  void traversalAttemptsNeverReadAFileWithJettyDefaults() throws Exception {
    for (String path : traversalPaths()) {
      HttpResponse<byte[]> response = get(server.origin() + path);

      // Jetty itself rejects ambiguous URIs with 400 before the handler sees them.
      assertThat(response.statusCode()).as(path).isIn(400, 403);
      assertThat(body(response)).as(path).doesNotContain(SECRET).doesNotContain(dir.toString());
    }
  }
}
