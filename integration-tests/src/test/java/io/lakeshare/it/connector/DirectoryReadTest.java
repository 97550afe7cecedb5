package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.messages;
import static io.lakeshare.it.connector.Connector.oracleChanges;
import static io.lakeshare.it.connector.Connector.profileFile;
import static io.lakeshare.it.connector.Connector.rows;
import static io.lakeshare.it.connector.Connector.spark;
import static io.lakeshare.it.connector.Connector.streamAvailableNow;
import static io.lakeshare.it.connector.Connector.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.spark.DirectoryGrants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads through directory access ({@code accessMode dir}) end to end in Spark: snapshots with time
 * travel, batch change data feeds and streams, each equal to delta-spark's read of the same table.
 * The connector reads the fixture tables' own Delta logs with its Delta Kernel and the files from
 * their directories. The server vends directory credentials for cloud tables only, so the tests
 * hand the connector credentials for each local table's {@code file:} root ({@link
 * DirectoryGrants}); the S3 path with credentials from the server is
 * python/tests/test_directory_access.py.
 */
class DirectoryReadTest {
  private static final String[] TABLES = {
    FixtureTables.T_HIST,
    FixtureTables.T_DV_HIST,
    FixtureTables.T_CM_NAME,
    FixtureTables.T_CM_ID,
    FixtureTables.T_PART,
    FixtureTables.T_TYPES_PART,
    FixtureTables.T_PLAIN
  };

  @TempDir static Path dir;

  @BeforeAll
  static void grant() {
    for (String name : TABLES) {
      DirectoryGrants.grant(url(name), FixtureTables.get().table(name).path());
    }
  }

  @AfterAll
  static void revoke() {
    for (String name : TABLES) {
      DirectoryGrants.revoke(url(name));
    }
  }

  private static FixtureTable fixture(String name) {
    return FixtureTables.get().table(name);
  }

