package io.lakeshare.server.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.delta.kernel.Table;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.delta.ScanFile;
import io.lakeshare.server.delta.TableSnapshot;
import io.lakeshare.server.demo.DemoInfo;
import io.lakeshare.server.demo.DemoTable;
import io.lakeshare.server.storage.ObjectInfo;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GcsObjectStore} against google-cloud-nio's in-memory fake of the Storage API
 * (LocalStorageHelper), which serves the library's JSON API calls without a network.
 */
class GcsObjectStoreTest {
  private final Storage fake = LocalStorageHelper.getOptions().getService();

  /** The {@code startOffset} of each listing, which the fake does not support and never sees. */
  private final List<String> startOffsets = new ArrayList<>();

  private final GcsObjectStore store =
      new GcsObjectStore(withoutStartOffset(fake), new GcsErrors("storage 'fake'", null, null));

  private Storage withoutStartOffset(Storage delegate) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.getName().equals("list")
              && args != null
              && args.length == 2
              && args[1] instanceof Storage.BlobListOption[] options) {
            List<Storage.BlobListOption> kept = new ArrayList<>();
            for (Storage.BlobListOption o : options) {
              if (o.toString().contains("START_OFF_SET")) {
                startOffsets.add(o.toString());
              } else {
                kept.add(o);
              }
            }
            args = new Object[] {args[0], kept.toArray(new Storage.BlobListOption[0])};
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Storage)
        Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class}, h);
  }

  private void put(String key, String content) {
    fake.create(BlobInfo.newBuilder("lake", key).build(), content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void listFromReturnsTheFolderFromTheGivenNameInOrder() throws IOException {
    put("t/_delta_log/00000000000000000002.json", "two");
    put("t/_delta_log/00000000000000000000.json", "zero");
    put("t/_delta_log/00000000000000000001.checkpoint.parquet", "cp-one");
    put("t/_delta_log/00000000000000000001.json", "one!");
    put("t/_delta_log/_sidecars/a.parquet", "sidecar");
    put("t/part-0.parquet", "data");

    List<ObjectInfo> from1 = store.listFrom("gs://lake/t/_delta_log/00000000000000000001");
    assertThat(from1)
        .extracting(ObjectInfo::location)
        .containsExactly(
            "gs://lake/t/_delta_log/00000000000000000001.checkpoint.parquet",
            "gs://lake/t/_delta_log/00000000000000000001.json",
            "gs://lake/t/_delta_log/00000000000000000002.json");
    assertThat(from1).extracting(ObjectInfo::size).containsExactly(6L, 4L, 3L);
    assertThat(from1.get(0).modificationTime()).isPositive();
    assertThat(startOffsets).hasSize(1);
    assertThat(startOffsets.get(0)).contains("t/_delta_log/00000000000000000001");
    assertThat(store.listFrom("gs://lake/t/_delta_log/00000000000000000000"))
        .extracting(ObjectInfo::location)
        .hasSize(4)
        .doesNotContain("gs://lake/t/_delta_log/_sidecars/a.parquet");
  }

  @Test
  void nothingNewIsAnEmptyListButAnEmptyFolderIsNotFound() throws IOException {
    put("t/_delta_log/00000000000000000000.json", "zero");
    assertThat(store.listFrom("gs://lake/t/_delta_log/00000000000000000007")).isEmpty();
    assertThatThrownBy(() -> store.listFrom("gs://lake/missing/_delta_log/00000000000000000000"))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("gs://lake/missing/_delta_log/");
  }

  @Test
  void opensAtAnOffsetAndStatsObjects() throws IOException {
    put("t/data.bin", "0123456789abcdef");
    try (InputStream in = store.open("gs://lake/t/data.bin", 10)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abcdef");
    }
    try (InputStream in = store.open("gs://lake/t/data.bin", 0)) {
      assertThat(in.read()).isEqualTo('0');
      assertThat(new String(in.readNBytes(3), StandardCharsets.UTF_8)).isEqualTo("123");
    }
    ObjectInfo info = store.stat("gs://lake/t/data.bin");
    assertThat(info.size()).isEqualTo(16);
    assertThat(info.location()).isEqualTo("gs://lake/t/data.bin");
  }

  @Test
  void missingObjectsAreNotFound() {
    assertThatThrownBy(() -> store.stat("gs://lake/t/nope.json"))
        .isInstanceOf(FileNotFoundException.class);
    assertThatThrownBy(
            () -> {
              try (InputStream in = store.open("gs://lake/t/nope.json", 0)) {
                in.read();
              }
            })
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("gs://lake/t/nope.json");
  }

  /**
   * Kernel replays a table copied into the fake (commits plus a Parquet checkpoint, which is read
   * with seeks) to the same files as the local original.
   */
  @Test
  void kernelReadsACopiedTableLikeTheLocalOriginal(@TempDir Path dir) throws Exception {
    DemoInfo demo = DemoTable.write(dir);
    Engine engine = DefaultEngine.create(new Configuration());
    Table.forPath(engine, demo.tableRoot().toString()).checkpoint(engine, demo.latestVersion());
    try (Stream<Path> files = Files.walk(demo.tableRoot())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = "tables/sales/" + demo.tableRoot().relativize(f).toString().replace('\\', '/');
        fake.create(BlobInfo.newBuilder("lake", key).build(), Files.readAllBytes(f));
      }
    }
    assertThat(
            fake.get(
                "lake",
                String.format(
                    "tables/sales/_delta_log/%020d.checkpoint.parquet", demo.latestVersion())))
        .isNotNull();

    TableSnapshot local = new DeltaTables().forLocation(demo.tableRoot().toString()).latest();
    TableSnapshot remote =
        new DeltaTables(new Configuration(), Duration.ZERO, loc -> store)
            .forLocation("gs://lake/tables/sales")
            .latest();

    assertThat(remote.version()).isEqualTo(demo.latestVersion());
    assertThat(remote.schemaString()).isEqualTo(local.schemaString());
    assertThat(remote.partitionColumns()).containsExactly(DemoTable.PARTITION_COLUMN);
    List<String> localFiles = describe(local);
    List<String> remoteFiles = describe(remote);
    assertThat(remoteFiles).isNotEmpty().containsExactlyInAnyOrderElementsOf(localFiles);
    assertThat(absolutePaths(remote)).allMatch(p -> p.startsWith("gs://lake/tables/sales/"));
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

  private static List<String> absolutePaths(TableSnapshot s) throws IOException {
    List<String> out = new ArrayList<>();
    try (CloseableIterator<ScanFile> it = s.scanFiles()) {
      while (it.hasNext()) {
        out.add(it.next().absolutePath());
      }
    }
    return out;
  }
}
