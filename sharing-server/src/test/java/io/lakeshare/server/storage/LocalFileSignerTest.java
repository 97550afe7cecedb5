package io.lakeshare.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  /** The absolute path the URL's token was signed for. */
  private String signedPath(SignedUrl signed) {
    String rest = signed.url().substring((BASE_URL + "/files/").length());
    String token = rest.substring(0, rest.indexOf('/'));
    FileToken.Check check = tokens.verify(token, clock.millis());
    assertThat(check.status()).isEqualTo(FileToken.Status.VALID);
    return check.path();
  }

  @Test
  void urlIsFilesEndpointThenTokenThenFileName() {
    Path root = Path.of("/data/t");

    SignedUrl signed = signer(root).sign("file:/data/t/part-00000-abc.snappy.parquet");

    assertThat(signed.url())
        .matches(
            "http://127\\.0\\.0\\.1:8080/delta-sharing/files/[A-Za-z0-9_-]+\\.\\d+\\.[A-Za-z0-9_-]+"
                + "/part-00000-abc\\.snappy\\.parquet");
    assertThat(signedPath(signed)).isEqualTo("/data/t/part-00000-abc.snappy.parquet");
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
    assertThat(signed.url()).contains("." + expectedSeconds + ".");
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

    assertThat(signedPath(signed)).isEqualTo("/data/t/ts=2021-01-01 10%3A00%3A00/part 0%.parquet");
    assertThat(signed.url()).endsWith("/part%200_.parquet");
  }

  @Test
  void charactersJettyRefusesEncodedShowAsUnderscoresInTheName() {
    SignedUrl signed = signer(Path.of("/data/t")).sign("/data/t/a%b\\c\td é.parquet");

    assertThat(signedPath(signed)).isEqualTo("/data/t/a%b\\c\td é.parquet");
    assertThat(signed.url()).endsWith("/a_b_c_d%20%C3%A9.parquet");
  }

  @Test
  void encodedFileUrisAreDecoded() {
    SignedUrl signed = signer(Path.of("/data/t")).sign("file:///data/t/a%20b/part-0.parquet");

    assertThat(signedPath(signed)).isEqualTo("/data/t/a b/part-0.parquet");
    assertThat(signed.url()).endsWith("/part-0.parquet");
  }

  @Test
  void hiveDefaultPartitionDirectoriesAreInsideTheTable() {
    SignedUrl signed =
        signer(Path.of("/data/t"))
            .sign("file:/data/t/date=2021-01-01/p=__HIVE_DEFAULT_PARTITION__/part-1.parquet");

    assertThat(signedPath(signed))
        .isEqualTo("/data/t/date=2021-01-01/p=__HIVE_DEFAULT_PARTITION__/part-1.parquet");
  }

  @Test
  void pathOverloadNormalizesBeforeSigning() {
    SignedUrl signed = signer(Path.of("/data/t")).sign(Path.of("/data/t/x/../y/./z.parquet"));

    assertThat(signedPath(signed)).isEqualTo("/data/t/y/z.parquet");
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

    assertThat(signedPath(signed)).isEqualTo(real.resolve("part-0.parquet").toString());
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
  void concurrentSigningGivesValidTokensForEveryThread() throws Exception {
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
        assertThat(paths.get(1234)).isEqualTo("/data/t/p=" + t + "/f-1234.parquet");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
