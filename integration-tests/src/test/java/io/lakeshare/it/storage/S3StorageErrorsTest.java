package io.lakeshare.it.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.storage.StorageAccessException;
import io.lakeshare.server.storage.s3.S3Storage;
import org.junit.jupiter.api.Test;

/**
 * Misconfigured S3 storage on the s3proxy store: the operator's message names the storage entry and
 * the fix, and neither it nor the recipient's error holds the secret.
 */
class S3StorageErrorsTest {
  private static final String WRONG_SECRET = "wrong-secret-must-not-leak-42";

  private static StorageConfig.S3 entry(String keyId, String secret) {
    S3Endpoint e = S3ProxyServer.get();
    return new StorageConfig.S3(
        "lake",
        e.region(),
        e.uri().toString(),
        true,
        StorageConfig.AwsCredentials.STATIC,
        keyId,
        secret,
        null);
  }

  private static String listLog(StorageConfig.S3 config, String bucket) {
    try (S3Storage s = S3Storage.of(config)) {
      s.store().listFrom("s3://" + bucket + "/tables/t/_delta_log/00000000000000000000");
      throw new AssertionError("listing succeeded");
    } catch (StorageAccessException e) {
      return e.getMessage();
    } catch (java.io.IOException e) {
      throw new AssertionError("expected a StorageAccessException", e);
    }
  }

  @Test
  void wrongSecretNamesTheEntryAndTheKeyToFixWithoutTheSecret() {
    S3Endpoint e = S3ProxyServer.get();
    String m = listLog(entry(e.accessKey(), WRONG_SECRET), e.bucket());
    assertThat(m)
        .contains("storage 'lake'")
        .contains("secretAccessKey")
        .doesNotContain(WRONG_SECRET);
  }

  @Test
  void unknownAccessKeyIdIsReportedAsSuch() {
    S3Endpoint e = S3ProxyServer.get();
    String m = listLog(entry("AKIDUNKNOWN", WRONG_SECRET), e.bucket());
    assertThat(m).contains("storage 'lake'").doesNotContain(WRONG_SECRET);
    assertThat(m).containsAnyOf("accessKeyId", "Access denied");
  }

  @Test
  void missingBucketIsNamed() {
    S3Endpoint e = S3ProxyServer.get();
    String m = listLog(entry(e.accessKey(), e.secretKey()), "no-such-bucket-here");
    assertThat(m)
        .contains("Bucket 'no-such-bucket-here' does not exist")
        .contains("storage 'lake'");
  }

  @Test
  void recipientGetsAGenericErrorWithoutSecretsOrLocations() {
    S3Endpoint e = S3ProxyServer.get();
    S3Tables.s3proxy();
    String yaml = S3Tables.yaml(e).replace(e.secretKey(), WRONG_SECRET);
    CloudTable broken =
        new CloudTable(
            CloudTable.startServer(yaml),
            yaml,
            S3Tables.SHARE,
            S3Tables.SCHEMA,
            S3Tables.TABLE,
            S3Tables.location(e));
    assertThatThrownBy(() -> ServedFiles.query(broken))
        .isInstanceOf(DeltaSharingException.class)
        .satisfies(
            ex ->
                assertThat(ex.getMessage())
                    .doesNotContain(WRONG_SECRET)
                    .doesNotContain(e.bucket())
                    .doesNotContain(e.uri().toString()));
  }
}
