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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.UriCompliance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing but a genuine, unexpired URL for a regular file inside the root of the shared table it
 * was signed for is served.
 */
class LocalFileHandlerAccessTest {

  private static final String SECRET = "top secret bytes outside every table";
  private static final String INVALID = LocalFileHandler.INVALID_MESSAGE;
  private static final String UNAVAILABLE = LocalFileHandler.UNAVAILABLE_MESSAGE;

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

  private LocalFileSigner signerFor(Path root) {
    return new LocalFileSigner(KEY, root, server.baseUrl(), VALIDITY, clock);
  }

  private HttpResponse<byte[]> get(String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), UTF_8);
  }

  private LocalUrl urlOfA() {
    return LocalUrl.parse(signerA.sign(tableA.resolve("a.parquet")).url());
  }

  /**
   * A URL with a genuine MAC for any relative path, as only a holder of the key could make it: what
   * the handler must still refuse when the path is not a plain path inside the root.
   */
  private String signedByTheKey(String baseUrl, Path root, String relative, String name) {
    FileToken tokens = new FileToken(KEY);
    String tableKey = tokens.tableKey(root.toString());
    String p = FileToken.encodePath(relative);
    long expiry = clock.millis() / 1000 + 600;
    return baseUrl
        + "/files/"
        + tableKey
        + "/"
        + name
        + "?p="
        + p
        + "&sp=r&se="
        + expiry
        + "&sig="
        + tokens.signatureV2(tableKey, p, expiry);
  }

  private static char flip(char c) {
    return c == 'A' ? 'B' : 'A';
  }

  @Test
  void genuineUrlIsServed() throws Exception {
    HttpResponse<byte[]> response = get(urlOfA().url());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response)).isEqualTo("table A data");
  }

  @Test
  void tamperedSignatureIsRefused() throws Exception {
    LocalUrl url = urlOfA();
    String sig = url.param("sig");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // Differs only in the two bits of the last character that base64 decoding drops.
    String sameBytes = sig.substring(0, 42) + alphabet.charAt(alphabet.indexOf(sig.charAt(42)) ^ 1);

    assertForbidden(get(url.with("sig", flip(sig.charAt(0)) + sig.substring(1)).url()), INVALID);
    assertForbidden(get(url.with("sig", sameBytes).url()), INVALID);
    assertForbidden(get(url.with("sig", sig.substring(0, 42)).url()), INVALID);
    assertForbidden(get(url.with("sig", "").url()), INVALID);
  }

  @Test
  void signatureOfAnotherKeyIsRefused() throws Exception {
    byte[] otherKey = "another key of thirty-two bytes!".getBytes(UTF_8);
    LocalFileSigner stranger =
        new LocalFileSigner(otherKey, tableA, server.baseUrl(), VALIDITY, clock);

    assertForbidden(get(stranger.sign(tableA.resolve("a.parquet")).url()), INVALID);
  }

  @Test
  void tamperedTableKeyIsRefused() throws Exception {
    server.allowedRoots.add(tableB);
    LocalUrl url = urlOfA();
    String key = url.tableKey();
    String keyOfB =
        LocalUrl.parse(signerFor(tableB).sign(tableB.resolve("b.parquet")).url()).tableKey();

    assertForbidden(get(url.withTableKey(flip(key.charAt(0)) + key.substring(1)).url()), INVALID);
    assertForbidden(get(url.withTableKey(keyOfB).url()), INVALID);
    assertForbidden(get(url.withTableKey(key + "A").url()), INVALID);
  }

  @Test
  void tamperedRelativePathIsRefusedEvenInsideTheTable() throws Exception {
    LocalUrl url = urlOfA();
    String otherFile = FileToken.encodePath("a2.parquet");

    assertForbidden(get(url.with("p", otherFile).withName("a2.parquet").url()), INVALID);
    assertForbidden(get(url.with("p", otherFile).url()), INVALID);
  }

  @Test
  void tamperedOrExtendedExpiryIsRefused() throws Exception {
    LocalUrl url = urlOfA();

    assertForbidden(get(url.with("se", "" + (url.expiry() + 86_400)).url()), INVALID);
    assertForbidden(get(url.with("se", "" + (url.expiry() - 1)).url()), INVALID);
    assertForbidden(get(url.with("se", "" + Long.MAX_VALUE).url()), INVALID);
  }

  @Test
  void expiryMustBeSpelledExactlyAsSigned() throws Exception {
    LocalUrl url = urlOfA();
    String se = url.param("se");

    for (String spelling :
        List.of("+" + se, "%2B" + se, "0" + se, "%20" + se, se + "%20", se + ".0")) {
      assertForbidden(get(url.with("se", spelling).url()), INVALID);
    }
  }

  @Test
  void renamedFileNameSegmentIsRefused() throws Exception {
    LocalUrl url = urlOfA();

    assertForbidden(get(url.withName("a2.parquet").url()), INVALID);
    assertForbidden(get(url.withName("a.parquet.json").url()), INVALID);
    // Another spelling of the same name is the same name.
    assertThat(get(url.withName("a%2Eparquet").url()).statusCode()).isEqualTo(200);
  }

  @Test
  void missingSignedParametersAreRefused() throws Exception {
    LocalUrl url = urlOfA();
    for (String name : List.of("p", "se", "sig")) {
      List<Map.Entry<String, String>> without =
          url.params().stream().filter(e -> !e.getKey().equals(name)).toList();

      assertForbidden(get(url.withParams(without).url()), INVALID);
    }
  }

  @Test
  void parameterOrderDoesNotMatter() throws Exception {
    LocalUrl url = urlOfA();
    List<Map.Entry<String, String>> reversed = new ArrayList<>(url.params());
    Collections.reverse(reversed);
    List<Map.Entry<String, String>> rotated = new ArrayList<>(url.params());
    Collections.rotate(rotated, 1);

    for (LocalUrl reordered : List.of(url.withParams(reversed), url.withParams(rotated))) {
      HttpResponse<byte[]> response = get(reordered.url());

      assertThat(response.statusCode()).as(reordered.query()).isEqualTo(200);
      assertThat(body(response)).isEqualTo("table A data");
    }
  }

  @Test
  void duplicateParametersCannotSmuggleAForgery() throws Exception {
    LocalUrl url = urlOfA();
    LocalUrl ofA2 = LocalUrl.parse(signerA.sign(tableA.resolve("a2.parquet")).url());
    String forgedSig = flip(url.param("sig").charAt(0)) + url.param("sig").substring(1);
    String otherFile = FileToken.encodePath("a2.parquet");
    String later = "" + (url.expiry() + 86_400);

    // The first value counts, so a forged one in front fails and one behind is never read.
    assertForbidden(get(url.prepend("sig", forgedSig).url()), INVALID);
    assertForbidden(get(url.with("p", otherFile).append("sig", forgedSig).url()), INVALID);
    assertForbidden(get(url.prepend("p", otherFile).withName("a2.parquet").url()), INVALID);
    assertForbidden(get(url.prepend("se", later).url()), INVALID);
    assertForbidden(get(url.prepend("sig", ofA2.param("sig")).url()), INVALID);
    // Appended values are ignored: the file served is the one signed, never the smuggled one.
    HttpResponse<byte[]> smuggled =
        get(url.append("p", otherFile).append("se", later).append("sig", forgedSig).url());
    HttpResponse<byte[]> twoGenuine =
        get(url.append("p", ofA2.param("p")).append("sig", ofA2.param("sig")).url());
    assertThat(smuggled.statusCode()).isEqualTo(200);
    assertThat(body(smuggled)).isEqualTo("table A data");
    assertThat(twoGenuine.statusCode()).isEqualTo(200);
    assertThat(body(twoGenuine)).isEqualTo("table A data");
  }

  @Test
  void symlinkIntoAnotherSharedTableIsRefusedThroughThisTablesUrl() throws Exception {
    server.allowedRoots.add(tableB);
    Path fileLink =
        Files.createSymbolicLink(tableA.resolve("b-alias.parquet"), tableB.resolve("b.parquet"));
    Path dirLink = Files.createSymbolicLink(tableA.resolve("p=b"), tableB);

    HttpResponse<byte[]> viaFileLink = get(signerA.sign(fileLink).url());
    HttpResponse<byte[]> viaDirLink = get(signerA.sign(dirLink.resolve("b.parquet")).url());
    HttpResponse<byte[]> ownUrlOfB = get(signerFor(tableB).sign(tableB.resolve("b.parquet")).url());

    assertForbidden(viaFileLink, UNAVAILABLE);
    assertForbidden(viaDirLink, UNAVAILABLE);
    assertThat(ownUrlOfB.statusCode()).isEqualTo(200);
    assertThat(body(ownUrlOfB)).isEqualTo("table B data");
  }

  @Test
  void genuinelySignedPathsThatAreNotPlainPathsInsideTheRootAreRefused() throws Exception {
    Files.createDirectories(tableA.resolve("p=1"));
    Files.writeString(tableA.resolve("p=1/c.parquet"), "table A partition data");
    String base = server.baseUrl();
    List<String> invalid =
        List.of(
            signedByTheKey(base, tableA, "../secret.parquet", "secret.parquet"),
            signedByTheKey(base, tableA, "p=1/../../secret.parquet", "secret.parquet"),
            signedByTheKey(base, tableA, "../tableB/b.parquet", "b.parquet"),
            signedByTheKey(base, tableA, "..", "secret.parquet"),
            signedByTheKey(base, tableA, secret.toString(), "secret.parquet"),
            signedByTheKey(base, tableA, "", "a.parquet"),
            signedByTheKey(base, tableA, ".", "a.parquet"),
            signedByTheKey(base, tableA, "./a.parquet", "a.parquet"),
            signedByTheKey(base, tableA, "p=1/./c.parquet", "c.parquet"),
            signedByTheKey(base, tableA, "p=1/../a.parquet", "a.parquet"),
            signedByTheKey(base, tableA, "a.parquet\u0000", "a.parquet"));
    for (String url : invalid) {
      HttpResponse<byte[]> response = get(url);

      assertForbidden(response, INVALID);
      assertThat(body(response)).doesNotContain(SECRET).doesNotContain("table");
    }
    // Percent escapes in a signed path are literal names, not a way out.
    assertForbidden(
        get(signedByTheKey(base, tableA, "%2e%2e/secret.parquet", "secret.parquet")), UNAVAILABLE);
    // The same paths but plain are served, so the refusals above are about the spelling.
    assertThat(body(get(signedByTheKey(base, tableA, "p=1/c.parquet", "c.parquet"))))
        .isEqualTo("table A partition data");
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
  void aRootThatIsASymlinkServesFilesSignedUnderEitherSpelling() throws Exception {
    Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked-table"), tableA);
    server.allowedRoots.clear();
    server.allowedRoots.add(linkedRoot);
    LocalFileSigner signer = signerFor(linkedRoot);

    HttpResponse<byte[]> viaLink = get(signer.sign(linkedRoot.resolve("a.parquet")).url());
    HttpResponse<byte[]> viaReal = get(signer.sign("file:" + tableA.resolve("a.parquet")).url());

    assertThat(viaLink.statusCode()).isEqualTo(200);
    assertThat(body(viaReal)).isEqualTo("table A data");
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
   * stands in the way: in the path and in the query of the current shape, and in the old shape.
   */
  private List<String> traversalPaths() throws Exception {
    LocalUrl url = urlOfA();
    String key = url.tableKey();
    String q = "?" + url.query();
    String files = FileServerFixture.ENDPOINT + "/files/";
    String encodedSecret = secret.toString().replace("/", "%2F");
    String oldToken =
        new FileToken(KEY).create(tableA.resolve("a.parquet").toString(), url.expiry());
    String oldMac = oldToken.substring(oldToken.lastIndexOf('.') + 1);
    String forgedOldToken =
        FileToken.encodePath(secret.toString()) + "." + url.expiry() + "." + oldMac;
    List<String> paths = new ArrayList<>();
    for (String segment : List.of(key, oldToken)) {
      String tail = segment.equals(key) ? q : "";
      paths.addAll(
          List.of(
              files + segment + "/../../secret.parquet" + tail,
              files + segment + "/a.parquet/../../../secret.parquet" + tail,
              files + segment + "/..%2F..%2Fsecret.parquet" + tail,
              files + segment + "/%2e%2e/%2e%2e/secret.parquet" + tail,
              files + segment + "/%2e%2e%2f%2e%2e%2fsecret.parquet" + tail,
              files + "%2e%2e/%2e%2e/secret.parquet" + tail,
              files + segment + "%2Fa.parquet" + tail,
              files + segment + "/a.parquet%2F..%2F..%2Fsecret.parquet" + tail,
              files + encodedSecret + tail,
              files + segment + "/" + encodedSecret + tail,
              files + "%2F" + encodedSecret + "/secret.parquet" + tail,
              files + segment + "//a.parquet" + tail,
              files + segment + tail,
              files + segment + "/" + tail,
              files + tail));
    }
    paths.add(files + forgedOldToken + "/secret.parquet");
    String name = "/secret.parquet?";
    paths.addAll(
        List.of(
            files + key + name + url.with("p", FileToken.encodePath(secret.toString())).query(),
            files + key + name + url.with("p", FileToken.encodePath("../secret.parquet")).query(),
            files + key + name + url.with("p", "%2e%2e%2fsecret.parquet").query(),
            files + key + name + url.with("p", "..%2Fsecret.parquet").query(),
            files + key + name + url.with("p", "").query(),
            files + key + "/a.parquet?" + url.with("p", "Li4").query()));
    return paths;
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
