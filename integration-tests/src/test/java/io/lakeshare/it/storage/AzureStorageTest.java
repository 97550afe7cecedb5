package io.lakeshare.it.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lakeshare.protocol.model.FileAction;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Delta table in Azure Blob storage (Azurite): read by the server through its storage entry,
 * served end to end, and signed with per-blob read-only SAS that Azurite verifies.
 */
class AzureStorageTest {

  @BeforeAll
  static void requireNode() {
    String reason = AzuriteServer.unavailableReason();
    assumeTrue(reason == null, reason);
  }

  @Test
  void servedFilesAreExactlyTheActiveFilesAndRowsEqualTheOracle(@TempDir Path dir)
      throws Exception {
    CloudTable t = AzureTables.azurite();
    List<FileAction> files = ServedFiles.query(t);
    Map<String, Long> served = new TreeMap<>();
    for (FileAction f : files) {
      served.put(ServedFiles.relativeName(f.url(), t.table()), f.size());
    }
    assertThat(served).isEqualTo(ServedFiles.oracleFiles(t)).hasSizeGreaterThanOrEqualTo(4);

    Map<FileAction, Path> downloaded = ServedFiles.download(files, dir);
    for (Map.Entry<FileAction, Path> e : downloaded.entrySet()) {
      byte[] got = Files.readAllBytes(e.getValue());
      assertThat(got).hasSize((int) e.getKey().size());
      assertThat(new String(got, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
    }
    assertThat(ServedFiles.rows(downloaded, t.oracle()))
        .isEqualTo(ServedFiles.sorted(t.oracle()))
        .hasSize(6);
  }

  @Test
  void theSparkConnectorReadsTheTableLikeTheOracle(@TempDir Path dir) throws Exception {
    CloudTable t = AzureTables.azurite();
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
  void urlsCarryAReadOnlySasForOneBlobThatAzuriteVerifies() {
    CloudTable t = AzureTables.azurite();
    List<FileAction> files = ServedFiles.query(t);
    FileAction a = files.get(0);
    FileAction b = files.get(1);
    assertThat(a.url())
        .startsWith(AzuriteServer.endpoint() + "/" + AzureTables.CONTAINER + "/tables/t_az/")
        .contains("sp=r&")
        .contains("sr=b&")
        .contains("sig=");
    long now = System.currentTimeMillis();
    assertThat(a.expirationTimestamp()).isBetween(now + 3_500_000L, now + 3_700_000L);
    assertThat(ServedFiles.get(a.url()).statusCode()).isEqualTo(200);

    assertThat(ServedFiles.get(tamperSig(a.url())).statusCode()).isEqualTo(403);
    String otherBlob =
        b.url().substring(0, b.url().indexOf('?')) + a.url().substring(a.url().indexOf('?'));
    assertThat(ServedFiles.get(otherBlob).statusCode()).isEqualTo(403);
    assertThat(ServedFiles.get(a.url().substring(0, a.url().indexOf('?'))).statusCode())
        .isIn(401, 403, 404);
  }

  @Test
  void expiredSasIsRejected() throws Exception {
    AzureTables.azurite();
    String yaml = AzureTables.yaml("preSignedUrlTimeoutSeconds: 1");
    CloudTable shortLived =
        new CloudTable(
            CloudTable.startServer(yaml),
            yaml,
            AzureTables.SHARE,
            AzureTables.SCHEMA,
            AzureTables.TABLE,
            AzureTables.azurite().oraclePath());
    FileAction f = ServedFiles.query(shortLived).get(0);
    Thread.sleep(Math.max(0, f.expirationTimestamp() + 1_500L - System.currentTimeMillis()));
    HttpResponse<byte[]> r = ServedFiles.get(f.url());
    assertThat(r.statusCode()).isEqualTo(403);
  }

  private static String tamperSig(String url) {
    int at = url.indexOf("sig=") + 4;
    char c = url.charAt(at);
    return url.substring(0, at) + (c == 'A' ? 'B' : 'A') + url.substring(at + 1);
  }
}
