package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.profileFile;
import static io.lakeshare.it.connector.Connector.rows;
import static io.lakeshare.it.connector.Connector.spark;
import static io.lakeshare.it.connector.Connector.url;
import static io.lakeshare.it.fixtures.SparkFixture.EXHAUSTIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structured Streaming reads with {@code Trigger.AvailableNow}, checked against delta-spark. */
class StreamingReadTest {
  private static final AtomicInteger NAMES = new AtomicInteger();
  @TempDir Path dir;

  /** A table that the test changes with delta-spark; one file per commit. */
  private final class Table {
    final Path path;
    final String sql;
    final String url;

    Table(String name, boolean cdf) {
      path = dir.resolve(name);
      sql = "delta.`" + path + "`";
      spark()
          .sql(
              "CREATE TABLE "
                  + sql
                  + " (id BIGINT, v STRING) USING delta TBLPROPERTIES ("
                  + "'delta.enableChangeDataFeed' = '"
                  + cdf
                  + "', 'delta.enableDeletionVectors' = 'false')");
      TestServer server = TestServer.get(new TestServer.Options().table(name, path));
      url = profileFile(server) + "#s1.default." + name;
    }

    void insert(long from, long to) {
      spark()
          .range(from, to)
          .selectExpr("id", "concat('v', id) AS v")
          .coalesce(1)
          .write()
          .format("delta")
          .mode("append")
          .save(path.toString());
    }

    Dataset<Row> oracle() {
      return spark().read().format("delta").load(path.toString());
    }
  }

  private static DataStreamReader stream() {
    return spark().readStream().format("deltaSharing");
  }

  /** Runs {@code df} to the end with AvailableNow into parquet files; returns the progress. */
  private static List<StreamingQueryProgress> runToEnd(Dataset<Row> df, Path out, Path checkpoint)
      throws Exception {
    StreamingQuery q =
        df.writeStream()
            .format("parquet")
            .option("path", out.toString())
            .option("checkpointLocation", checkpoint.toString())
            .trigger(Trigger.AvailableNow())
            .start();
    q.awaitTermination();
    List<StreamingQueryProgress> batches = new ArrayList<>();
    for (StreamingQueryProgress p : q.recentProgress()) {
      if (p.numInputRows() > 0) {
        batches.add(p);
      }
    }
    return batches;
  }

  private static List<Long> rowsPerBatch(List<StreamingQueryProgress> batches) {
    return batches.stream().map(StreamingQueryProgress::numInputRows).toList();
  }

  @Test
  void initialSnapshotInBatchesOfMaxFilesPerTrigger() throws Exception {
    FixtureTable part = FixtureTables.get().table(FixtureTables.T_PART);
    Path out = dir.resolve("out");
    List<StreamingQueryProgress> batches =
        runToEnd(
            stream().option("maxFilesPerTrigger", 2).load(url(FixtureTables.T_PART)),
            out,
            dir.resolve("cp"));
    assertSameData(spark().read().parquet(out.toString()), part.read(part.latestVersion()));
    // 6 files, 2 per batch
    assertThat(batches).hasSize(3);
    assertThat(rowsPerBatch(batches).stream().mapToLong(Long::longValue).sum()).isEqualTo(10);
  }

  @Test
  void maxBytesPerTriggerIsASoftLimitOfAtLeastOneFile() throws Exception {
    Path out = dir.resolve("out");
    List<StreamingQueryProgress> batches =
        runToEnd(
            stream().option("maxBytesPerTrigger", "1b").load(url(FixtureTables.T_PART)),
            out,
            dir.resolve("cp"));
    assertThat(batches).hasSize(6);
    assertThat(spark().read().parquet(out.toString()).count()).isEqualTo(10);
  }