  private static DataFrameReader reader() {
    return spark().read().format("deltaSharing").option("accessMode", "dir");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        FixtureTables.T_DV_HIST,
        FixtureTables.T_CM_NAME,
        FixtureTables.T_CM_ID,
        FixtureTables.T_TYPES_PART,
        FixtureTables.T_PART
      })
  void snapshotsAtEveryVersionEqualDeltaSpark(String name) {
    FixtureTable t = fixture(name);
    assertSameData(reader().load(url(name)), t.read(t.latestVersion()));
    for (long v = 1; v < t.latestVersion(); v++) {
      assertSameData(reader().option("versionAsOf", v).load(url(name)), t.read(v));
    }
  }

  @Test
  void filteredSnapshotsEqualDeltaSpark() {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    assertSameData(
        reader().load(url(FixtureTables.T_DV_HIST)).where("part = 'b' AND id > 9"),
        t.read(t.latestVersion()).where("part = 'b' AND id > 9"));
  }

  @ParameterizedTest
  @CsvSource({
    "t_hist,0,5",
    "t_hist,1,3",
    "t_hist,3,3",
    "t_dv_hist,1,7",
    "t_dv_hist,2,3",
    "t_dv_hist,4,5",
    "t_dv_hist,3,6",
    "t_cm_id,3,4",
    "t_cm_id,0,1",
    "t_cm_name,6,7",
    "t_cm_name,8,9"
  })
  void changeDataFeedsEqualDeltaSpark(String name, long from, long to) {
    FixtureTable t = fixture(name);
    Dataset<Row> df =
        reader()
            .option("readChangeFeed", "true")
            .option("startingVersion", from)
            .option("endingVersion", to)
            .load(url(name));
    assertSameData(df, oracleChanges(t, from, to));
  }

  @Test
  void changeDataFeedTimestampsAndOpenEndsEqualDeltaSpark() {
    FixtureTable t = fixture(FixtureTables.T_HIST);
    Dataset<Row> byTime =
        reader()
            .option("readChangeFeed", "true")
            .option("startingTimestamp", t.commitTimestamp(2).toString())
            .option("endingTimestamp", t.commitTimestamp(4).toString())
            .load(url(FixtureTables.T_HIST));
    assertSameData(byTime, oracleChanges(t, 2, 4));
    // an ending version the table has not reached reads to the latest, as the server does
    Dataset<Row> open =
        reader()
            .option("readChangeFeed", "true")
            .option("startingVersion", 2)
            .option("endingVersion", 99)
            .load(url(FixtureTables.T_HIST));
    assertSameData(open, oracleChanges(t, 2, t.latestVersion()));
  }

  @Test
  void changeDataFeedOfATableWithoutChangeDataFailsNamingTheTableAndProperty() {
    Throwable e =
        catchThrowable(
            () ->
                reader()
                    .option("readChangeFeed", "true")
                    .option("startingVersion", 0)
                    .load(url(FixtureTables.T_PLAIN))
                    .collect());
    assertThat(messages(e))
        .contains("s1.default.t_plain")
        .contains("delta.enableChangeDataFeed")
        .contains("version [0]");
  }

  @Test
  void changeDataFeedStartingAfterTheLatestVersionFailsNamingTheVersions() {
    FixtureTable t = fixture(FixtureTables.T_HIST);
    Throwable e =
        catchThrowable(
            () ->
                reader()
                    .option("readChangeFeed", "true")
                    .option("startingVersion", t.latestVersion() + 3)
                    .load(url(FixtureTables.T_HIST))
                    .collect());
    assertThat(messages(e))
        .contains("s1.default.t_hist")
        .contains("version " + (t.latestVersion() + 3))
        .contains("latest version " + t.latestVersion());
  }

  /**
   * A dir read lists the directory its credentials name, not what the server would list: a copy of
   * a table with one more commit, granted under a table the server serves from the original, reads
   * the copy's rows; URL mode still reads the original.
   */
  @Test
  void readsTheDirectoryTheCredentialsScope() throws IOException {
    FixtureTable t = fixture(FixtureTables.T_PLAIN);
    Path copy = dir.resolve("t_plain_copy");
    copyTree(t.path(), copy);
    spark().sql("INSERT INTO delta.`" + copy + "` VALUES (100, 'extra', 1.5)");
    TestServer server = TestServer.get(new TestServer.Options().table("t_copy", t.path()));
    String table = profileFile(server) + "#s1.default.t_copy";
    DirectoryGrants.grant(table, copy);
    try {
      Dataset<Row> viaDir = reader().load(table);
      assertSameData(viaDir, spark().read().format("delta").load(copy.toString()));
      assertThat(rows(viaDir.where("id = 100"))).containsExactly("[100, extra, 1.5]");
      assertSameData(spark().read().format("deltaSharing").load(table), t.read(t.latestVersion()));
    } finally {
      DirectoryGrants.revoke(table);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      all.forEach(
          p -> {
            try {
              Path target = to.resolve(from.relativize(p).toString());
              if (Files.isDirectory(p)) {
                Files.createDirectories(target);
              } else {
                Files.copy(p, target);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }

  /**
   * Without credentials (the server refuses them for its local tables), {@code auto} reads change
   * feeds and streams through URLs and {@code dir} fails with the server's reason.
   */
  @Test
  void withoutCredentialsAutoReadsThroughUrlsAndDirFails() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_HIST);
    DirectoryGrants.revoke(url(FixtureTables.T_HIST));
    try {
      Dataset<Row> auto =
          spark()
              .read()
              .format("deltaSharing")
              .option("accessMode", "auto")
              .option("readChangeFeed", "true")
              .option("startingVersion", 1)
              .load(url(FixtureTables.T_HIST));
      assertSameData(auto, oracleChanges(t, 1, t.latestVersion()));
      Throwable e =
          catchThrowable(
              () ->
                  reader()
                      .option("readChangeFeed", "true")
                      .option("startingVersion", 1)
                      .load(url(FixtureTables.T_HIST))
                      .collect());
      assertThat(messages(e)).contains("s1.default.t_hist").contains("temporary credentials");
      Throwable s = catchThrowable(() -> stream(FixtureTables.T_HIST, "startingVersion", "1"));
      assertThat(messages(s)).contains("s1.default.t_hist").contains("temporary credentials");
    } finally {
      DirectoryGrants.grant(url(FixtureTables.T_HIST), t.path());
    }
  }

  private List<Row> stream(String table, String... options) throws Exception {
    return streamAvailableNow(
        spark().readStream().format("deltaSharing").option("accessMode", "dir"),
        url(table),
        dir,
        options);
  }

  @Test
  void streamsFromTheSnapshotEqualTheLatestVersion() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    List<Row> got = stream(FixtureTables.T_DV_HIST, "maxFilesPerTrigger", "2");
    Dataset<Row> latest = t.read(t.latestVersion());
    assertThat(rows(spark().createDataFrame(got, latest.schema()))).isEqualTo(rows(latest));
  }

  @Test
  void streamsOfChangesSkipChangeCommitsAsOptionsSay() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    List<Row> got =
        stream(
            FixtureTables.T_DV_HIST,
            "startingVersion",
            "1",
            "skipChangeCommits",
            "true",
            "maxFilesPerTrigger",
            "1");
    // v1 and v6 are the only commits that only add files
    Dataset<Row> expected = t.read(1).union(t.read(6).where("part = 'c'"));
    assertThat(rows(spark().createDataFrame(got, t.read(0).schema()))).isEqualTo(rows(expected));
    Throwable e = catchThrowable(() -> stream(FixtureTables.T_DV_HIST, "startingVersion", "1"));
    assertThat(messages(e))
        .contains("t_dv_hist")
        .contains("version 2")
        .contains("skipChangeCommits");
  }

  @ParameterizedTest
  @CsvSource({"t_dv_hist,1", "t_hist,0", "t_cm_id,3"})
  void changeDataFeedStreamsEqualDeltaSpark(String name, long from) throws Exception {
    FixtureTable t = fixture(name);
    List<Row> got =
        stream(
            name,
            "readChangeFeed",
            "true",
            "startingVersion",
            Long.toString(from),
            "maxFilesPerTrigger",
            "2");
    Dataset<Row> oracle = oracleChanges(t, from, t.latestVersion());
    assertThat(rows(spark().createDataFrame(got, oracle.schema()))).isEqualTo(rows(oracle));
  }

  @Test
  void streamsFromATimestampStartAtTheFirstLaterCommit() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_HIST);
    List<Row> got =
        stream(
            FixtureTables.T_HIST,
            "readChangeFeed",
            "true",
            "startingTimestamp",
            t.commitTimestamp(3).minusMillis(1).toString());
    Dataset<Row> oracle = oracleChanges(t, 3, t.latestVersion());
    assertThat(rows(spark().createDataFrame(got, oracle.schema()))).isEqualTo(rows(oracle));
  }
}
