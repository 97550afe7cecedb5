package io.lakeshare.it.conformance;

import static io.lakeshare.it.conformance.QuerySnapshotTest.files;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.fixtures.OracleFile;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.QueryTableRequest;
import java.util.List;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONFORMANCE §8.6: predicate hints (cases 76-89). Pruning is checked against delta-spark: every
 * file that holds a matching row must be answered, and files are really dropped.
 */
class FilterHintsTest {
  private static FixtureTable part;
  private static int allFiles;

  @BeforeAll
  static void start() {
    TestServer.get();
    part = FixtureTables.get().table(FixtureTables.T_PART);
    allFiles = part.activeFiles(part.latestVersion()).size();
  }

  private static String dateEq(String date) {
    return "{\"op\":\"equal\",\"children\":[{\"op\":\"column\",\"name\":\"date\",\"valueType\":"
        + "\"date\"},{\"op\":\"literal\",\"value\":\""
        + date
        + "\",\"valueType\":\"date\"}]}";
  }

  private static List<FileAction> withJson(String table, String hint) {
    return files(table, QueryTableRequest.builder().jsonPredicateHints(hint).build());
  }

  @Test
  void sqlHintsAreIgnoredByDefault() {
    List<FileAction> f =
        files(
            "t_part",
            QueryTableRequest.builder().predicateHints(List.of("date = '2021-04-28'")).build());
    assertThat(f).hasSize(allFiles);
  }

  @Test
  void sqlHintsPruneWhenEnabled() {
    TestServer on = TestServer.get(new TestServer.Options().with("evaluatePredicateHints: true"));
    try (var client = on.client();
        var resp =
            client.queryTable(
                new io.lakeshare.protocol.client.TableRef("s1", "default", "t_part"),
                QueryTableRequest.builder()
                    .predicateHints(List.of("date = CAST('2021-04-28' AS DATE)", "date === 1"))
                    .build(),
                io.lakeshare.protocol.client.RequestOptions.NONE)) {
      long expected =
          part.activeFiles(part.latestVersion()).stream()
              .filter(o -> "2021-04-28".equals(o.partitionValues().get("date")))
              .count();
      long got = 0;
      while (resp.hasNext()) {
        if (resp.next() instanceof FileAction fa) {
          assertThat(fa.partitionValues()).containsEntry("date", "2021-04-28");
          got++;
        }
      }
      assertThat(got).isEqualTo(expected).isGreaterThan(0);
    }
  }

  @Test
  void unparseableSqlHintKeepsEveryFile() {
    List<FileAction> f =
        files("t_part", QueryTableRequest.builder().predicateHints(List.of("date === 1")).build());
    assertThat(f).hasSize(allFiles);
  }

  @Test
  void jsonPartitionEqualityPrunesToThatPartition() {
    List<FileAction> f = withJson("t_part", dateEq("2021-04-28"));
    long expected =
        part.activeFiles(part.latestVersion()).stream()
            .filter(o -> "2021-04-28".equals(o.partitionValues().get("date")))
            .count();
    assertThat(f).hasSize((int) expected);
    assertThat(f)
        .allSatisfy(x -> assertThat(x.partitionValues()).containsEntry("date", "2021-04-28"));
    assertThat(expected).isLessThan(allFiles);
  }

  @Test
  void partitionAndStatsPruningTogetherNeverLoseMatchingRows() {
    String hint =
        "{\"op\":\"and\",\"children\":["
            + "{\"op\":\"greaterThanOrEqual\",\"children\":[{\"op\":\"column\",\"name\":\"date\","
            + "\"valueType\":\"date\"},{\"op\":\"literal\",\"value\":\"2021-04-28\",\"valueType\":"
            + "\"date\"}]},"
            + "{\"op\":\"lessThan\",\"children\":[{\"op\":\"column\",\"name\":\"id\",\"valueType\":"
            + "\"int\"},{\"op\":\"literal\",\"value\":\"3\",\"valueType\":\"int\"}]}]}";
    List<FileAction> f = withJson("t_part", hint);
    // Oracle: the files delta-spark reads for the same filter.
    List<String> matchingFiles =
        part.read(part.latestVersion())
            .where("date >= DATE'2021-04-28' AND id < 3")
            .select(functions.input_file_name())
            .distinct()
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    List<String> answered = f.stream().map(x -> x.id()).toList();
    for (String file : matchingFiles) {
      String name = file.substring(file.lastIndexOf('/') + 1);
      OracleFile o =
          part.activeFiles(part.latestVersion()).stream()
              .filter(x -> x.path().endsWith(name))
              .findFirst()
              .orElseThrow();
      assertThat(answered).contains(QuerySnapshotTest.md5(o.path()));
    }
    assertThat(f.size()).isLessThan(allFiles);
  }

