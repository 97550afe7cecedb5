package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.profileFile;
import static io.lakeshare.it.connector.Connector.spark;
import static io.lakeshare.it.connector.Connector.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.TestServer;
import java.nio.file.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Batch change data feed reads equal delta-spark's own {@code readChangeFeed}. */
class ChangeFeedReadTest {
  @TempDir static Path dir;
  private static Path merged;

  /** CDF on; inserts, a MERGE with update, delete and insert clauses, then an update. */
  @BeforeAll
  static void writeMergeTable() {
    merged = dir.resolve("t_merge");
    String t = "delta.`" + merged + "`";
    spark()
        .sql(
            "CREATE TABLE "
                + t
                + " (id INT, v STRING, p STRING) USING delta PARTITIONED BY (p)"
                + " TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true',"
                + " 'delta.enableDeletionVectors' = 'false')");
    spark().sql("INSERT INTO " + t + " VALUES (1, 'a', 'x'), (2, 'b', 'x'), (3, 'c', 'y')");
    spark().sql("INSERT INTO " + t + " VALUES (4, 'd', 'y')");
    spark()
        .sql(
            "MERGE INTO "
                + t
                + " t USING (SELECT * FROM VALUES (1, 'A', 'x'), (3, 'gone', 'y'), (5, 'e', 'x')"
                + " AS s(id, v, p)) s ON t.id = s.id"
                + " WHEN MATCHED AND s.v = 'gone' THEN DELETE"
                + " WHEN MATCHED THEN UPDATE SET v = s.v"
                + " WHEN NOT MATCHED THEN INSERT *");
    spark().sql("UPDATE " + t + " SET v = 'D' WHERE id = 4");
  }

  private static DataFrameReader cdf() {
    return spark().read().format("deltaSharing").option("readChangeFeed", "true");
  }

  private static Dataset<Row> oracle(String path, long from, long to) {
    return spark()
        .read()
        .format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", from)
        .option("endingVersion", to)
        .load(path);
  }

  @ParameterizedTest
  @CsvSource({"0,5", "1,3", "2,4", "3,3", "4,5"})
  void versionRangesEqualDeltaSpark(long from, long to) {
    FixtureTable t = FixtureTables.get().table(FixtureTables.T_HIST);
    Dataset<Row> df =
        cdf()
            .option("startingVersion", from)
            .option("endingVersion", to)
            .load(url(FixtureTables.T_HIST));
    assertSameData(df, oracle(t.path().toString(), from, to));
  }

  @Test
  void withoutAnEndTheFeedRunsToTheLatestVersion() {
    FixtureTable t = FixtureTables.get().table(FixtureTables.T_HIST);
    Dataset<Row> df = cdf().option("startingVersion", 2).load(url(FixtureTables.T_HIST));
    assertSameData(df, oracle(t.path().toString(), 2, t.latestVersion()));
  }

  @Test
  void timestampRangesEqualDeltaSpark() {
    FixtureTable t = FixtureTables.get().table(FixtureTables.T_HIST);
    Dataset<Row> df =
        cdf()
            .option("startingTimestamp", t.commitTimestamp(2).toString())
            .option("endingTimestamp", t.commitTimestamp(4).toString())
            .load(url(FixtureTables.T_HIST));
    assertSameData(df, oracle(t.path().toString(), 2, 4));
  }

  @Test
  void mergeCommitsEqualDeltaSpark() {
    TestServer server = TestServer.get(new TestServer.Options().table("t_merge", merged));
    String table = profileFile(server) + "#s1.default.t_merge";
    for (long[] r : new long[][] {{0, 4}, {3, 3}, {2, 4}}) {
      Dataset<Row> df =
          cdf().option("startingVersion", r[0]).option("endingVersion", r[1]).load(table);
      assertSameData(df, oracle(merged.toString(), r[0], r[1]));
    }
  }

  @Test
  void projectionAndFiltersWork() {
    FixtureTable t = FixtureTables.get().table(FixtureTables.T_HIST);
    Dataset<Row> df =
        cdf()
            .option("startingVersion", 0)
            .load(url(FixtureTables.T_HIST))
            .where("_change_type != 'insert' AND part = 'a'")
            .select("_commit_version", "id", "_change_type");
    assertSameData(
        df,
        oracle(t.path().toString(), 0, t.latestVersion())
            .where("_change_type != 'insert' AND part = 'a'")
            .select("_commit_version", "id", "_change_type"));
  }

  @Test
  void tablesWithoutChangeDataFeedFailWithTheServersReason() {
    Throwable e =
        catchThrowable(
            () -> cdf().option("startingVersion", 0).load(url(FixtureTables.T_PLAIN)).count());
    assertThat(Connector.messages(e)).contains("s1.default.t_plain").contains("HTTP 400");
  }

  @Test
  void aBatchFeedNeedsAStart() {
    Throwable e = catchThrowable(() -> cdf().load(url(FixtureTables.T_HIST)).count());
    assertThat(Connector.messages(e))
        .contains("readChangeFeed")
        .contains("startingVersion or startingTimestamp");
  }
}
