package io.lakeshare.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalFileSignerTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);
  private static final String BASE_URL = "http://127.0.0.1:8080/delta-sharing";
  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00.750Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final FileToken tokens = new FileToken(KEY);

  @TempDir Path dir;

  private LocalFileSigner signer(Path root) {
    return new LocalFileSigner(KEY, root, BASE_URL, Duration.ofHours(1), clock);
  }

  /** The path relative to the table root that the URL was signed for, after checking its MAC. */
  private String signedPath(SignedUrl signed) {
    LocalUrl url = LocalUrl.parse(signed.url());
    FileToken.Check check =
        tokens.verifyV2(
            url.tableKey(), url.param("p"), url.param("se"), url.param("sig"), clock.millis());
    assertThat(check.status()).isEqualTo(FileToken.Status.VALID);
    return check.path();
  }

  @Test
  void urlIsFilesEndpointThenTableKeyThenFileNameThenSignedQuery() {
    Path root = Path.of("/data/t");

    SignedUrl signed = signer(root).sign("file:/data/t/part-00000-abc.snappy.parquet");

    assertThat(signed.url())
        .matches(
            "http://127\\.0\\.0\\.1:8080/delta-sharing/files/[A-Za-z0-9_-]{22}"
                + "/part-00000-abc\\.snappy\\.parquet"
                + "\\?p=[A-Za-z0-9_-]+&sp=r&se=\\d+&sig=[A-Za-z0-9_-]{43}");
    assertThat(signedPath(signed)).isEqualTo("part-00000-abc.snappy.parquet");
  }

  @Test
  void queryStringCarriesReadOnlyPermissionSpR() {
    // The Python client's Delta reader fetches over HTTP only when the query names `sp`.
    LocalUrl url = LocalUrl.parse(signer(Path.of("/data/t")).sign("/data/t/x.parquet").url());

    assertThat(url.params()).extracting(Map.Entry::getKey).containsExactly("p", "sp", "se", "sig");
    assertThat(url.param("sp")).isEqualTo("r");
  }

  @Test
  void tableKeyIsTheKeyedNameOfTheRootAndTheSameForEveryFileOfTheTable() {
    LocalFileSigner signer = signer(Path.of("/data/t"));

    LocalUrl first = LocalUrl.parse(signer.sign("/data/t/x.parquet").url());
    LocalUrl second = LocalUrl.parse(signer.sign("/data/t/p=1/y.parquet").url());
    LocalUrl other = LocalUrl.parse(signer(Path.of("/data/u")).sign("/data/u/x.parquet").url());
    byte[] otherKey = "fedcba9876543210fedcba9876543210".getBytes(UTF_8);
    LocalUrl otherServer =
        LocalUrl.parse(
            new LocalFileSigner(otherKey, Path.of("/data/t"), BASE_URL, Duration.ofHours(1), clock)
                .sign("/data/t/x.parquet")
                .url());

    assertThat(first.tableKey()).isEqualTo(tokens.tableKey("/data/t"));
    assertThat(second.tableKey()).isEqualTo(first.tableKey());
    assertThat(other.tableKey()).isNotEqualTo(first.tableKey());
    assertThat(otherServer.tableKey()).isNotEqualTo(first.tableKey());
  }

  @Test
  void relativePathInPDecodesToTheFilesPathRelativeToTheRoot() {
    Path root = Path.of("/data/t");
    Path file = root.resolve("date=2021-01-01/hour=03/part-7 é.parquet");

    LocalUrl url = LocalUrl.parse(signer(root).sign(file).url());

    // Plain base64url without padding, decoded here without the server's code.
    assertThat(url.param("p")).matches("[A-Za-z0-9_-]+");
    assertThat(url.relativePath())
        .isEqualTo(root.relativize(file).toString())
        .isEqualTo("date=2021-01-01/hour=03/part-7 é.parquet");
  }

  @Test
  void urlNeverContainsTheTableRootsAbsolutePathInAnyEncoding() throws Exception {
    Path root = Files.createDirectories(dir.resolve("srv-layout-7f3/warehouse/customers-root"));
    Path file = root.resolve("p=1/part-0.parquet");
    String absoluteRoot = root.toString();

    String url = signer(root).sign(file).url();

    List<String> forms = new ArrayList<>();
    for (String secret : List.of(absoluteRoot, file.toString(), dir.toString())) {
      forms.add(secret);
      forms.add(PercentEncoding.encodeKeepingSlashes(secret));
      forms.add(PercentEncoding.encodeSegment(secret));
      forms.add(URLEncoder.encode(secret, UTF_8));
      // base64 of any text starting with the root starts with this (aligned to 3 bytes).
      byte[] bytes = secret.getBytes(UTF_8);
      byte[] aligned = Arrays.copyOf(bytes, bytes.length - bytes.length % 3);
      forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(aligned));
      forms.add(Base64.getEncoder().withoutPadding().encodeToString(aligned));
    }
    for (String form : forms) {
      assertThat(url).as(form).doesNotContain(form);
    }
    // Nor does any piece of the URL decode to the server's layout.
    for (String piece : url.split("[/?&=]")) {
      String decoded = PercentEncoding.decode(piece);
      assertThat(decoded).as(piece).doesNotContain("srv-layout-7f3").doesNotContain("customers");
      try {
        String base64 = new String(Base64.getUrlDecoder().decode(piece), UTF_8);
        assertThat(base64).as(piece).doesNotContain("srv-layout").doesNotContain("customers");
      } catch (IllegalArgumentException notBase64) {
        // not base64url, nothing hidden in it
      }
    }
  }

  @Test
  void trailingSlashOfTheBaseUrlIsNotDoubled() {
    LocalFileSigner signer =
        new LocalFileSigner(KEY, Path.of("/data/t"), BASE_URL + "/", Duration.ofHours(1), clock);

    assertThat(signer.sign("/data/t/x.parquet").url()).startsWith(BASE_URL + "/files/");
  }

  @Test
  void expiryIsNowPlusValidityInWholeSeconds() {
    SignedUrl signed = signer(Path.of("/data/t")).sign("/data/t/x.parquet");

    long expectedSeconds = NOW.getEpochSecond() + 3600;
    assertThat(signed.expirationTimestampMillis()).isEqualTo(expectedSeconds * 1000);
    assertThat(LocalUrl.parse(signed.url()).param("se")).isEqualTo(String.valueOf(expectedSeconds));
  }

  @Test
  void signingTheSameFileLaterGivesALaterExpiry() {
    LocalFileSigner signer = signer(Path.of("/data/t"));
    SignedUrl first = signer.sign("/data/t/x.parquet");

    clock.advance(Duration.ofMinutes(10));
    SignedUrl second = signer.sign("/data/t/x.parquet");

    assertThat(second.expirationTimestampMillis() - first.expirationTimestampMillis())
        .isEqualTo(600_000);
    assertThat(second.url()).isNotEqualTo(first.url());
  }

  @Test
  void kernelStyleLocationsAreTakenLiterallyAndTheNameIsEncoded() {
    SignedUrl signed =
        signer(Path.of("/data/t")).sign("file:/data/t/ts=2021-01-01 10%3A00%3A00/part 0%.parquet");

    assertThat(signedPath(signed)).isEqualTo("ts=2021-01-01 10%3A00%3A00/part 0%.parquet");
    assertThat(LocalUrl.parse(signed.url()).name()).isEqualTo("part%200_.parquet");
  }

  @Test
  void charactersJettyRefusesEncodedShowAsUnderscoresInTheName() {
    SignedUrl signed = signer(Path.of("/data/t")).sign("/data/t/a%b\\c\td é.parquet");

    assertThat(signedPath(signed)).isEqualTo("a%b\\c\td é.parquet");
    assertThat(LocalUrl.parse(signed.url()).name()).isEqualTo("a_b_c_d%20%C3%A9.parquet");
  }

  @Test
  void encodedFileUrisAreDecoded() {
    SignedUrl signed = signer(Path.of("/data/t")).sign("file:///data/t/a%20b/part-0.parquet");

    assertThat(signedPath(signed)).isEqualTo("a b/part-0.parquet");
    assertThat(LocalUrl.parse(signed.url()).name()).isEqualTo("part-0.parquet");
  }

  @Test
  void hiveDefaultPartitionDirectoriesAreInsideTheTable() {
    SignedUrl signed =
        signer(Path.of("/data/t"))
            .sign("file:/data/t/date=2021-01-01/p=__HIVE_DEFAULT_PARTITION__/part-1.parquet");

    assertThat(signedPath(signed))
        .isEqualTo("date=2021-01-01/p=__HIVE_DEFAULT_PARTITION__/part-1.parquet");
  }

  @Test
  void pathOverloadNormalizesBeforeSigning() {
    SignedUrl signed = signer(Path.of("/data/t")).sign(Path.of("/data/t/x/../y/./z.parquet"));

    assertThat(signedPath(signed)).isEqualTo("y/z.parquet");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/data/other/secret.parquet",
        "file:/data/other/secret.parquet",
        "file:///data/other/secret.parquet",
        "/data/t/../other/secret.parquet",
        "file:/data/t/p=1/../../other/secret.parquet",
        "/data/t2/secret.parquet",
        "/data/secret.parquet",
        "/secret.parquet"
      })
  void filesOutsideTheTableRootAreRefused(String location) {
    assertThatThrownBy(() -> signer(Path.of("/data/t")).sign(location))
        .isInstanceOf(FileAccessException.class)
        .hasMessageContaining("secret.parquet")
        .hasMessageContaining("outside the shared table")
        .hasMessageNotContaining("/data");
  }

  @Test
  void theRootItselfIsRefused() {
    assertThatThrownBy(() -> signer(Path.of("/data/t")).sign("/data/t"))
        .isInstanceOf(FileAccessException.class);
    assertThatThrownBy(() -> signer(Path.of("/data/t")).sign("/data/t/p=1/.."))
        .isInstanceOf(FileAccessException.class);
  }

  @Test
  void relativePathsAreRefused() {
    assertThatThrownBy(() -> signer(Path.of("/data/t")).sign(Path.of("t/x.parquet")))
        .isInstanceOf(FileAccessException.class)
        .hasMessageContaining("x.parquet");
  }

  @Test
  void filesUnderTheRealPathOfASymlinkedRootAreAccepted() throws Exception {
    Path real = Files.createDirectories(dir.resolve("real-table"));
    Path link = Files.createSymbolicLink(dir.resolve("linked-table"), real);

    SignedUrl signed = signer(link).sign(real.resolve("part-0.parquet").toString());

    // Relative to the root and named by the configured root, which the handler looks up.
    assertThat(signedPath(signed)).isEqualTo("part-0.parquet");
    assertThat(LocalUrl.parse(signed.url()).tableKey()).isEqualTo(tokens.tableKey(link.toString()));
  }

  @Test
  void invalidSettingsAreRejected() {
    Path root = Path.of("/data/t");
    assertThatThrownBy(
            () -> new LocalFileSigner(new byte[8], root, BASE_URL, Duration.ofHours(1), clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new LocalFileSigner(KEY, root, BASE_URL, Duration.ofMillis(999), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentSigningGivesValidUrlsForEveryThread() throws Exception {
    LocalFileSigner signer = signer(Path.of("/data/t"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        int t = thread;
        results.add(
            pool.submit(
                () -> {
                  List<String> paths = new ArrayList<>();
                  for (int i = 0; i < 2000; i++) {
                    paths.add(signedPath(signer.sign("/data/t/p=" + t + "/f-" + i + ".parquet")));
                  }
                  return paths;
                }));
      }
      for (int t = 0; t < 4; t++) {
        List<String> paths = results.get(t).get();
        assertThat(paths).hasSize(2000);
        assertThat(paths.get(1234)).isEqualTo("p=" + t + "/f-1234.parquet");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
