package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.QueryResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONFORMANCE §8.9 (cases 118-129): change queries (E8 with {@code startingVersion}) against the
 * real server on tables delta-spark wrote; the expected files come from the Delta log itself.
 */
class ChangeQueryTest {
  private static Path stream;
  private static Path alter;
  private static Path upgrade;
  private static Path lost;
  private static TestServer server;
  private static DeltaSharingClient client;

  @BeforeAll
  static void start() throws Exception {
    FixtureTables.get();
    // v0 CREATE; v1-v3 INSERT; v4 OPTIMIZE; v5, v6 DELETE (rewrite files, no DVs).
    stream =
        ChangeTables.create(
            "t_stream",
            "CREATE TABLE $T (id BIGINT, v STRING) USING delta TBLPROPERTIES"
                + " ('delta.enableDeletionVectors' = 'false')",
            "INSERT INTO $T VALUES (1, 'a'), (2, 'b')",
            "INSERT INTO $T VALUES (3, 'c'), (4, 'd')",
            "INSERT INTO $T VALUES (5, 'e'), (6, 'f')",
            "OPTIMIZE $T",
            "DELETE FROM $T WHERE id = 1",
            "DELETE FROM $T WHERE id = 6");
    // v0 CREATE; v1 INSERT; v2, v3 ALTER ADD COLUMNS; v4 INSERT.
    alter =
        ChangeTables.create(
            "t_alter",
            "CREATE TABLE $T (id BIGINT) USING delta",
            "INSERT INTO $T VALUES (1)",
            "ALTER TABLE $T ADD COLUMNS (a STRING)",
            "ALTER TABLE $T ADD COLUMNS (b INT)",
            "INSERT INTO $T VALUES (2, 'x', 3)");
    // v0 CREATE; v1 INSERT; v2 reader version 2; v3 INSERT.
    upgrade =
        ChangeTables.create(
            "t_upgrade",
            "CREATE TABLE $T (id BIGINT) USING delta",
            "INSERT INTO $T VALUES (1)",
            "ALTER TABLE $T SET TBLPROPERTIES ('delta.minReaderVersion' = '2',"
                + " 'delta.minWriterVersion' = '5')",
            "INSERT INTO $T VALUES (2)");
    // Checkpoint every 2 commits; commit file 1 is then lost (the table still loads from v2).
    lost =
        ChangeTables.create(
            "t_lost",
            "CREATE TABLE $T (id BIGINT) USING delta TBLPROPERTIES"
                + " ('delta.checkpointInterval' = '2')",
            "INSERT INTO $T VALUES (1)",
            "INSERT INTO $T VALUES (2)",
            "INSERT INTO $T VALUES (3)");
    Files.delete(lost.resolve("_delta_log/00000000000000000001.json"));
    server =
        TestServer.get(
            new TestServer.Options()
                .table("t_stream", stream)
                .table("t_alter", alter)
                .table("t_upgrade", upgrade)
                .table("t_lost", lost));
    client = server.client();
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  private static List<ResponseAction> query(String table, QueryTableRequest r) {
    List<ResponseAction> out = new ArrayList<>();
    try (QueryResponse resp =
        client.queryTable(new TableRef("s1", "default", table), r, RequestOptions.NONE)) {
      assertThat(resp.tableVersion()).isEqualTo(r.startingVersion());
      while (resp.hasNext()) {
        out.add(resp.next());
      }
    }
    return out;
  }

  private static QueryTableRequest from(long start, Long end) {
    return QueryTableRequest.builder().startingVersion(start).endingVersion(end).build();
  }

  /** File lines as kind:id@version and metadata lines (after line 2) as meta@version. */
  private static List<String> describe(List<ResponseAction> lines) {
    List<String> out = new ArrayList<>();
    for (ResponseAction a : lines.subList(2, lines.size())) {
      if (a instanceof FileAction f) {
        assertThat(f.timestamp()).isNotNull();
        out.add(f.kind().wireName() + ":" + f.id() + "@" + f.version());
      } else if (a instanceof Metadata m) {
        out.add("meta@" + m.version());
      }
    }
    return out;
  }

  /** Data-change adds and removes of the log, in commit and log order. */
  private static List<String> expectedFromLog(Path table, long start, long end) {
    List<String> out = new ArrayList<>();
    for (long v = start; v <= end; v++) {
      for (ChangeTables.LoggedFile f : ChangeTables.logged(table, v)) {
        if (!f.kind().equals("cdc") && f.dataChange()) {
          out.add(f.kind() + ":" + QuerySnapshotTest.md5(f.path()) + "@" + v);
        }
      }
    }
    return out;
  }

  @Test
  void case118DataChangesWithoutOptimize() {
    List<ResponseAction> lines = query("t_stream", from(0, null));
    assertThat(((Metadata) lines.get(1)).version()).isEqualTo(0L);
    List<String> d = describe(lines);
    assertThat(d).isEqualTo(expectedFromLog(stream, 0, 6));
    assertThat(d).noneMatch(s -> s.endsWith("@4"));
    assertThat(d).filteredOn(s -> s.endsWith("@5")).anyMatch(s -> s.startsWith("remove:"));
    assertThat(d).filteredOn(s -> s.startsWith("add:")).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void historyFixtureMatchesTheLog() {
    Path hist = FixtureTables.get().table(FixtureTables.T_HIST).path();
    assertThat(describe(query("t_hist", from(1, 4L)))).isEqualTo(expectedFromLog(hist, 1, 4));
  }

  @Test
  void case119And120MetadataLinesAtSchemaChanges() {
    List<String> d = describe(query("t_alter", from(0, null)));
    assertThat(d).containsSubsequence("meta@2", "meta@3");
    assertThat(d.indexOf("meta@2"))
        .isGreaterThan(
            d.indexOf(d.stream().filter(s -> s.endsWith("@1")).findFirst().orElseThrow()));
    assertThat(d.get(d.size() - 1)).endsWith("@4");
    List<ResponseAction> only2 = query("t_alter", from(2, 2L));
    assertThat(only2).hasSize(2);
    assertThat(((Metadata) only2.get(1)).version()).isEqualTo(2L);
  }

  @Test
  void case121To126ErrorsNameTheProblem() {
    assertError(
        "t_hist",
        "{\"startingVersion\": 3, \"endingVersion\": 2}",
        400,
        "startingVersion(3) must be smaller than or equal to endingVersion(2).");
    assertError("t_hist", "{\"startingVersion\": -2}", 400, "startingVersion cannot be negative.");
    assertError(
        "t_hist",
        "{\"startingVersion\": 6}",
        400,
        "Cannot time travel Delta table to version 6. Available versions: [0, 5].");
    assertError(
        "t_plain",
        "{\"startingVersion\": 0}",
        400,
        "Reading table by version or timestamp is not supported");
    RawHttp.Answer up = server.raw().query("t_upgrade", "{\"startingVersion\": 0}");
    assertThat(up.status()).isEqualTo(400);
    assertThat(up.body())
        .contains("UNSUPPORTED_OPERATION", "Delta protocol version (2,5)", "version 2");
    assertThat(describe(query("t_upgrade", from(0, 1L)))).hasSize(1);
    assertError("t_dv", "{\"startingVersion\": 0}", 400, "deletion vectors");
    assertThat(describe(query("t_dv", from(0, 1L)))).isNotEmpty();
    assertError("t_cm", "{\"startingVersion\": 0}", 400, "column mapping");
    assertError(
        "t_sv1", "{\"startingVersion\": 0}", 400, "You can only query table data since version 1.");
  }

  @Test
  void case122EndBeyondLatestIsClamped() {
    Path hist = FixtureTables.get().table(FixtureTables.T_HIST).path();
    assertThat(describe(query("t_hist", from(2, 10L)))).isEqualTo(expectedFromLog(hist, 2, 5));
  }

  @Test
  void case128PagesKeepTheStartVersionHeader() {
    List<String> all = describe(query("t_stream", from(5, null)));
    List<String> paged = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String body =
          "{\"startingVersion\": 5, \"maxFiles\": 1"
              + (token == null ? "" : ", \"pageToken\": \"" + token + "\"")
              + "}";
      RawHttp.Answer a = server.raw().query("t_stream", body);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("Delta-Table-Version")).isEqualTo("5");
      List<String> lines = a.lines();
      for (String l : lines.subList(2, lines.size() - 1)) {
        FileAction f = (FileAction) WireJson.readAction(l);
        paged.add(f.kind().wireName() + ":" + f.id() + "@" + f.version());
      }
      String last = lines.get(lines.size() - 1);
      int i = last.indexOf("\"nextPageToken\":\"");
      token = i < 0 ? null : last.substring(i + 17, last.indexOf('"', i + 17));
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(all.size());
    assertThat(paged).isEqualTo(all);
  }

  @Test
  void case129MissingCommitFileIsAClearBadRequest() {
    RawHttp.Answer a = server.raw().query("t_lost", "{\"startingVersion\": 0}");
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body()).contains("history of versions 0 to 3 is not available");
    assertThat(a.body()).doesNotContain(lost.toString());
  }

  private static void assertError(String table, String body, int status, String fragment) {
    RawHttp.Answer a = server.raw().query(table, body);
    assertThat(a.status()).as(table + " " + body).isEqualTo(status);
    assertThat(a.body()).as(table + " " + body).contains(fragment);
  }
}
