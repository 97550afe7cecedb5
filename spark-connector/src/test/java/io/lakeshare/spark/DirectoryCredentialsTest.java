package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.protocol.model.TemporaryCredentials.AwsTempCredentials;
import io.lakeshare.protocol.model.TemporaryCredentials.AzureUserDelegationSas;
import io.lakeshare.protocol.model.TemporaryCredentials.GcpOauthToken;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class DirectoryCredentialsTest {
  private static final AwsTempCredentials AWS =
      new AwsTempCredentials("ASIAKEY", "s3cr3t", "t0k3n");

  @Test
  void s3SessionCredentialsApplyToTheTablesBucketOnlyAndReadThroughS3a() {
    for (String scheme : new String[] {"s3", "s3a", "s3n"}) {
      DirectoryCredentials c =
          DirectoryCredentials.of(
              new TemporaryCredentials(scheme + "://lake/warehouse/sales/", AWS, null, null, 42L),
              "s.d.sales");
      assertThat(c.root()).isEqualTo("s3a://lake/warehouse/sales");
      assertThat(c.expiresAtMillis()).isEqualTo(42L);
      assertThat(c.settings())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "fs.s3a.bucket.lake.aws.credentials.provider",
                  "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
                  "fs.s3a.bucket.lake.access.key",
                  "ASIAKEY",
                  "fs.s3a.bucket.lake.secret.key",
                  "s3cr3t",
                  "fs.s3a.bucket.lake.session.token",
                  "t0k3n"));
      assertThat(c.toString()).doesNotContain("s3cr3t").doesNotContain("t0k3n");
    }
  }

  @Test
  void anAzureSasIsAFixedTokenOfTheAccountsDfsHost() {
    DirectoryCredentials c =
        DirectoryCredentials.of(
            new TemporaryCredentials(
                "abfss://data@acct.dfs.core.windows.net/tables/sales",
                null,
                new AzureUserDelegationSas("sv=2025&sr=d&sig=abc"),
                null,
                7L),
            "s.d.sales");
    assertThat(c.root()).isEqualTo("abfss://data@acct.dfs.core.windows.net/tables/sales");
    assertThat(c.settings())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "fs.azure.account.auth.type.acct.dfs.core.windows.net", "SAS",
                "fs.azure.sas.fixed.token.acct.dfs.core.windows.net", "sv=2025&sr=d&sig=abc"));
    assertThat(c.toString()).doesNotContain("sig=abc");
  }

  @Test
  void aGcsTokenConfiguresTheConnectorsReadOnlyFileSystemForThatBucket() {
    DirectoryCredentials c =
        DirectoryCredentials.of(
            new TemporaryCredentials(
                "gs://lake/warehouse/sales/", null, null, new GcpOauthToken("ya29.secret"), 42L),
            "s.d.g");
    assertThat(c.root()).isEqualTo("gs://lake/warehouse/sales");
    assertThat(c.expiresAtMillis()).isEqualTo(42L);
    assertThat(c.settings())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "fs.gs.impl", "io.lakeshare.spark.read.GcsDirectoryFileSystem",
                "fs.gs.impl.disable.cache", "true",
                "fs.lakeshare.gs.bucket.lake.oauth.token", "ya29.secret",
                "fs.lakeshare.gs.bucket.lake.oauth.token.expires", "42"));
    assertThat(c.toString()).doesNotContain("ya29.secret");
  }

  @Test
  void whatCannotBeReadIsRefusedNamingTableAndLocation() {
    assertThatThrownBy(
            () ->
                DirectoryCredentials.of(
                    new TemporaryCredentials(
                        "gs://bucket/t", new AwsTempCredentials("a", "b", "c"), null, null, 1L),
                    "s.d.g"))
        .hasMessageContaining("s.d.g")
        .hasMessageContaining("gs://bucket/t")
        .hasMessageContaining("no GCP OAuth token");
    assertThatThrownBy(
            () ->
                DirectoryCredentials.of(
                    new TemporaryCredentials(
                        "wasbs://c@acct.blob.core.windows.net/t",
                        null,
                        new AzureUserDelegationSas("sig=x"),
                        null,
                        1L),
                    "s.d.w"))
        .hasMessageContaining("s.d.w")
        .hasMessageContaining("wasb");
    assertThatThrownBy(
            () ->
                DirectoryCredentials.of(
                    new TemporaryCredentials(
                        "s3://lake/t", null, new AzureUserDelegationSas("sig=x"), null, 1L),
                    "s.d.x"))
        .hasMessageContaining("no AWS session credentials");
  }

  @Test
  void coversTheRootAndWhatLiesUnderItOnly() {
    DirectoryCredentials c = new DirectoryCredentials("s3a://lake/warehouse/sales", 1L, Map.of());
    assertThat(c.covers("s3a://lake/warehouse/sales")).isTrue();
    assertThat(c.covers("s3a://lake/warehouse/sales/_delta_log/00000000000000000000.json"))
        .isTrue();
    assertThat(c.covers("s3a://lake/warehouse/sales/p=a b/part-0.parquet")).isTrue();
    assertThat(c.covers("s3a://lake/warehouse/sales-old/part-0.parquet")).isFalse();
    assertThat(c.covers("s3a://lake/warehouse/sales/../other/x.parquet")).isFalse();
    assertThat(c.covers("s3a://other/warehouse/sales/x.parquet")).isFalse();
    assertThat(c.covers("s3://lake/warehouse/sales/x.parquet")).isFalse();
    assertThat(c.covers("s3a://lake/warehouse")).isFalse();
    DirectoryCredentials local = new DirectoryCredentials("file:///data/t", 1L, Map.of());
    assertThat(local.covers("file:/data/t/_delta_log/x.json")).isTrue();
    assertThat(local.covers("file:/data/t2/x")).isFalse();
  }

  @Test
  void onlyTheRecipientsNonSecretFileSystemSettingsTravel() {
    Configuration defaults = new Configuration(false);
    Configuration conf = new Configuration(false);
    conf.set("fs.s3a.bucket.lake.endpoint", "http://127.0.0.1:9000");
    conf.set("fs.s3a.path.style.access", "true");
    conf.set("fs.s3a.access.key", "AKIAMINE");
    conf.set("fs.s3a.secret.key", "mine");
    conf.set("fs.s3a.aws.credentials.provider", "x.Provider");
    conf.set("fs.azure.account.key.acct.dfs.core.windows.net", "k");
    conf.set("fs.azure.sas.token.provider.type", "x.Sas");
    conf.set("spark.sql.shuffle.partitions", "2");
    defaults.set("fs.s3a.connection.maximum", "96");
    conf.set("fs.s3a.connection.maximum", "96");
    assertThat(DirectorySettings.kept(conf, defaults))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "fs.s3a.bucket.lake.endpoint", "http://127.0.0.1:9000",
                "fs.s3a.path.style.access", "true"));
  }
}