  @Tag(EXHAUSTIVE)
  @Test
  void restartFromTheCheckpointReadsNewCommitsExactlyOnce() throws Exception {
    Table t = new Table("t_restart_" + NAMES.incrementAndGet(), false);
    t.insert(0, 3);
    t.insert(3, 5);
    Path out = dir.resolve("out");
    Path cp = dir.resolve("cp");
    runToEnd(stream().option("maxFilesPerTrigger", 1).load(t.url), out, cp);
    assertSameData(spark().read().parquet(out.toString()), t.oracle());
    t.insert(5, 9);
    t.insert(9, 10);
    t.insert(10, 12);
    List<StreamingQueryProgress> second =
        runToEnd(stream().option("maxFilesPerTrigger", 2).load(t.url), out, cp);
    assertThat(rowsPerBatch(second)).containsExactly(5L, 2L);
    assertSameData(spark().read().parquet(out.toString()), t.oracle());
    // nothing new: a third run reads nothing and duplicates nothing
    assertThat(runToEnd(stream().load(t.url), out, cp)).isEmpty();
    assertThat(spark().read().parquet(out.toString()).count()).isEqualTo(12);
  }

  @Test
  void startingVersionAndLatest() throws Exception {
    Table t = new Table("t_start_" + NAMES.incrementAndGet(), false);
    t.insert(0, 2); // v1
    t.insert(2, 5); // v2
    runToEnd(
        stream().option("startingVersion", 2).load(t.url), dir.resolve("o1"), dir.resolve("c1"));
    assertThat(rows(spark().read().parquet(dir.resolve("o1").toString()).select("id")))
        .containsExactly("[2]", "[3]", "[4]");
    Path out = dir.resolve("o2");
    Path cp = dir.resolve("c2");
    assertThat(runToEnd(stream().option("startingVersion", "latest").load(t.url), out, cp))
        .isEmpty();
    t.insert(5, 6);
    runToEnd(stream().option("startingVersion", "latest").load(t.url), out, cp);
    assertThat(rows(spark().read().parquet(out.toString()).select("id"))).containsExactly("[5]");
  }

  @Test
  void deletesAndUpdatesFailTheStreamUnlessAnOptionSaysWhatToDo() throws Exception {
    Table t = new Table("t_changes_" + NAMES.incrementAndGet(), false);
    t.insert(0, 3); // v1: file A
    t.insert(3, 5); // v2: file B
    spark().sql("DELETE FROM " + t.sql + " WHERE id < 3"); // v3: removes A whole, adds nothing
    spark().sql("UPDATE " + t.sql + " SET v = 'changed' WHERE id = 3"); // v4: rewrites B
    t.insert(5, 6); // v5

    Throwable plain =
        catchThrowable(
            () ->
                runToEnd(
                    stream().option("startingVersion", 1).load(t.url),
                    dir.resolve("o1"),
                    dir.resolve("c1")));
    assertThat(Connector.messages(plain)).contains("at version 3").contains("ignoreDeletes");

    Throwable deletesOnly =
        catchThrowable(
            () ->
                runToEnd(
                    stream().option("startingVersion", 1).option("ignoreDeletes", true).load(t.url),
                    dir.resolve("o2"),
                    dir.resolve("c2")));
    assertThat(Connector.messages(deletesOnly))
        .contains("at version 4")
        .contains("skipChangeCommits");

    Path skip = dir.resolve("o3");
    runToEnd(
        stream().option("startingVersion", 1).option("skipChangeCommits", true).load(t.url),
        skip,
        dir.resolve("c3"));
    // v1, v2 and v5 as written; the delete (v3) and the rewrite of v4 are skipped
    assertThat(rows(spark().read().parquet(skip.toString()).select("id", "v")))
        .containsExactly("[0, v0]", "[1, v1]", "[2, v2]", "[3, v3]", "[4, v4]", "[5, v5]");

    Path changes = dir.resolve("o4");
    runToEnd(
        stream().option("startingVersion", 1).option("ignoreChanges", true).load(t.url),
        changes,
        dir.resolve("c4"));
    // ignoreChanges re-reads the file v4 rewrote: rows 3 (now changed) and 4 come again
    assertThat(rows(spark().read().parquet(changes.toString()).select("id", "v")))
        .containsExactly(
            "[0, v0]",
            "[1, v1]",
            "[2, v2]",
            "[3, changed]",
            "[3, v3]",
            "[4, v4]",
            "[4, v4]",
            "[5, v5]");
  }

