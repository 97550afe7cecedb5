package io.lakeshare.it.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lakeshare.it.fixtures.SparkFixture;
import io.lakeshare.protocol.client.QueryResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.ResponseAction;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deletion vectors of tables in object storage: the delta response format points each vector at a
 * URL signed by the table's storage (SigV4 on s3proxy, SAS on Azurite), which the store verifies,
 * and the connector reads the table equal to delta-spark.
 */
class DeletionVectorStorageTest {
  private static final String CAPS = "responseformat=delta;readerfeatures=deletionvectors";

  private static List<DeltaFileAction> files(CloudTable t) {
    List<DeltaFileAction> out = new ArrayList<>();
    try (QueryResponse r = t.client().queryTable(t.ref(), null, new RequestOptions(CAPS, null))) {
      assertThat(r.respondedFormat()).isEqualTo("delta");
      while (r.hasNext()) {
        ResponseAction a = r.next();
        if (a instanceof DeltaFileAction f) {
          out.add(f);
        }
      }
    }
    return out;
  }

  private static void vectorsAreSignedAndVerified(CloudTable t, String signatureParam) {
    List<DeltaFileAction> files = files(t);
    assertThat(files).hasSize(1);
    DeletionVector dv = files.get(0).deletionVector();
    assertThat(dv).isNotNull();
    assertThat(dv.storageType()).isEqualTo("p");
    assertThat(dv.cardinality()).isEqualTo(1);
    assertThat(files.get(0).deletionVectorFileId()).matches("[0-9a-f]{64}");
    String url = dv.pathOrInlineDv();
    assertThat(url).contains(signatureParam);
    HttpResponse<byte[]> got = ServedFiles.get(url);
    assertThat(got.statusCode()).isEqualTo(200);
    byte[] bytes = got.body();
    // format version 1, then at the offset the big-endian size of the bitmap
    assertThat(bytes[0]).isEqualTo((byte) 1);
    assertThat(ByteBuffer.wrap(bytes, dv.offset(), 4).getInt()).isEqualTo(dv.sizeInBytes());
    String tampered = tamper(url, signatureParam);
    assertThat(ServedFiles.get(tampered).statusCode()).isEqualTo(403);
  }

  /** The URL with the last character of the signature parameter's value changed. */
  private static String tamper(String url, String param) {
    int at = url.indexOf(param);
    int end = url.indexOf('&', at);
    end = end < 0 ? url.length() : end;
    char last = url.charAt(end - 1);
    return url.substring(0, end - 1) + (last == 'A' ? 'B' : 'A') + url.substring(end);
  }

  private static void connectorReadsLikeTheOracle(CloudTable t, Path dir) throws Exception {
    Path profile = dir.resolve("cloud.share");
    Files.writeString(profile, t.profileJson());
    Dataset<Row> shared =
        SparkFixture.spark().read().format("deltaSharing").load(profile + "#" + t.qualifiedName());
    assertThat(ServedFiles.sorted(shared)).isEqualTo(ServedFiles.sorted(t.oracle())).hasSize(4);
  }

  @Test
  void s3VectorsAreSignedWithSigV4AndVerifiedByTheStore() {
    vectorsAreSignedAndVerified(
        S3Tables.deletionVectorsOn(S3ProxyServer.get()), "X-Amz-Signature=");
  }

  @Test
  void s3TableWithVectorsReadsLikeDeltaSpark(@TempDir Path dir) throws Exception {
    connectorReadsLikeTheOracle(S3Tables.deletionVectorsOn(S3ProxyServer.get()), dir);
  }

  @Test
  void azureVectorsAreSignedWithSasAndVerifiedByAzurite() {
    String reason = AzuriteServer.unavailableReason();
    assumeTrue(reason == null, reason);
    vectorsAreSignedAndVerified(AzureTables.deletionVectorsOnAzurite(), "sig=");
  }

  @Test
  void azureTableWithVectorsReadsLikeDeltaSpark(@TempDir Path dir) throws Exception {
    String reason = AzuriteServer.unavailableReason();
    assumeTrue(reason == null, reason);
    connectorReadsLikeTheOracle(AzureTables.deletionVectorsOnAzurite(), dir);
  }
}
