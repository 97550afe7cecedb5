package io.lakeshare.server.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.StorageOptions;
import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.FileAccessException;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.SignedUrl;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * V4 signing against Google's published conformance vectors (see {@code
 * src/test/resources/gcs/v4-signing-vectors.json} for the source): exact URL, string to sign and
 * canonical request for fixed inputs, with the published test key.
 */
class GcsUrlSignerTest {
  private static final JsonNode VECTORS = load();

  private static JsonNode load() {
    try (InputStream in =
        GcsUrlSignerTest.class.getResourceAsStream("/gcs/v4-signing-vectors.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String keyJson() {
    return VECTORS.get("serviceAccount").toString();
  }

  static ServiceAccountCredentials testKey() throws IOException {
    return ServiceAccountCredentials.fromStream(
        new ByteArrayInputStream(keyJson().getBytes(StandardCharsets.UTF_8)));
  }

  private static Clock at(String timestamp) {
    return Clock.fixed(Instant.parse(timestamp), ZoneOffset.UTC);
  }

  private static StorageConfig.Gcs entry(String key, String endpoint) {
    return new StorageConfig.Gcs("vectors", null, key, endpoint, null);
  }

  @Test
  void signedUrlsEqualTheConformanceVectors() {
    for (JsonNode c : VECTORS.get("cases")) {
      try (GcsStorage gcs = GcsStorage.of(entry(keyJson(), null))) {
        FileSigner signer =
            gcs.signer(
                "gs://" + c.get("bucket").asText(),
                Duration.ofSeconds(c.get("expiration").asLong()),
                at(c.get("timestamp").asText()));
        SignedUrl url =
            signer.sign("gs://" + c.get("bucket").asText() + "/" + c.get("object").asText());
        assertThat(url.url())
            .as(c.get("description").asText())
            .isEqualTo(c.get("expectedUrl").asText());
        assertThat(url.expirationTimestampMillis())
            .isEqualTo(
                Instant.parse(c.get("timestamp").asText()).toEpochMilli()
                    + c.get("expiration").asLong() * 1000);
      }
    }
  }

  /** What the library hands the key to sign is the published string to sign. */
  @Test
  void stringToSignAndCanonicalRequestEqualTheVectors() throws Exception {
    for (JsonNode c : VECTORS.get("cases")) {
      checkSigning(
          null,
          c.get("bucket").asText(),
          c.get("object").asText(),
          c.get("expiration").asLong(),
          c.get("timestamp").asText(),
          c.get("expectedCanonicalRequest").asText(),
          c.get("expectedStringToSign").asText());
    }
  }

  /**
   * With an emulator endpoint the URL goes there and its own host is signed (so a store there that
   * checks V4 signatures accepts it): the published "Simple GET" with {@code host:localhost:8080}.
   */
  @Test
  void emulatorEndpointSignsTheUrlsOwnHost() throws Exception {
    String query =
        "X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=test-iam-credentials%40"
            + "dummy-project-id.iam.gserviceaccount.com%2F20190201%2Fauto%2Fstorage%2Fgoog4_request"
            + "&X-Goog-Date=20190201T090000Z&X-Goog-Expires=10&X-Goog-SignedHeaders=host";
    String canonical =
        "GET\n/test-bucket/test-object\n"
            + query
            + "\nhost:localhost:8080\n\nhost\nUNSIGNED-PAYLOAD";
    String toSign =
        "GOOG4-RSA-SHA256\n20190201T090000Z\n20190201/auto/storage/goog4_request\n"
            + sha256Hex(canonical);
    String url =
        checkSigning(
            "http://localhost:8080",
            "test-bucket",
            "test-object",
            10,
            "2019-02-01T09:00:00Z",
            canonical,
            toSign);
    assertThat(url).startsWith("http://localhost:8080/test-bucket/test-object?" + query + "&");
  }

  /**
   * Signs one object with a signer that records what it is given, checks that against {@code
   * expectedToSign} and the URL against {@code canonical}, and verifies the URL's signature with
   * the test key's public key. Returns the URL.
   */
  private static String checkSigning(
      String endpoint,
      String bucket,
      String object,
      long expiration,
      String timestamp,
      String canonical,
      String expectedToSign)
      throws Exception {
    ServiceAccountCredentials key = testKey();
    List<String> signed = new ArrayList<>();
    ServiceAccountSigner recording =
        new ServiceAccountSigner() {
          @Override
          public String getAccount() {
            return key.getAccount();
          }

          @Override
          public byte[] sign(byte[] toSign) {
            signed.add(new String(toSign, StandardCharsets.UTF_8));
            return key.sign(toSign);
          }
        };
    Clock clock = at(timestamp);
    var builder =
        StorageOptions.http()
            .setCredentials(key)
            .setProjectId("dummy-project-id")
            .setClock(new ApiClockOf(clock));
    if (endpoint != null) {
      builder.setHost(endpoint);
    }
    GcsUrlSigner signer =
        new GcsUrlSigner(
            builder.build().getService(),
            recording,
            endpoint,
            BlobPath.parse("gs://" + bucket),
            Duration.ofSeconds(expiration),
            clock);
    String url = signer.sign("gs://" + bucket + "/" + object).url();

    assertThat(signed).containsExactly(expectedToSign);
    assertThat(expectedToSign).endsWith("\n" + sha256Hex(canonical));
    // The URL's path and query (less the signature) are the canonical request's.
    String pathAndQuery = url.substring(url.indexOf('/', url.indexOf("//") + 2));
    String query = pathAndQuery.substring(pathAndQuery.indexOf('?') + 1);
    String unsignedQuery = query.substring(0, query.indexOf("&X-Goog-Signature="));
    assertThat(canonical)
        .startsWith(
            "GET\n"
                + pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
                + "\n"
                + unsignedQuery
                + "\n");
    // And the signature is the test key's RSA-SHA256 over the string to sign.
    byte[] sig = HexFormat.of().parseHex(query.substring(query.indexOf("&X-Goog-Signature=") + 18));
    assertThat(verifies(publicKeyOf(key), expectedToSign, sig)).isTrue();
    assertThat(verifies(publicKeyOf(key), expectedToSign + " ", sig)).isFalse();
    return url;
  }

  @Test
  void refusesFilesOutsideTheTable() {
    try (GcsStorage gcs = GcsStorage.of(entry(keyJson(), null))) {
      FileSigner signer = gcs.signer("gs://lake/tables/sales", Duration.ofHours(1));
      assertThat(signer.sign("gs://lake/tables/sales/region=eu/part-0.parquet").url())
          .startsWith("https://storage.googleapis.com/lake/tables/sales/region");
      for (String outside :
          List.of(
              "gs://other/tables/sales/part-0.parquet",
              "gs://lake/tables/salesman/part-0.parquet",
              "gs://lake/tables/sales/../secrets/part-0.parquet",
              "gs://lake/tables/sales//part-0.parquet",
              "gs://lake/tables/sales/./part-0.parquet",
              "gs://lake/tables/sales",
              "s3://lake/tables/sales/part-0.parquet")) {
        assertThatThrownBy(() -> signer.sign(outside))
            .as(outside)
            .isInstanceOf(FileAccessException.class)
            .hasMessageContaining("outside the shared table")
            .hasMessageNotContaining("tables/");
      }
    }
  }

  @Test
  void validityIsCappedAtSevenDays() {
    try (GcsStorage gcs = GcsStorage.of(entry(keyJson(), null))) {
      Clock clock = at("2026-01-01T00:00:00Z");
      SignedUrl url =
          gcs.signer("gs://lake/t", Duration.ofDays(30), clock).sign("gs://lake/t/part-0.parquet");
      assertThat(url.url()).contains("X-Goog-Expires=604800&");
      assertThat(url.expirationTimestampMillis())
          .isEqualTo(clock.millis() + Duration.ofDays(7).toMillis());
    }
  }

  /**
   * Signing needs neither the storage endpoint nor the token endpoint: both point at a socket that
   * would see any connection.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void signingMakesNoNetworkCall() throws Exception {
    try (ServerSocket trap = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String base = "http://127.0.0.1:" + trap.getLocalPort();
      String key = keyJson().replace("https://oauth2.googleapis.com/token", base + "/token");
      assertThat(key).contains(base + "/token");
      try (GcsStorage gcs = GcsStorage.of(entry(key, base))) {
        FileSigner signer = gcs.signer("gs://lake/t", Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
          assertThat(signer.sign("gs://lake/t/part-" + i + ".parquet").url())
              .startsWith(
                  base + "/lake/t/part-" + i + ".parquet?X-Goog-Algorithm=GOOG4-RSA-SHA256");
        }
      }
      trap.setSoTimeout(300);
      assertThatThrownBy(trap::accept).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void aKeyThatIsNotAServiceAccountKeyIsRefusedWithoutQuotingIt() {
    String notAKey = "{\"type\": \"authorized_user\", \"client_secret\": \"hush-hush\"}";
    assertThatThrownBy(() -> GcsStorage.of(entry(notAKey, null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("storage 'vectors'")
        .hasMessageContaining("not a service-account JSON key")
        .hasMessageNotContaining("hush-hush");
  }

  private static String sha256Hex(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static PublicKey publicKeyOf(ServiceAccountCredentials key) throws Exception {
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) key.getPrivateKey();
    return KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
  }

  private static boolean verifies(PublicKey key, String data, byte[] sig) throws Exception {
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(key);
    v.update(data.getBytes(StandardCharsets.UTF_8));
    return v.verify(sig);
  }

  /** The library's clock over a fixed {@link Clock}. */
  private record ApiClockOf(Clock clock) implements com.google.api.core.ApiClock {
    @Override
    public long nanoTime() {
      return TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    @Override
    public long millisTime() {
      return clock.millis();
    }
  }
}
