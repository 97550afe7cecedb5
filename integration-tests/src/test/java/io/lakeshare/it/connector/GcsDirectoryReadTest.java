package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.messages;
import static io.lakeshare.it.connector.Connector.oracleChanges;
import static io.lakeshare.it.connector.Connector.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.protocol.profile.ProfileParser;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.storage.gcs.JsonApiFake;
import io.lakeshare.spark.read.GcsDirectoryFileSystem;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.DataFrameReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Directory access to tables on Cloud Storage, end to end: fixture tables written by delta-spark
 * are uploaded to {@link JsonApiFake} (the JSON API, the OAuth endpoint and the Security Token
 * Service's downscoped-token exchange, over real HTTP), a Lakeshare server shares them from there
 * with {@code directoryAccess} and the fake as its {@code stsEndpoint}, and the connector reads
 * them with {@code accessMode dir} through its own read-only {@code gs://} file system. The fake
 * enforces the tokens: the server's downscoped token reads its table's prefix only. The fake serves
 * no signed-URL (XML API) downloads, so every row read here came through the directory.
 */
class GcsDirectoryReadTest {
  private static final String TOKEN = "gcs-dir-test-token-0123456789";
  private static final String BUCKET = "lake";
  private static final String[] TABLES = {
    FixtureTables.T_DV_HIST, FixtureTables.T_CM_NAME, FixtureTables.T_TYPES_PART
  };

  @TempDir static Path dir;
  private static JsonApiFake gcs;
  private static SharingServer server;
  private static String profile;

  @BeforeAll
  static void start() throws Exception {
    // three entries per listing page, so that the server and the connector both page through
    gcs = new JsonApiFake(BUCKET).pageSize(3);
    StringBuilder yaml =
        new StringBuilder("version: 1\nshares:\n- name: g\n  schemas:\n  - name: default\n")
            .append("    tables:\n");
    for (String name : TABLES) {
      gcs.putTree("warehouse/" + name, FixtureTables.get().table(name).path());
      yaml.append("    - name: ")
          .append(name)
          .append("\n      location: gs://")
          .append(BUCKET)
          .append("/warehouse/")
          .append(name)
          .append("\n      storage: gcs\n      historyShared: true\n");
    }
    gcs.enforceTokens();
    yaml.append("storage:\n- name: gcs\n  type: gcs\n")
        .append("  serviceAccountKey: '")
        .append(gcs.serviceAccountKey())
        .append("'\n  endpoint: ")
        .append(gcs.endpoint())
        .append("\n  directoryAccess: true\n  stsEndpoint: ")
        .append(gcs.endpoint())
        .append("\nauthorization:\n  bearerToken: ")
        .append(TOKEN)
        .append("\nhost: 127.0.0.1\nport: 0\n");
    server = SharingServer.start(ConfigLoader.parse(yaml.toString(), "gcs-dir-test.yaml"));
    Path p = dir.resolve("gcs.share");
    Files.writeString(
        p,
        "{\"shareCredentialsVersion\":1,\"endpoint\":\""
            + server.endpointUrl()
            + "\",\"bearerToken\":\""
            + TOKEN
            + "\"}");
    profile = p.toString();
    // The recipient's own setting for where the JSON API is (the GCS connector's name for it).
    spark()
        .sparkContext()
        .hadoopConfiguration()
        .set(GcsDirectoryFileSystem.ROOT_URL, gcs.endpoint());
  }

  @AfterAll
  static void stop() throws Exception {
    spark().sparkContext().hadoopConfiguration().unset(GcsDirectoryFileSystem.ROOT_URL);
    if (server != null) {
      server.close();
    }
    if (gcs != null) {
      gcs.close();
    }
  }

  private static String url(String table) {
    return profile + "#g.default." + table;
  }

  private static DataFrameReader reader() {
    return spark().read().format("deltaSharing").option("accessMode", "dir");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {FixtureTables.T_DV_HIST, FixtureTables.T_CM_NAME, FixtureTables.T_TYPES_PART})
  void snapshotsEqualDeltaSparkAtTheLatestAndAnOldVersion(String name) {
    FixtureTable t = FixtureTables.get().table(name);
    assertSameData(reader().load(url(name)), t.read(t.latestVersion()));
    long old = Math.max(1, t.latestVersion() / 2);
    assertSameData(reader().option("versionAsOf", old).load(url(name)), t.read(old));
    // every token the connector used was a downscoped one, issued for this table's prefix
    assertThat(gcs.downscopedTokens()).containsValue("warehouse/" + name + "/");
    assertThat(gcs.downscopedTokens().values()).allMatch(p -> p.startsWith("warehouse/t_"));
  }

  @Test
  void changeDataFeedOfADeletionVectorTableEqualsDeltaSpark() {
    FixtureTable t = FixtureTables.get().table(FixtureTables.T_DV_HIST);
    assertSameData(
        reader()
            .option("readChangeFeed", "true")
            .option("startingVersion", 1)
            .option("endingVersion", 7)
            .load(url(FixtureTables.T_DV_HIST)),
        oracleChanges(t, 1, 7));
  }

  @Test
  void filtersOnPartitionsOfEveryTypeEqualDeltaSpark() {
    FixtureTable t = FixtureTables.get().table(FixtureTables.T_TYPES_PART);
    List<String> partitions = t.partitionColumns();
    String where = partitions.get(0) + " IS NOT NULL";
    assertSameData(
        reader().load(url(FixtureTables.T_TYPES_PART)).where(where),
        t.read(t.latestVersion()).where(where));
  }

  /** The file system on its own, with a token that the fake limits to one table's prefix. */
  @Test
  void theFileSystemListsStatsAndReadsWithinItsTokenOnly() throws Exception {
    String token = downscopedTokenFor("warehouse/" + FixtureTables.T_CM_NAME);
    Configuration conf = new Configuration(false);
    conf.set("fs.gs.impl", GcsDirectoryFileSystem.class.getName());
    conf.set(GcsDirectoryFileSystem.ROOT_URL, gcs.endpoint() + "/");
    conf.set(GcsDirectoryFileSystem.tokenKey(BUCKET), token);
    Path local = FixtureTables.get().table(FixtureTables.T_CM_NAME).path();
    String root = "gs://" + BUCKET + "/warehouse/" + FixtureTables.T_CM_NAME;
    try (FileSystem fs = FileSystem.newInstance(URI.create(root), conf)) {
      assertThat(fs).isInstanceOf(GcsDirectoryFileSystem.class);
      FileStatus[] log = fs.listStatus(new org.apache.hadoop.fs.Path(root + "/_delta_log"));
      List<String> expected;
      try (var s = Files.list(local.resolve("_delta_log"))) {
        // object stores have no empty directories
        expected =
            s.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
      }
      assertThat(Arrays.stream(log).map(f -> f.getPath().getName()).sorted().toList())
          .isEqualTo(expected);
      assertThat(gcs.requests())
          .anyMatch(
              r ->
                  r.contains("warehouse%2F" + FixtureTables.T_CM_NAME) && r.contains("pageToken="));
      // the table root: its files, and its non-empty directories (object stores keep no others)
      FileStatus[] top = fs.listStatus(new org.apache.hadoop.fs.Path(root));
      List<String> expectedTop;
      try (var s = Files.list(local)) {
        expectedTop =
            s.filter(GcsDirectoryReadTest::holdsAFile)
                .map(f -> f.getFileName() + (Files.isDirectory(f) ? "/" : ""))
                .sorted()
                .toList();
      }
      assertThat(
              Arrays.stream(top)
                  .map(f -> f.getPath().getName() + (f.isDirectory() ? "/" : ""))
                  .sorted()
                  .toList())
          .isEqualTo(expectedTop)
          .contains("_delta_log/");
      String first = "00000000000000000000.json";
      byte[] bytes = Files.readAllBytes(local.resolve("_delta_log").resolve(first));
      org.apache.hadoop.fs.Path commit =
          new org.apache.hadoop.fs.Path(root + "/_delta_log/" + first);
      FileStatus st = fs.getFileStatus(commit);
      assertThat(st.isFile()).isTrue();
      assertThat(st.getLen()).isEqualTo(bytes.length);
      assertThat(
              fs.getFileStatus(new org.apache.hadoop.fs.Path(root + "/_delta_log")).isDirectory())
          .isTrue();
      try (FSDataInputStream in = fs.open(commit)) {
        assertThat(in.readAllBytes()).isEqualTo(bytes);
        byte[] middle = new byte[10];
        in.readFully(5, middle);
        assertThat(middle).isEqualTo(Arrays.copyOfRange(bytes, 5, 15));
        in.seek(bytes.length - 3);
        assertThat(in.readAllBytes())
            .isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 3, bytes.length));
      }
      assertThatThrownBy(() -> fs.getFileStatus(new org.apache.hadoop.fs.Path(root + "/missing")))
          .isInstanceOf(FileNotFoundException.class)
          .hasMessageContaining(root + "/missing");
      String other = "gs://" + BUCKET + "/warehouse/" + FixtureTables.T_DV_HIST + "/_delta_log";
      Throwable denied = catchThrowable(() -> fs.listStatus(new org.apache.hadoop.fs.Path(other)));
      assertThat(denied).isInstanceOf(AccessDeniedException.class).hasMessageContaining(other);
      assertThat(messages(denied)).doesNotContain(token);
      assertThatThrownBy(() -> fs.delete(commit, false))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("read-only");
      assertThatThrownBy(() -> fs.create(new org.apache.hadoop.fs.Path(root + "/x")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("read-only");
    }
  }

  @Test
  void aFileSystemWithoutATokenIsRefusedNamingTheSetting() {
    Configuration conf = new Configuration(false);
    conf.set("fs.gs.impl", GcsDirectoryFileSystem.class.getName());
    assertThatThrownBy(() -> FileSystem.newInstance(URI.create("gs://lake/t"), conf))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(GcsDirectoryFileSystem.tokenKey("lake"));
  }

  private static boolean holdsAFile(Path p) {
    try (var all = Files.walk(p)) {
      return all.anyMatch(Files::isRegularFile);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A downscoped token from the server, as the connector gets it. */
  private static String downscopedTokenFor(String prefix) throws Exception {
    Map<String, String> before = gcs.downscopedTokens();
    String table = prefix.substring(prefix.lastIndexOf('/') + 1);
    TemporaryCredentials c;
    try (DeltaSharingClient client =
        DeltaSharingClient.builder(
                ProfileParser.parse(Files.readString(Path.of(profile)), "gcs profile"))
            .build()) {
      c = client.generateTemporaryTableCredential(new TableRef("g", "default", table), null);
    }
    assertThat(c.location()).isEqualTo("gs://" + BUCKET + "/" + prefix);
    assertThat(gcs.downscopedTokens()).hasSize(before.size() + 1);
    assertThat(gcs.downscopedTokens()).containsEntry(c.gcp().oauthToken(), prefix + "/");
    return c.gcp().oauthToken();
  }
}
