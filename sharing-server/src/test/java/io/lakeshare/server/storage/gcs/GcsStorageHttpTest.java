package io.lakeshare.server.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.Table;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.delta.ScanFile;
import io.lakeshare.server.delta.TableSnapshot;
import io.lakeshare.server.demo.DemoInfo;
import io.lakeshare.server.demo.DemoTable;
import io.lakeshare.server.storage.ObjectInfo;
import io.lakeshare.server.storage.StorageAccessException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GcsStorage} as the server builds it, talking real HTTP to {@link JsonApiFake}: the JSON
 * API requests it sends (checked from the fake's request log) and Kernel's replay of a copied table
 * through them.
 */
class GcsStorageHttpTest {
  private final JsonApiFake fake = new JsonApiFake("lake");
  private final GcsStorage gcs;

  GcsStorageHttpTest() throws IOException {
    String key =
        GcsUrlSignerTest.keyJson()
            .replace("https://oauth2.googleapis.com/token", fake.endpoint() + "/token");
    gcs = GcsStorage.of(new StorageConfig.Gcs("fake", null, key, fake.endpoint(), null));
  }

  @AfterEach
  void close() {
    gcs.close();
    fake.close();
  }

  private void put(String key, String content) {
    fake.objects.put(key, content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void listsWithPrefixDelimiterAndStartOffset() throws IOException {
    put("t/_delta_log/00000000000000000000.json", "zero");
    put("t/_delta_log/00000000000000000001.json", "one!");
    put("t/_delta_log/_sidecars/a.parquet", "sidecar");

    List<ObjectInfo> objects = gcs.store().listFrom("gs://lake/t/_delta_log/00000000000000000001");

    assertThat(objects)
        .extracting(ObjectInfo::location)
        .containsExactly("gs://lake/t/_delta_log/00000000000000000001.json");
    assertThat(objects.get(0).size()).isEqualTo(4);
    assertThat(objects.get(0).modificationTime())
        .isEqualTo(java.time.Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli());
    String list =
        fake.requests.stream()
            .filter(r -> r.startsWith("GET /storage/v1/b/lake/o?"))
            .findFirst()
            .orElseThrow();
    assertThat(list)
        .contains("prefix=t/_delta_log/")
        .contains("delimiter=/")
        .contains("startOffset=t/_delta_log/00000000000000000001");
    assertThat(fake.requests).anyMatch(r -> r.startsWith("POST /token"));
  }

  @Test
  void readsRangesAndReportsMissingObjectsAndBuckets() throws IOException {
    put("t/data.bin", "0123456789abcdef");
    try (InputStream in = gcs.store().open("gs://lake/t/data.bin", 10)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abcdef");
    }
    assertThat(fake.requests)
        .anyMatch(r -> r.contains("/o/t%2Fdata.bin") && r.contains("alt=media"));
    assertThat(gcs.store().stat("gs://lake/t/data.bin").size()).isEqualTo(16);
    assertThatThrownBy(() -> gcs.store().stat("gs://lake/t/nope"))
        .isInstanceOf(FileNotFoundException.class);
    assertThatThrownBy(
            () -> {
              try (InputStream in = gcs.store().open("gs://lake/t/nope", 0)) {
                in.read();
              }
            })
        .isInstanceOf(FileNotFoundException.class);
    assertThatThrownBy(() -> gcs.store().listFrom("gs://other/t/_delta_log/0"))
        .isInstanceOf(StorageAccessException.class)
        .hasMessageContaining("Bucket 'other' does not exist at " + fake.endpoint())
        .hasMessageContaining("storage 'fake'")
        .hasMessageNotContaining("BEGIN PRIVATE KEY");
  }

  @Test
  void kernelReplaysACopiedTableOverHttp(@TempDir Path dir) throws Exception {
    DemoInfo demo = DemoTable.write(dir);
    Engine engine = DefaultEngine.create(new Configuration());
    Table.forPath(engine, demo.tableRoot().toString()).checkpoint(engine, demo.latestVersion());
    try (Stream<Path> files = Files.walk(demo.tableRoot())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String rel = demo.tableRoot().relativize(f).toString().replace('\\', '/');
        fake.objects.put("tables/sales/" + rel, Files.readAllBytes(f));
      }
    }
    TableSnapshot local = new DeltaTables().forLocation(demo.tableRoot().toString()).latest();
    TableSnapshot remote =
        new DeltaTables(new Configuration(), Duration.ZERO, loc -> gcs.store())
            .forLocation("gs://lake/tables/sales")
            .latest();

    assertThat(remote.version()).isEqualTo(demo.latestVersion());
    assertThat(describe(remote)).isNotEmpty().containsExactlyInAnyOrderElementsOf(describe(local));
    // The checkpoint was read, with ranged requests.
    assertThat(fake.requests)
        .anyMatch(r -> r.contains(".checkpoint.parquet") && r.contains("alt=media"));
  }

  private static List<String> describe(TableSnapshot s) throws IOException {
    List<String> out = new ArrayList<>();
    try (CloseableIterator<ScanFile> it = s.scanFiles()) {
      while (it.hasNext()) {
        ScanFile f = it.next();
        out.add(f.logPath() + " " + f.size() + " " + f.partitionValues() + " " + f.stats());
      }
    }
    return out;
  }
}
