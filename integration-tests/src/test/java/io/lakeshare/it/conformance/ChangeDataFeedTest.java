package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.fixtures.SparkFixture;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.QueryResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.ChangesRequest;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.ResponseAction;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONFORMANCE §8.10 (cases 130-154): the change data feed (E9) against the real server, on tables
 * delta-spark changed with inserts, updates, deletes and merges. The key check rebuilds the change
 * rows from the answered files and compares them with delta-spark's own {@code readChangeFeed}.
 */
class ChangeDataFeedTest {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeDataFeedTest.class);
  private static Path merge;
  private static Path cdfOff;
  private static TestServer server;
  private static DeltaSharingClient client;

  @BeforeAll
  static void start() {
    FixtureTables.get();
    // v0 CREATE; v1 INSERT 1-6; v2 MERGE (update 1-2, delete 3, insert 7); then a MERGE whose
    // only clause is false, which delta-spark does not commit at all (so the zero-row MERGE rule,
    // case 153, is tested on a hand-written log in sharing-server); v3 OPTIMIZE; v4 MERGE (insert
    // only); v5 DELETE whole partition b.
    merge =
        ChangeTables.create(
            "t_merge",
            "CREATE TABLE $T (id BIGINT, v STRING, p STRING) USING delta PARTITIONED BY (p)"
                + " TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true',"
                + " 'delta.enableDeletionVectors' = 'false')",
            "INSERT INTO $T SELECT /*+ COALESCE(1) */ * FROM VALUES (1, 'a', 'a'), (2, 'b', 'a'),"
                + " (3, 'c', 'b'), (4, 'd', 'b'), (5, 'e', 'c'), (6, 'f', 'c')",
            "MERGE INTO $T t USING (SELECT * FROM VALUES (1L, 'A', 'a'), (2L, 'B', 'a'),"
                + " (3L, 'x', 'b'), (7L, 'g', 'c') AS s(id, v, p)) s ON t.id = s.id"
                + " WHEN MATCHED AND s.id = 3 THEN DELETE WHEN MATCHED THEN UPDATE SET v = s.v"
                + " WHEN NOT MATCHED THEN INSERT *",
            "MERGE INTO $T t USING (SELECT * FROM VALUES (1L, 'z', 'a') AS s(id, v, p)) s"
                + " ON t.id = s.id WHEN MATCHED AND s.v = 'never' THEN UPDATE SET v = s.v",
            "OPTIMIZE $T",
            "MERGE INTO $T t USING (SELECT * FROM VALUES (8L, 'h', 'a') AS s(id, v, p)) s"
                + " ON t.id = s.id WHEN NOT MATCHED THEN INSERT *",
            "DELETE FROM $T WHERE p = 'b'");
    // v0 CREATE (CDF on); v1 INSERT; v2 CDF off; v3 INSERT.
    cdfOff =
        ChangeTables.create(
            "t_cdf_off",
            "CREATE TABLE $T (id BIGINT) USING delta TBLPROPERTIES"
                + " ('delta.enableChangeDataFeed' = 'true')",
            "INSERT INTO $T VALUES (1)",
            "ALTER TABLE $T SET TBLPROPERTIES ('delta.enableChangeDataFeed' = 'false')",
            "INSERT INTO $T VALUES (2)");
    server =
        TestServer.get(new TestServer.Options().table("t_merge", merge).table("t_cdf_off", cdfOff));
    client = server.client();
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  private static Path hist() {
    return FixtureTables.get().table(FixtureTables.T_HIST).path();
  }

  private static List<ResponseAction> changes(String table, ChangesRequest r) {
    List<ResponseAction> out = new ArrayList<>();
    try (QueryResponse resp =
        client.getChanges(new TableRef("s1", "default", table), r, RequestOptions.NONE)) {
      while (resp.hasNext()) {
        out.add(resp.next());
      }
    }
    return out;
  }

  private static List<FileAction> files(List<ResponseAction> lines) {
    return lines.stream().filter(a -> a instanceof FileAction).map(a -> (FileAction) a).toList();
  }

  private static ChangesRequest range(long start, Long end) {
    return ChangesRequest.builder().startingVersion(start).endingVersion(end).build();
  }

  /**
   * What the log says each version contributes: its cdc files if it has any, else its data-change
   * adds and removes, except for a MERGE that changed nothing.
   */
  private static List<String> expectedFromLog(Path table, long start, long end) {
    List<String> out = new ArrayList<>();
    for (long v = start; v <= end; v++) {
      List<ChangeTables.LoggedFile> logged = ChangeTables.logged(table, v);
      boolean cdc = logged.stream().anyMatch(f -> f.kind().equals("cdc"));
      for (ChangeTables.LoggedFile f : logged) {
        boolean answered = cdc ? f.kind().equals("cdc") : !f.kind().equals("cdc") && f.dataChange();
        if (answered) {
          out.add(
              (f.kind().equals("cdc") ? "cdf" : f.kind())
                  + ":"
                  + QuerySnapshotTest.md5(f.path())
                  + "@"
                  + v);
        }
      }
    }
    return out;
  }

  private static List<String> describe(List<FileAction> files) {
    return files.stream().map(f -> f.kind().wireName() + ":" + f.id() + "@" + f.version()).toList();
  }

  @Test
  void case130FileLinesPerVersionFollowTheLog() {
    List<ResponseAction> lines = changes("t_hist", range(0, 3L));
    List<FileAction> files = files(lines);
    assertThat(describe(files)).isEqualTo(expectedFromLog(hist(), 0, 3));
    // v3 is an UPDATE with change data: cdf lines only.
    assertThat(files)
        .filteredOn(f -> f.version() == 3)
        .isNotEmpty()
        .allMatch(f -> f.kind() == FileAction.Kind.CDF);
    assertThat(files).allMatch(f -> f.timestamp() != null && f.expirationTimestamp() != null);
    RawHttp.Answer raw =
        server
            .raw()
            .get(
                "/shares/s1/schemas/default/tables/t_hist/changes?startingVersion=0&endingVersion=3");
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.header("Delta-Table-Version")).isEqualTo("0");
    assertThat(raw.lines().get(4)).startsWith("{\"add\":{\"url\":");
  }

  @Test
  void case132And133LineTwoIsLatestUnlessHistoricalMetadataIsAsked() {
    Metadata latest = (Metadata) changes("t_hist", range(0, 3L)).get(1);
    assertThat(latest.version()).isEqualTo(5L);
    assertThat(latest.configuration()).containsEntry("enableChangeDataFeed", "true");
    RawHttp.Answer raw =
        server
            .raw()
            .get(
                "/shares/s1/schemas/default/tables/t_hist/changes?startingVersion=0&endingVersion=3"
                    + "&includeHistoricalMetadata=True");
    assertThat(raw.lines().get(1)).contains("\"version\":0");
  }

  @Test
  void case134TimestampsOfCommitsSelectTheirVersions() throws Exception {
    long t0 =
        java.nio.file.Files.getLastModifiedTime(
                hist().resolve("_delta_log/00000000000000000000.json"))
            .toMillis();
    long t3 =
        java.nio.file.Files.getLastModifiedTime(
                hist().resolve("_delta_log/00000000000000000003.json"))
            .toMillis();
    ChangesRequest r =
        ChangesRequest.builder()
            .startingTimestamp(Instant.ofEpochMilli(t0).toString())
            .endingTimestamp(Instant.ofEpochMilli(t3).toString())
            .build();
    List<FileAction> files = files(changes("t_hist", r));
    assertThat(describe(files)).isEqualTo(expectedFromLog(hist(), 0, 3));
    assertThat(files).allMatch(f -> f.version() != 3 || f.timestamp() == t3);
  }

  @Test
  void changeRowsEqualDeltaSparksReadChangeFeed() {
    long[][] histRanges = {{0, 5}, {1, 3}, {3, 3}, {2, 5}, {4, 5}};
    for (long[] r : histRanges) {
      assertSameRowsAsDeltaSpark("t_hist", hist(), r[0], r[1]);
    }
    long[][] mergeRanges = {{0, 5}, {2, 2}, {2, 4}, {3, 4}, {4, 5}};
    for (long[] r : mergeRanges) {
      assertSameRowsAsDeltaSpark("t_merge", merge, r[0], r[1]);
    }
  }

  private static void assertSameRowsAsDeltaSpark(String table, Path path, long start, long end) {
    StructType schema = SparkFixture.spark().read().format("delta").load(path.toString()).schema();
    List<FileAction> files = files(changes(table, range(start, end)));
    var ours = ChangeRows.rebuild(files, schema);
    var oracle = ChangeRows.oracle(path, start, end);
    List<String> expected = ChangeRows.sorted(oracle, schema, false);
    assertThat(ChangeRows.sorted(ours, schema, false))
        .as("%s [%d, %d]", table, start, end)
        .isEqualTo(expected);
    List<String> ourTimes = ChangeRows.sorted(ours, schema, true);
    List<String> sparkTimes = ChangeRows.sorted(oracle, schema, true);
    if (!ourTimes.equals(sparkTimes)) {
      LOG.warn(
          "{} [{}, {}]: _commit_timestamp differs: ours {} delta-spark {}",
          table,
          start,
          end,
          ourTimes,
          sparkTimes);
    }
    assertThat(ourTimes)
        .as("_commit_timestamp of %s [%d, %d]", table, start, end)
        .isEqualTo(sparkTimes);
  }

  @Test
  void case135To148ErrorsNameTheProblem() {
    assertError(
        "t_plain", "startingVersion=0", 400, "cdf is not enabled on table s1.default.t_plain");
    assertError(
        "t_hist", "", 400, "No startingVersion or startingTimestamp provided for CDF read.");
    assertError(
        "t_hist",
        "startingVersion=1&startingTimestamp=2022-02-02T00:00:00Z",
        400,
        "Multiple starting arguments provided for CDF read.");
    assertError(
        "t_hist",
        "startingVersion=1&endingVersion=3&endingTimestamp=x",
        400,
        "Multiple ending arguments provided for CDF read.");
    assertError("t_hist", "startingVersion=abc", 400, "startingVersion is not a valid number.");
    assertError("t_hist", "startingTimestamp=2022-04-29", 400, "Invalid startingTimestamp");
    assertError(
        "t_hist",
        "startingVersion=2&endingVersion=1",
        400,
        "CDF range from start 2 to end 1 was invalid. End cannot be before start.");
    assertError(
        "t_hist",
        "startingVersion=6",
        400,
        "Provided Start version(6) for reading change data is invalid. Start version cannot be"
            + " greater than the latest version of the table(5).");
    assertError(
        "t_cdf_off",
        "startingVersion=0&endingVersion=3",
        400,
        "Error getting change data for range [0, 3] as change data was not recorded for version [2]");
    assertError("t_part", "startingVersion=0", 400, "change data was not recorded for version [0]");
    assertError(
        "t_sv1", "startingVersion=0", 400, "You can only query table changes since version 1.");
    assertError(
        "t_hist", "startingVersion=-1", 400, "You can only query table changes since version 0.");
    assertError(
        "t_hist", "startingTimestamp=2000-01-01T00:00:00-08:00", 400, "2000-01-01T00:00:00-08:00");
    assertError(
        "t_hist", "startingTimestamp=9999-01-01T00:00:00-08:00", 400, "9999-01-01T00:00:00-08:00");
    assertError("t_hist", "startingVersion=0&maxFiles=-1", 400, "maxFiles must be positive.");
    assertError(
        "t_hist",
        "startingVersion=0&maxFiles=string",
        400,
        "expected a number but the string didn't have the appropriate format");
    assertError("t_dv", "startingVersion=0", 400, "change data was not recorded for version [0]");
  }

  private static void assertError(String table, String query, int status, String fragment) {
    RawHttp.Answer a =
        server.raw().get("/shares/s1/schemas/default/tables/" + table + "/changes?" + query);
    assertThat(a.status()).as(table + "?" + query).isEqualTo(status);
    assertThat(a.body()).as(table + "?" + query).contains(fragment);
  }

  @Test
  void case149And152EndBeyondLatestIsClampedAndUnknownParametersIgnored() {
    RawHttp.Answer a =
        server
            .raw()
            .get(
                "/shares/s1/schemas/default/tables/t_hist/changes?startingVersion=0&endingVersion=99"
                    + "&readChangeFeed=true");
    assertThat(a.status()).isEqualTo(200);
    assertThat(describe(files(changes("t_hist", range(0, 99L)))))
        .isEqualTo(expectedFromLog(hist(), 0, 5));
  }

  @Test
  void case150And154PagesWithUnencodedTokens() {
    List<String> all = describe(files(changes("t_hist", range(0, 5L))));
    List<String> paged = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String q =
          "startingVersion=0&endingVersion=5&maxFiles=2"
              + (token == null ? "" : "&pageToken=" + token);
      RawHttp.Answer a = server.raw().get("/shares/s1/schemas/default/tables/t_hist/changes?" + q);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("Delta-Table-Version")).isEqualTo("0");
      List<String> lines = a.lines();
      String last = lines.get(lines.size() - 1);
      assertThat(last).startsWith("{\"endStreamAction\"");
      for (String l : lines.subList(2, lines.size() - 1)) {
        FileAction f = (FileAction) io.lakeshare.protocol.json.WireJson.readAction(l);
        paged.add(f.kind().wireName() + ":" + f.id() + "@" + f.version());
      }
      assertThat(lines.size() - 3).isLessThanOrEqualTo(2);
      int i = last.indexOf("\"nextPageToken\":\"");
      token = i < 0 ? null : last.substring(i + 17, last.indexOf('"', i + 17));
      pages++;
    } while (token != null);
    assertThat(pages).isGreaterThan(1);
    assertThat(paged).isEqualTo(all);
  }
}