  @Test
  void invalidJsonHintsKeepEveryFile() {
    for (String hint :
        List.of(
            "",
            "{op:",
            "{\"op\":\"between\",\"children\":[]}",
            "{\"op\":\"equal\",\"children\":[{\"op\":\"column\",\"name\":\"date\",\"valueType\":"
                + "\"date\"},{\"op\":\"literal\",\"value\":\"1\",\"valueType\":\"int\"}]}")) {
      assertThat(withJson("t_part", hint)).as(hint).hasSize(allFiles);
    }
  }

  @Test
  void oversizedAndTooDeepHintsAreIgnored() {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      deep.append("{\"op\":\"not\",\"children\":[");
    }
    deep.append(dateEq("2021-04-28"));
    for (int i = 0; i < 120; i++) {
      deep.append("]}");
    }
    assertThat(withJson("t_part", deep.toString())).hasSize(allFiles);
    String big =
        "{\"op\":\"or\",\"children\":["
            + dateEq("2021-04-28")
            + ","
            + (dateEq("2021-04-29") + ",").repeat(9000)
            + dateEq("2021-04-30")
            + "]}";
    assertThat(big.length()).isGreaterThan(1_048_576);
    assertThat(withJson("t_part", big)).hasSize(allFiles);
  }

  @Test
  void hintSentAsAnObjectIsAccepted() {
    RawHttp.Answer a =
        TestServer.get()
            .raw()
            .query("t_part", "{\"jsonPredicateHints\": " + dateEq("2021-04-28") + "}");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.lines().size() - 2).isLessThan(allFiles);
  }

  @Test
  void notOverAStatsRangeKeepsTheFile() {
    // t_plain's v1 file holds ids 1..3: not(id = 2) matches ids 1 and 3, so the file must stay.
    String hint =
        "{\"op\":\"not\",\"children\":[{\"op\":\"equal\",\"children\":[{\"op\":\"column\",\"name\":"
            + "\"id\",\"valueType\":\"long\"},{\"op\":\"literal\",\"value\":\"2\",\"valueType\":"
            + "\"long\"}]}]}";
    FixtureTable plain = FixtureTables.get().table(FixtureTables.T_PLAIN);
    long matching = plain.read(plain.latestVersion()).where("NOT (id = 2)").count();
    List<FileAction> f = withJson("t_plain", hint);
    assertThat(matching).isGreaterThan(0);
    assertThat(f).hasSize(plain.activeFiles(plain.latestVersion()).size());
  }

  @Test
  void isNullOnDataColumnWithNullsKeepsTheFile() {
    // t_types' v2 file is a row of nulls; isNull(c_int) must keep it.
    String hint =
        "{\"op\":\"isNull\",\"children\":[{\"op\":\"column\",\"name\":\"c_int\",\"valueType\":"
            + "\"int\"}]}";
    FixtureTable types = FixtureTables.get().table(FixtureTables.T_TYPES);
    long nullRows = types.read(types.latestVersion()).where("c_int IS NULL").count();
    assertThat(nullRows).isGreaterThan(0);
    assertThat(withJson("t_types", hint)).isNotEmpty();
  }

  @Test
  void andWithUnsupportedChildStillPrunesButOrDoesNot() {
    String unsupported = "{\"op\":\"between\",\"children\":[]}";
    List<FileAction> and =
        withJson(
            "t_part",
            "{\"op\":\"and\",\"children\":[" + dateEq("2021-04-28") + "," + unsupported + "]}");
    assertThat(and.size()).isLessThan(allFiles);
    List<FileAction> or =
        withJson(
            "t_part",
            "{\"op\":\"or\",\"children\":[" + dateEq("2021-04-28") + "," + unsupported + "]}");
    assertThat(or).hasSize(allFiles);
  }
}
