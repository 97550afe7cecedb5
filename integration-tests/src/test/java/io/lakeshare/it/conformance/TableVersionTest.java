package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.TableRef;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CONFORMANCE §8.3: table version (cases 25-35), against delta-spark's commit history. */
class TableVersionTest {
  private static final String T = "/shares/s1/schemas/default/tables/";
  private static TestServer server;
  private static DeltaSharingClient client;
  private static FixtureTable hist;

  @BeforeAll
  static void start() {
    server = TestServer.get();
    client = server.client();
    hist = FixtureTables.get().table(FixtureTables.T_HIST);
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  @Test
  void getVersionAnswersLatestWithEmptyBody() {
    RawHttp.Answer a = server.raw().get(T + "t_plain/version");
    long latest = FixtureTables.get().table(FixtureTables.T_PLAIN).latestVersion();
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("Delta-Table-Version")).isEqualTo(Long.toString(latest));
    assertThat(a.body()).isEmpty();
    assertThat(a.header("delta-sharing-capabilities")).isNull();
    assertThat(client.getTableVersion(new TableRef("s1", "default", "t_plain"), null))
        .isEqualTo(latest);
  }

  @Test
  void headOnTableAnswersLatest() {
    RawHttp.Answer a = server.raw().head(T + "t_hist");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("Delta-Table-Version")).isEqualTo(Long.toString(hist.latestVersion()));
    assertThat(client.getTableVersionHead(new TableRef("s1", "default", "t_hist")))
        .isEqualTo(hist.latestVersion());
  }

  @Test
  void timestampBeforeFirstCommitYieldsVersionZero() {
    assertThat(version("2000-01-01T00:00:00Z")).isEqualTo(0);
  }

  @Test
  void timestampBetweenCommitsYieldsTheLaterVersion() {
    Instant v4 = hist.commitTimestamp(4);
    Instant v5 = hist.commitTimestamp(5);
    assertThat(v5).isAfter(v4.plusMillis(1));
    Instant between = v4.plusMillis(1);
    assertThat(version(between.toString())).isEqualTo(5);
  }

  @Test
  void timestampEqualToACommitYieldsThatVersion() {
    assertThat(version(hist.commitTimestamp(3).toString())).isEqualTo(3);
  }

  @Test
  void offsetTimestampsAreAccepted() {
    Instant v2 = hist.commitTimestamp(2);
    String withOffset = v2.atOffset(java.time.ZoneOffset.ofHours(-8)).toString();
    assertThat(version(withOffset)).isEqualTo(2);
  }

  @Test
  void startingTimestampNeedsHistorySharing() {
    Envelope.assertError(
        server.raw().get(T + "t_plain/version?startingTimestamp=2000-01-01T00:00:00Z"),
        400,
        "INVALID_PARAMETER_VALUE",
        "history sharing is not enabled on table: s1.default.t_plain");
  }

  @Test
  void unparseableTimestampIs400() {
    Envelope.assertError(
        server.raw().get(T + "t_hist/version?startingTimestamp=abc"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Invalid startingTimestamp");
  }

  @Test
  void timestampAfterLatestIs400() {
    Envelope.assertError(
        server.raw().get(T + "t_hist/version?startingTimestamp=9999-01-01T00:00:00Z"),
        400,
        "MALFORMED_REQUEST",
        "after the latest version");
  }

  @Test
  void timestampResolvingBelowStartVersionIs400() {
    Envelope.assertError(
        server.raw().get(T + "t_sv1/version?startingTimestamp=2000-01-01T00:00:00Z"),
        400,
        "INVALID_PARAMETER_VALUE",
        "You can only query table data since version 1");
  }

  @Test
  void unknownTableIs404AndHeadHasNoBody() {
    RawHttp.Answer head = server.raw().head(T + "nope");
    assertThat(head.status()).isEqualTo(404);
    assertThat(head.body()).isEmpty();
    Envelope.assertError(
        server.raw().get(T + "nope/version"),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "[Share/Schema/Table] 's1/default/nope' does not exist");
  }

  private static long version(String ts) {
    RawHttp.Answer a =
        server
            .raw()
            .get(
                T
                    + "t_hist/version?startingTimestamp="
                    + java.net.URLEncoder.encode(ts, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return Long.parseLong(a.header("Delta-Table-Version"));
  }
}