  @Test
  void changeFeedStreamEqualsDeltaSparksChangeFeed() throws Exception {
    FixtureTable hist = FixtureTables.get().table(FixtureTables.T_HIST);
    Path out = dir.resolve("out");
    runToEnd(
        stream()
            .option("readChangeFeed", "true")
            .option("startingVersion", 0)
            .option("maxFilesPerTrigger", 2)
            .load(url(FixtureTables.T_HIST)),
        out,
        dir.resolve("cp"));
    Dataset<Row> oracle =
        spark()
            .read()
            .format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", 0)
            .load(hist.path().toString());
    assertSameData(spark().read().parquet(out.toString()), oracle);
  }

  @Tag(EXHAUSTIVE)
  @Test
  void changeWindowsAskedForAheadReadEveryCommitOnce() throws Exception {
    // windows of 2 versions and one file per batch: each batch's planning finds the next window
    // already asked for (prefetched while the previous batch ran)
    Table t = new Table("t_windows_" + NAMES.incrementAndGet(), false);
    for (int i = 0; i < 7; i++) {
      t.insert(i * 10L, i * 10L + 1 + i); // v1..v7 with 1..7 rows
    }
    Path out = dir.resolve("out");
    List<StreamingQueryProgress> batches =
        runToEnd(
            stream()
                .option("startingVersion", 1)
                .option("maxVersionsPerRpc", 2)
                .option("maxFilesPerTrigger", 1)
                .load(t.url),
            out,
            dir.resolve("cp"));
    assertThat(rowsPerBatch(batches)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertSameData(spark().read().parquet(out.toString()), t.oracle());

    FixtureTable hist = FixtureTables.get().table(FixtureTables.T_HIST);
    Path cdf = dir.resolve("cdf");
    runToEnd(
        stream()
            .option("readChangeFeed", "true")
            .option("startingVersion", 0)
            .option("maxVersionsPerRpc", 1)
            .option("maxFilesPerTrigger", 1)
            .load(url(FixtureTables.T_HIST)),
        cdf,
        dir.resolve("cp-cdf"));
    assertSameData(
        spark().read().parquet(cdf.toString()),
        spark()
            .read()
            .format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", 0)
            .load(hist.path().toString()));
  }

  @Test
  void aCheckpointOfAnotherTableIsRefused() throws Exception {
    Path cp = dir.resolve("cp");
    runToEnd(stream().load(url(FixtureTables.T_HIST)), dir.resolve("o1"), cp);
    Throwable e =
        catchThrowable(
            () -> runToEnd(stream().load(url(FixtureTables.T_PART)), dir.resolve("o2"), cp));
    assertThat(Connector.messages(e)).contains("belongs to another table").contains("t_part");
  }

  @Tag(EXHAUSTIVE)
  @Test
  void anIncompatibleSchemaChangeStopsTheStream() throws Exception {
    Table t = new Table("t_schema_" + NAMES.incrementAndGet(), false);
    t.insert(0, 2);
    Dataset<Row> df = stream().option("startingVersion", 0).load(t.url);
    spark().sql("ALTER TABLE " + t.sql + " ADD COLUMNS (extra INT)");
    t.insert(2, 3);
    Throwable e = catchThrowable(() -> runToEnd(df, dir.resolve("o"), dir.resolve("c")));
    assertThat(Connector.messages(e)).contains("schema").contains("new checkpoint");
  }

  @Test
  void timeTravelOptionsAreRefusedInStreams() {
    Throwable e =
        catchThrowable(
            () ->
                runToEnd(
                    stream().option("versionAsOf", 1).load(url(FixtureTables.T_HIST)),
                    dir.resolve("o"),
                    dir.resolve("c")));
    assertThat(Connector.messages(e)).contains("versionAsOf").contains("startingVersion");
  }
}
