package io.lakeshare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.config.TableConfig;
import io.lakeshare.server.storage.CloudStorage;
import io.lakeshare.server.storage.gcs.GcsStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class TableStoragesGcsTest {

  private static String testKey() throws IOException {
    try (InputStream in =
        TableStoragesGcsTest.class.getResourceAsStream("/gcs/v4-signing-vectors.json")) {
      String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new ObjectMapper().readTree(json).get("serviceAccount").toString();
    }
  }

  private static SharedTable table(String name, String location, String storage) {
    return new SharedTable("s", "sc", new TableConfig(name, location, null, false, 0, storage));
  }

  @Test
  void gsTablesOfOneEntryShareAClientThatSigns() throws IOException {
    StorageConfig.Gcs entry = new StorageConfig.Gcs("lake", null, testKey(), null, null);
    try (TableStorages storages =
        new TableStorages(
            List.of(
                table("a", "gs://bucket/tables/a", "lake"),
                table("b", "gs://other-bucket/b/", "lake")),
            List.of(entry),
            new Configuration())) {
      CloudStorage a = storages.forLocation("gs://bucket/tables/a");
      assertThat(a)
          .isInstanceOf(GcsStorage.class)
          .isSameAs(storages.forLocation("gs://other-bucket/b"));
      assertThat(a.label()).isEqualTo("storage 'lake'");
      assertThat(storages.storeFor("gs://bucket/tables/a")).isSameAs(a.store());
      assertThat(
              a.signer("gs://bucket/tables/a", Duration.ofMinutes(5))
                  .sign("gs://bucket/tables/a/part-0.parquet")
                  .url())
          .startsWith("https://storage.googleapis.com/bucket/tables/a/part-0.parquet?")
          .contains("X-Goog-Credential=test-iam-credentials%40dummy-project-id");
    }
  }

  @Test
  void aMissingKeyFileStopsStartUpNamingTheTable() {
    StorageConfig.Gcs entry =
        new StorageConfig.Gcs("lake", "/nonexistent/lakeshare-key.json", null, null, null);
    assertThatThrownBy(
            () ->
                new TableStorages(
                    List.of(table("a", "gs://bucket/t", "lake")),
                    List.of(entry),
                    new Configuration()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Table 's.sc.a'")
        .hasMessageContaining("'serviceAccountKeyFile' of storage 'lake'")
        .hasMessageContaining("does not exist");
  }

  @Test
  void gsTablesWithoutAnEntryUseTheHadoopKeyFileSetting() {
    Configuration conf = new Configuration(false);
    conf.set("fs.gs.auth.service.account.json.keyfile", "/nonexistent/hadoop-key.json");
    assertThatThrownBy(
            () -> new TableStorages(List.of(table("a", "gs://bucket/t", null)), List.of(), conf))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fs.gs.auth.service.account.json.keyfile")
        .hasMessageContaining("the Hadoop fs.gs settings");
  }
}
