package io.lakeshare.it.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.protocol.model.FileAction;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The S3 checks, run against every S3-compatible store a subclass provides: a table written by
 * delta-spark through s3a is read by the server through its storage entry, and the URLs it hands
 * out are verified by the store itself.
 */
abstract class S3StorageSuite {

  /** The store under test; subclasses skip when it cannot run here. */
  abstract S3Endpoint endpoint();

  CloudTable table() {
    return S3Tables.on(endpoint());
  }

  @Test
  void theSparkConnectorReadsTheTableLikeTheOracle(@TempDir Path dir) throws Exception {
    CloudTable t = table();
    Path profile = dir.resolve("cloud.share");
    Files.writeString(profile, t.profileJson());
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> shared =
        io.lakeshare.it.fixtures.SparkFixture.spark()
            .read()
            .format("deltaSharing")
            .load(profile + "#" + t.qualifiedName());
    assertThat(ServedFiles.sorted(shared)).isEqualTo(ServedFiles.sorted(t.oracle())).hasSize(6);
    assertThat(shared.schema()).isEqualTo(t.oracle().schema());
  }

  @Test
  void servedFilesAreExactlyTheActiveFilesDeltaSparkReports() {
    CloudTable t = table();
    List<FileAction> files = ServedFiles.query(t);

    Map<String, Long> served = new TreeMap<>();
    for (FileAction f : files) {
      served.put(ServedFiles.relativeName(f.url(), t.table()), f.size());
    }
    Map<String, Long> oracle = ServedFiles.oracleFiles(t);
    assertThat(oracle).hasSizeGreaterThanOrEqualTo(4);
    assertThat(served).isEqualTo(oracle);
    // The DELETE removed a file that is still in the bucket; it must not be served.
    assertThat(allDataObjects(t)).hasSizeGreaterThan(oracle.size());
  }

  @Test
  void presignedUrlsReturnTheStoredBytesAndRowsEqualTheOracle(@TempDir Path dir) throws Exception {
    CloudTable t = table();
    List<FileAction> files = ServedFiles.query(t);
    Map<FileAction, Path> downloaded = ServedFiles.download(files, dir);

    try (S3Client s3 = S3ProxyServer.client(endpoint())) {
      for (Map.Entry<FileAction, Path> e : downloaded.entrySet()) {
        String key =
            "tables/" + t.table() + "/" + ServedFiles.relativeName(e.getKey().url(), t.table());
        ResponseBytes<GetObjectResponse> stored =
            s3.getObjectAsBytes(b -> b.bucket(endpoint().bucket()).key(key));
        byte[] got = Files.readAllBytes(e.getValue());
        assertThat(got).hasSize((int) e.getKey().size());
        assertThat(got).isEqualTo(stored.asByteArray());
        assertThat(new String(got, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
      }
    }
    assertThat(ServedFiles.rows(downloaded, t.oracle()))
        .isEqualTo(ServedFiles.sorted(t.oracle()))
        .hasSize(6);
  }

  @Test
  void urlsCarryTheirExpiryAndTheStoreVerifiesEachSignature() {
    CloudTable t = table();
    List<FileAction> files = ServedFiles.query(t);
    long now = System.currentTimeMillis();
    for (FileAction f : files) {
      assertThat(f.url()).startsWith(endpoint().uri() + "/" + endpoint().bucket() + "/tables/");
      assertThat(f.url()).contains("X-Amz-Algorithm=AWS4-HMAC-SHA256").contains("X-Amz-Signature=");
      assertThat(f.expirationTimestamp()).isBetween(now + 3_500_000L, now + 3_700_000L);
    }
    FileAction a = files.get(0);
    FileAction b = files.get(1);

    String tampered = flipLastSignatureChar(a.url());
    assertThat(ServedFiles.get(tampered).statusCode()).isEqualTo(403);

    // b's path with a's query string: a valid signature, but for another key.
    String otherKey =
        b.url().substring(0, b.url().indexOf('?')) + a.url().substring(a.url().indexOf('?'));
    assertThat(ServedFiles.get(otherKey).statusCode()).isEqualTo(403);

    String unsigned = a.url().substring(0, a.url().indexOf('?'));
    assertThat(ServedFiles.get(unsigned).statusCode()).isEqualTo(403);

    assertThat(ServedFiles.get(a.url()).statusCode()).isEqualTo(200);
  }

  @Test
  void expiredUrlsAreRejectedByTheStore() throws Exception {
    S3Endpoint e = endpoint();
    table();
    CloudTable shortLived =
        new CloudTable(
            CloudTable.startServer(S3Tables.yaml(e, "preSignedUrlTimeoutSeconds: 1")),
            S3Tables.yaml(e, "preSignedUrlTimeoutSeconds: 1"),
            S3Tables.SHARE,
            S3Tables.SCHEMA,
            S3Tables.TABLE,
            S3Tables.location(e));
    FileAction f = ServedFiles.query(shortLived).get(0);
    assertThat(f.expirationTimestamp()).isLessThanOrEqualTo(System.currentTimeMillis() + 1_000L);
    long wait = f.expirationTimestamp() + 1_500L - System.currentTimeMillis();
    Thread.sleep(Math.max(0, wait));

    HttpResponse<byte[]> r = ServedFiles.get(f.url());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).containsIgnoringCase("expired");
  }

  private java.util.Set<String> allDataObjects(CloudTable t) {
    java.util.Set<String> out = new HashSet<>();
    try (S3Client s3 = S3ProxyServer.client(endpoint())) {
      s3.listObjectsV2Paginator(
              b -> b.bucket(endpoint().bucket()).prefix("tables/" + t.table() + "/"))
          .contents()
          .forEach(
              o -> {
                if (o.key().endsWith(".parquet") && !o.key().contains("/_delta_log/")) {
                  out.add(o.key());
                }
              });
    }
    return out;
  }

  static String flipLastSignatureChar(String url) {
    int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
    int end = url.indexOf('&', at);
    int last = (end < 0 ? url.length() : end) - 1;
    char c = url.charAt(last);
    return url.substring(0, last) + (c == '0' ? '1' : '0') + url.substring(last + 1);
  }
}
