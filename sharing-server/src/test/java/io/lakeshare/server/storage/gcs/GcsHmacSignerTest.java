package io.lakeshare.server.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.core.ApiClock;
import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.StorageOptions;
import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.FileAccessException;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.SignedUrl;
import io.lakeshare.server.storage.V4QuerySigner;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * HMAC-key signing for Cloud Storage: the canonical request of odd object names equals what
 * Google's client library signs (with the RSA algorithm name, which is the only difference), and
 * the signature is the documented {@code GOOG4} HMAC chain over it.
 */
class GcsHmacSignerTest {
  private static final String ACCESS_ID = "GOOG1EEXAMPLEACCESSID";
  private static final String SECRET = "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ";

  private static final List<String> KEYS =
      List.of(
          "tables/t/part-00000.snappy.parquet",
          "tables/t/name=a b/c+d=e%20f/ü~_.-*!'()&$@,;:.parquet",
          "tables/t/x/ 日本.parquet");

  @Test
  void canonicalRequestsOfOddNamesEqualTheClientLibrarys() throws Exception {
    ServiceAccountCredentials key = GcsUrlSignerTest.testKey();
    Instant now = Instant.parse("2026-12-04T10:11:12Z");
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
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
    ApiClock apiClock =
        new ApiClock() {
          @Override
          public long nanoTime() {
            return now.toEpochMilli() * 1_000_000L;
          }

          @Override
          public long millisTime() {
            return now.toEpochMilli();
          }
        };
    GcsUrlSigner library =
        new GcsUrlSigner(
            StorageOptions.http()
                .setCredentials(key)
                .setProjectId("dummy-project-id")
                .setClock(apiClock)
                .build()
                .getService(),
            recording,
            null,
            BlobPath.parse("gs://bucket"),
            Duration.ofSeconds(900),
            clock);
    V4QuerySigner ours =
        new V4QuerySigner(
            new V4QuerySigner.Dialect(
                "GOOG4-RSA-SHA256", "GOOG4", "X-Goog-", "storage", "goog4_request"),
            key.getAccount(),
            "unused",
            "auto",
            URI.create("https://storage.googleapis.com"));
    for (String k : KEYS) {
      signed.clear();
      library.sign("gs://bucket/" + k);
      assertThat(signed).hasSize(1);
      assertThat(ours.stringToSign("bucket", k, now, 900)).as(k).isEqualTo(signed.get(0));
    }
  }

  @Test
  void hmacUrlsCarryTheDocumentedChainsSignature() throws Exception {
    Instant now = Instant.parse("2026-12-04T10:11:12.345Z");
    StorageConfig.Gcs entry =
        new StorageConfig.Gcs(
            "lake", null, GcsUrlSignerTest.keyJson(), null, null, ACCESS_ID, SECRET);
    try (GcsStorage gcs = GcsStorage.of(entry)) {
      assertThat(gcs.canSign()).isTrue();
      FileSigner signer =
          gcs.signer("gs://bucket/tables/t", Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));
      for (String k : KEYS) {
        SignedUrl url = signer.sign("gs://bucket/" + k);
        assertThat(url.expirationTimestampMillis())
            .isEqualTo(Instant.parse("2026-12-04T11:11:12Z").toEpochMilli());
        String u = url.url();
        assertThat(u)
            .startsWith("https://storage.googleapis.com/bucket/tables/t/")
            .contains(
                "?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential="
                    + ACCESS_ID
                    + "%2F20261204%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261204T101112Z"
                    + "&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature=");
        String path = u.substring("https://storage.googleapis.com".length(), u.indexOf('?'));
        String query = u.substring(u.indexOf('?') + 1, u.indexOf("&X-Goog-Signature="));
        String canonical =
            "GET\n"
                + path
                + "\n"
                + query
                + "\nhost:storage.googleapis.com\n\nhost\nUNSIGNED-PAYLOAD";
        String toSign =
            "GOOG4-HMAC-SHA256\n20261204T101112Z\n20261204/auto/storage/goog4_request\n"
                + HexFormat.of()
                    .formatHex(
                        MessageDigest.getInstance("SHA-256")
                            .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] k1 = hmac(("GOOG4" + SECRET).getBytes(StandardCharsets.UTF_8), "20261204");
        byte[] k2 = hmac(hmac(hmac(k1, "auto"), "storage"), "goog4_request");
        assertThat(u.substring(u.indexOf("&X-Goog-Signature=") + 18))
            .isEqualTo(HexFormat.of().formatHex(hmac(k2, toSign)));
      }
      assertThatThrownBy(() -> signer.sign("gs://other/tables/t/a.parquet"))
          .isInstanceOf(FileAccessException.class);
      assertThatThrownBy(() -> signer.sign("gs://bucket/tables/t/../u/a.parquet"))
          .isInstanceOf(FileAccessException.class);
      assertThatThrownBy(() -> signer.sign("gs://bucket/tables/tt/a.parquet"))
          .isInstanceOf(FileAccessException.class);
    }
  }

  @Test
  void anEmulatorEndpointIsWhereHmacUrlsPointAndTheHostTheySign() {
    StorageConfig.Gcs entry =
        new StorageConfig.Gcs(
            "emu",
            null,
            GcsUrlSignerTest.keyJson(),
            "http://127.0.0.1:4443",
            null,
            ACCESS_ID,
            SECRET);
    try (GcsStorage gcs = GcsStorage.of(entry)) {
      String u =
          gcs.signer("gs://bucket/t", Duration.ofDays(30), Clock.systemUTC())
              .sign("gs://bucket/t/a.parquet")
              .url();
      // longer validities are cut to V4's seven days
      assertThat(u)
          .startsWith("http://127.0.0.1:4443/bucket/t/a.parquet?")
          .contains("X-Goog-Expires=604800&");
    }
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
