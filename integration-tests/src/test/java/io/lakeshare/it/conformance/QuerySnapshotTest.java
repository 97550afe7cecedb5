package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.fixtures.OracleFile;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.QueryResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CONFORMANCE §8.5: snapshot queries (cases 54-75). File lists, sizes, partition values and row
 * counts are compared with what delta-spark reports for the same table version.
 */
class QuerySnapshotTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;
  private static DeltaSharingClient client;

  @BeforeAll
  static void start() {
    server = TestServer.get();
    client = server.client();
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  static List<FileAction> files(String table, QueryTableRequest r) {
    return Queries.files(table, r);
  }

  /** Asserts the answered files are exactly the oracle's active files of that version. */
  static void assertSameFiles(List<FileAction> answered, FixtureTable table, long version) {
    List<OracleFile> oracle = table.activeFiles(version);
    Map<String, OracleFile> byId = new HashMap<>();
    for (OracleFile o : oracle) {
      byId.put(md5(o.path()), o);
    }
    assertThat(answered)
        .extracting(FileAction::id)
        .containsExactlyInAnyOrderElementsOf(byId.keySet());
    for (FileAction f : answered) {
      OracleFile o = byId.get(f.id());
      assertThat(f.size()).isEqualTo(o.size());
      assertThat(f.partitionValues()).isEqualTo(o.partitionValues());
      if (o.numRecords() != null) {
        assertThat(io.lakeshare.it.conformance.Stats.numRecords(f.stats()))
            .isEqualTo(o.numRecords());
      }
    }
    long rows = answered.stream().mapToLong(f -> Stats.numRecords(f.stats())).sum();
    assertThat(rows).isEqualTo(table.rowCount(version));
  }

  static String md5(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("MD5")
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void latestSnapshotOfUnpartitionedTable() throws Exception {
    RawHttp.Answer a = server.raw().query("t_plain", "{}");
    FixtureTable plain = FixtureTables.get().table(FixtureTables.T_PLAIN);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("Delta-Table-Version")).isEqualTo(Long.toString(plain.latestVersion()));
    assertThat(a.header("delta-sharing-capabilities")).isEqualTo("responseformat=parquet");
    List<String> lines = a.lines();
    assertThat(lines).hasSize(2 + plain.activeFiles(plain.latestVersion()).size());
    assertThat(lines.get(0)).isEqualTo("{\"protocol\":{\"minReaderVersion\":1}}");
    JsonNode file = JSON.readTree(lines.get(2)).get("file");
    assertThat(file.get("url").asText()).startsWith("http://127.0.0.1:" + server.port() + "/");
    assertThat(file.get("partitionValues").toString()).isEqualTo("{}");
    assertThat(file.has("version")).isFalse();
    assertThat(file.has("timestamp")).isFalse();
    assertThat(file.get("expirationTimestamp").asLong()).isGreaterThan(System.currentTimeMillis());
    assertThat(file.get("stats").asText()).contains("numRecords");
    assertThat(lines.get(lines.size() - 1)).doesNotContain("endStreamAction");
    assertSameFiles(files("t_plain", QueryTableRequest.EMPTY), plain, plain.latestVersion());
  }

  @ParameterizedTest
  @ValueSource(strings = {"t_part", "t_hist", "t_types", "t_types_part", "t_dv_clean", "t_sv1"})
  void latestSnapshotEqualsTheOracle(String name) {
    FixtureTable t = FixtureTables.get().table(name);
    assertSameFiles(files(name, QueryTableRequest.EMPTY), t, t.latestVersion());
  }

  @Test
  void everyVersionOfTheCheckpointedTableEqualsTheOracle() {
    FixtureTable hist = FixtureTables.get().table(FixtureTables.T_HIST);
    for (long v = 0; v <= hist.latestVersion(); v++) {
      List<FileAction> f = files("t_hist", QueryTableRequest.builder().version(v).build());
      assertSameFiles(f, hist, v);
      long version = v;
      assertThat(f)
          .allSatisfy(
              x -> {
                assertThat(x.version()).isEqualTo(version);
                assertThat(x.timestamp()).isEqualTo(hist.commitTimestamp(version).toEpochMilli());
              });
    }
  }

  @Test
  void nullPartitionValuesArePassedThrough() {
    FixtureTable part = FixtureTables.get().table(FixtureTables.T_PART);
    List<FileAction> f = files("t_part", QueryTableRequest.EMPTY);
    assertThat(f).anySatisfy(x -> assertThat(x.partitionValues()).containsEntry("date", null));
  }

  @Test
  void emptyTableAnswersOnlyProtocolAndMetadata() {
    RawHttp.Answer a = server.raw().query("t_empty", "{}");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.lines()).hasSize(2);
    assertThat(a.header("Delta-Table-Version")).isEqualTo("0");
  }

  @Test
  void zeroLengthBodyIsTreatedAsEmptyObject() {
    RawHttp.Answer a = server.raw().query("t_plain", "");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.lines()).hasSize(4);
  }

  @Test
  void malformedBodies() {
    Envelope.assertError(
        server.raw().query("t_plain", "{\"predicateHints\": {}}"),
        400,
        "MALFORMED_REQUEST",
        "Expected an array for repeated field predicateHints");
    Envelope.assertError(
        server.raw().query("t_plain", "{\"version\": \"x3\"}"),
        400,
        "MALFORMED_REQUEST",
        "Not a numeric value: x3");
    Envelope.assertError(server.raw().query("t_plain", "not json"), 400, "MALFORMED_REQUEST", null);
    Envelope.assertError(server.raw().query("t_plain", "[1,2]"), 400, "MALFORMED_REQUEST", null);
  }

  @Test
  void unknownFieldsAreIgnoredAndNumericStringsAccepted() {
    RawHttp.Answer a = server.raw().query("t_hist", "{\"someFutureField\": 1, \"version\": \"1\"}");
    RawHttp.Answer b = server.raw().query("t_hist", "{\"version\": 1}");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("Delta-Table-Version")).isEqualTo("1");
    assertThat(ids(a)).isEqualTo(ids(b));
  }

  @Test
  void fileIdsAreStableAcrossRequests() {
    assertThat(ids(server.raw().query("t_part", "{}")))
        .isEqualTo(ids(server.raw().query("t_part", "{}")));
  }

  @Test
  void includeEndStreamActionEndsWithMinimumExpiry() throws Exception {
    RawHttp.Answer a =
        server
            .raw()
            .query("t_plain", "{}", "delta-sharing-capabilities", "includeendstreamaction=true");
    assertThat(a.header("delta-sharing-capabilities"))
        .isEqualTo("responseformat=parquet;includeendstreamaction=true");
    List<String> lines = a.lines();
    JsonNode end = JSON.readTree(lines.get(lines.size() - 1)).get("endStreamAction");
    assertThat(end).isNotNull();
    long min = Long.MAX_VALUE;
    for (String l : lines.subList(2, lines.size() - 1)) {
      min = Math.min(min, JSON.readTree(l).get("file").get("expirationTimestamp").asLong());
    }
    assertThat(end.get("minUrlExpirationTimestamp").asLong()).isEqualTo(min);
  }

  @Test
  void timestampQueryResolvesToTheVersionAtOrBefore() {
    FixtureTable hist = FixtureTables.get().table(FixtureTables.T_HIST);
    String exact = hist.commitTimestamp(1).toString();
    String between = hist.commitTimestamp(1).plusMillis(1).toString();
    for (String ts : List.of(exact, between)) {
      RawHttp.Answer a = server.raw().query("t_hist", "{\"timestamp\": \"" + ts + "\"}");
      assertThat(a.header("Delta-Table-Version")).as(ts).isEqualTo("1");
    }
    assertSameFiles(
        files("t_hist", QueryTableRequest.builder().timestamp(between).build()), hist, 1);
  }

  @Test
  void modeAndVersionErrors() {
    Envelope.assertError(
        server.raw().query("t_hist", "{\"version\": 1, \"timestamp\": \"2021-01-01T00:00:00Z\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Please only provide one of: version,timestamp,startingVersion");
    Envelope.assertError(
        server.raw().query("t_hist", "{\"startingVersion\": 2, \"version\": 3}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Please only provide one of: version,timestamp,startingVersion");
    Envelope.assertError(
        server.raw().query("t_hist", "{\"version\": -2}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "table version cannot be negative.");
    Envelope.assertError(
        server.raw().query("t_hist", "{\"version\": 99}"),
        400,
        "MALFORMED_REQUEST",
        "Cannot load table version 99");
    Envelope.assertError(
        server.raw().query("t_plain", "{\"version\": 1}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "history sharing is not enabled on table: s1.default.t_plain");
    Envelope.assertError(
        server.raw().query("t_plain", "{\"timestamp\": \"abc\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "history sharing is not enabled");
    Envelope.assertError(
        server.raw().query("t_hist", "{\"timestamp\": \"2000-01-01T00:00:00-08:00\"}"),
        400,
        "MALFORMED_REQUEST",
        "before the earliest available version");
    Envelope.assertError(
        server.raw().query("t_hist", "{\"timestamp\": \"9999-01-01T00:00:00-08:00\"}"),
        400,
        "MALFORMED_REQUEST",
        "after the latest available version");
  }

  @Test
  void startVersionIsAFloorForVersionTimestampAndLatest() {
    Envelope.assertError(
        server.raw().query("t_sv1", "{\"version\": 0}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "You can only query table data since version 1.");
    FixtureTable sv1 = FixtureTables.get().table(FixtureTables.T_SV1);
    String atV0 = sv1.commitTimestamp(0).toString();
    Envelope.assertError(
        server.raw().query("t_sv1", "{\"timestamp\": \"" + atV0 + "\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "You can only query table data since version 1.");
    assertThat(server.raw().query("t_sv1", "{\"version\": 1}").status()).isEqualTo(200);
  }

  @Test
  void limitHintReturnsJustEnoughFiles() {
    FixtureTable part = FixtureTables.get().table(FixtureTables.T_PART);
    List<FileAction> all = files("t_part", QueryTableRequest.EMPTY);
    List<FileAction> limited = files("t_part", QueryTableRequest.builder().limitHint(1L).build());
    assertThat(limited).hasSize(1);
    assertThat(Stats.numRecords(limited.get(0).stats())).isGreaterThanOrEqualTo(1);
    long firstTwo = Stats.numRecords(all.get(0).stats()) + 1;
    List<FileAction> two = files("t_part", QueryTableRequest.builder().limitHint(firstTwo).build());
    assertThat(two).hasSize(2);
    assertThat(all.size()).isEqualTo(part.activeFiles(part.latestVersion()).size());
    assertThat(files("t_part", QueryTableRequest.builder().limitHint(0L).build())).isEmpty();
  }

  @Test
  void limitHintAppliesAfterPredicates() {
    String hint =
        "{\"op\":\"equal\",\"children\":[{\"op\":\"column\",\"name\":\"date\",\"valueType\":\"date\"},"
            + "{\"op\":\"literal\",\"value\":\"2021-04-30\",\"valueType\":\"date\"}]}";
    List<FileAction> f =
        files("t_part", QueryTableRequest.builder().jsonPredicateHints(hint).limitHint(1L).build());
    assertThat(f).hasSize(1);
    assertThat(f.get(0).partitionValues()).containsEntry("date", "2021-04-30");
  }

  private static List<String> ids(RawHttp.Answer a) {
    List<String> ids = new ArrayList<>();
    for (String l : a.lines()) {
      try {
        JsonNode n = JSON.readTree(l);
        if (n.has("file")) {
          ids.add(n.get("file").get("id").asText());
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return ids;
  }
}
