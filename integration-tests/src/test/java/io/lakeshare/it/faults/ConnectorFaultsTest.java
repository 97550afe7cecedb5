package io.lakeshare.it.faults;

import static io.lakeshare.it.faults.Bounded.messages;
import static io.lakeshare.it.faults.Bounded.rows;
import static io.lakeshare.it.faults.Bounded.spark;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connector reads through a {@link FaultProxy} that resets, stalls, truncates and refuses the
 * server's answers and file downloads, and restarts the server mid-scan. Every read must either
 * return exactly delta-spark's rows or fail with an error naming the table, within the bounds the
 * {@code spark.delta.sharing.network.*} confs set; never wrong rows, never a hang.
 */
class ConnectorFaultsTest {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorFaultsTest.class);
  private static final String NUM_RETRIES = "spark.delta.sharing.network.numRetries";
  private static final String RETRY_SLEEP = "spark.delta.sharing.network.retrySleepInterval";
  private static final String MAX_RETRY = "spark.delta.sharing.network.maxRetryDuration";
  private static final String TIMEOUT = "spark.delta.sharing.network.timeout";

  /** Short retries and a 3 s network timeout, so that each fault costs seconds. */
  private static final Map<String, String> FAST =
      Map.of(NUM_RETRIES, "4", RETRY_SLEEP, "100ms", MAX_RETRY, "30s", TIMEOUT, "3s");

  private static final Duration LIMIT = Duration.ofSeconds(40);

  private static final Predicate<FaultProxy.Request> QUERY = FaultProxy.Request::isQuery;
  private static final Predicate<FaultProxy.Request> FILES = FaultProxy.Request::isFile;

  private static ProxiedServer server;
  private static FaultProxy proxy;
  private static List<String> partRows;
  private static List<String> dvRows;

  @BeforeAll
  static void start() throws Exception {
    server = ProxiedServer.start(new TestServer.Options());
    proxy = server.proxy();
    FixtureTable part = FixtureTables.get().table(FixtureTables.T_PART);
    FixtureTable dv = FixtureTables.get().table(FixtureTables.T_DV_HIST);
    partRows = rows(part.read(part.latestVersion()));
    dvRows = rows(dv.read(dv.latestVersion()));
    // A healthy read first, with the default confs, as any earlier test class of the JVM does.
    assertThat(rows(df(FixtureTables.T_PART, Map.of()))).isEqualTo(partRows);
  }

  @AfterEach
  void clearFaults() {
    proxy.reset();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static Dataset<Row> df(String table, Map<String, String> options) {
    return spark().read().format("deltaSharing").options(options).load(server.url(table));
  }

  /** Reads {@code table} through the proxy with {@code confs}, bounded by {@code limit}. */
  private static Bounded.Outcome<List<String>> read(
      String table, Map<String, String> confs, Map<String, String> options, Duration limit) {
    try (Bounded.Confs c = new Bounded.Confs(confs)) {
      return Bounded.run(limit, proxy::release, () -> rows(df(table, options)));
    }
  }

  private static Bounded.Outcome<List<String>> read(String table, Map<String, String> confs) {
    return read(table, confs, Map.of(), LIMIT);
  }

  private static Map<String, String> fast(String... overrides) {
    Map<String, String> m = new HashMap<>(FAST);
    for (int i = 0; i + 1 < overrides.length; i += 2) {
      m.put(overrides[i], overrides[i + 1]);
    }
    return m;
  }

  private static void assertOracleRows(Bounded.Outcome<List<String>> o, List<String> oracle) {
    assertThat(o.timedOut())
        .as("the read hung for %s; proxy log: %s", o.took(), proxy.tail(40))
        .isFalse();
    assertThat(o.failure())
        .as("the read failed: %s; proxy log: %s", messages(o.failure()), proxy.tail(40))
        .isNull();
    assertThat(o.value()).containsExactlyElementsOf(oracle);
  }

  /** The oracle's rows, or a failure whose message names {@code table}: never other rows. */
  private static void assertOracleRowsOrNamedFailure(
      Bounded.Outcome<List<String>> o, List<String> oracle, String table) {
    assertThat(o.timedOut())
        .as("the read hung for %s; proxy log: %s", o.took(), proxy.tail(40))
        .isFalse();
    if (o.failure() != null) {
      LOG.info("read failed after {}: {}", o.took(), messages(o.failure()));
      assertThat(messages(o.failure())).contains(table);
    } else {
      LOG.info("read completed after {}", o.took());
      assertThat(o.value())
          .as("rows read through a faulty connection; proxy log: %s", proxy.tail(40))
          .containsExactlyElementsOf(oracle);
    }
  }

  private static void assertNamedFailure(Bounded.Outcome<List<String>> o, String... parts) {
    assertThat(o.timedOut())
        .as("the read hung for %s; proxy log: %s", o.took(), proxy.tail(40))
        .isFalse();
    assertThat(o.failure()).as("the read should fail; got %s rows", o.value()).isNotNull();
    assertThat(messages(o.failure())).contains(parts);
  }

  // ---- connection resets ------------------------------------------------------------------

  @Test
  void queryAnswerResetMidBodyGivesTheOracleRowsOrAFailureNamingTheTable() {
    FaultProxy.Rule reset = proxy.rule("reset", QUERY, new Fault.ResetAfter(300), 1);
    Bounded.Outcome<List<String>> o = read(FixtureTables.T_PART, FAST);
    assertThat(reset.fired()).isEqualTo(1);
    assertOracleRowsOrNamedFailure(o, partRows, "t_part");
  }

  @Test
  void fileDownloadsResetMidBodyResumeAndGiveTheOracleRows() {
    FaultProxy.Rule reset = proxy.rule("reset", FILES, new Fault.ResetAfter(100), 3);
    assertOracleRows(read(FixtureTables.T_PART, FAST), partRows);
    assertThat(reset.fired()).isEqualTo(3);
  }

  @Test
  void resetsOfDataAndDeletionVectorFilesStillGiveTheOracleRows() {
    // every download of the first six is cut: data files and the vectors' files alike
    FaultProxy.Rule reset = proxy.rule("reset", FILES, new Fault.ResetAfter(40), 6);
    assertOracleRows(
        read(FixtureTables.T_DV_HIST, FAST, Map.of("responseFormat", "delta"), LIMIT), dvRows);
    assertThat(reset.fired()).isEqualTo(6);
  }

  // ---- stalls beyond network.timeout --------------------------------------------------------

  @Test
  void queryStalledBeyondTheTimeoutIsRetried() {
    FaultProxy.Rule stall = proxy.rule("stall", QUERY, new Fault.StallAfter(-1), 1);
    Bounded.Outcome<List<String>> o = read(FixtureTables.T_PART, FAST);
    assertOracleRows(o, partRows);
    assertThat(stall.fired()).isEqualTo(1);
    assertThat(o.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void queryStalledForeverFailsWithinTheConfiguredTimeouts() {
    FaultProxy.Rule stall = proxy.rule("stall", QUERY, new Fault.StallAfter(-1), 1000);
    // 3 attempts of 2 s each plus short backoffs: well under 15 s
    Bounded.Outcome<List<String>> o =
        read(
            FixtureTables.T_PART,
            fast(NUM_RETRIES, "2", TIMEOUT, "2s"),
            Map.of(),
            Duration.ofSeconds(15));
    assertNamedFailure(o, "t_part");
    assertThat(stall.fired()).isEqualTo(3);
  }

  /**
   * Regression: data reads kept the network timeout of the first read in the JVM (320 s here), so
   * the stalled download hung instead of being retried after 3 s.
   */
  @Test
  void fileDownloadStalledBeyondTheTimeoutIsRetried() {
    // The stall starts after the head and 10 bytes: a socket (read) timeout, not a response one.
    FaultProxy.Rule stall = proxy.rule("stall", FILES, new Fault.StallAfter(10), 1);
    Bounded.Outcome<List<String>> o =
        read(FixtureTables.T_PART, FAST, Map.of(), Duration.ofSeconds(20));
    assertThat(stall.fired()).isEqualTo(1);
    assertOracleRows(o, partRows);
  }

  /** Regression: as above, the 2 s timeout was not applied to data reads. */
  @Test
  void fileDownloadsStalledForeverFailWithinTheConfiguredTimeouts() {
    FaultProxy.Rule stall = proxy.rule("stall", FILES, new Fault.StallAfter(0), 1000);
    // 3 attempts of 2 s each plus short backoffs: well under 15 s
    Bounded.Outcome<List<String>> o =
        read(
            FixtureTables.T_PART,
            fast(NUM_RETRIES, "2", TIMEOUT, "2s"),
            Map.of(),
            Duration.ofSeconds(15));
    assertThat(stall.fired()).isPositive();
    assertNamedFailure(o, "t_part");
  }

  /**
   * Regression: every byte received used to reset the read's retry budget (count and
   * maxRetryDuration), so a server that sends a few bytes per connection and then stalls was
   * retried some hundred times, one timeout each, instead of failing after 3 attempts.
   */
  @Test
  void fileDownloadsThatStallAfterEveryFewBytesFailWithinTheConfiguredTimeouts() {
    FaultProxy.Rule stall = proxy.rule("stall", FILES, new Fault.StallAfter(10), 1000);
    Bounded.Outcome<List<String>> o =
        read(
            FixtureTables.T_PART,
            fast(NUM_RETRIES, "2", TIMEOUT, "2s"),
            Map.of(),
            Duration.ofSeconds(15));
    assertThat(stall.fired()).isPositive();
    assertNamedFailure(o, "t_part");
  }

  // ---- 5xx and 429 bursts -------------------------------------------------------------------

  @Test
  void serverErrorBurstsAreRetried() {
    FaultProxy.Rule meta =
        proxy.rule("502", FaultProxy.Request::isMetadata, new Fault.Status(502, null), 1);
    FaultProxy.Rule query = proxy.rule("503", QUERY, new Fault.Status(503, null), 2);
    FaultProxy.Rule files = proxy.rule("500", FILES, new Fault.Status(500, null), 2);
    assertOracleRows(read(FixtureTables.T_PART, FAST), partRows);
    assertThat(List.of(meta.fired(), query.fired(), files.fired())).containsExactly(1, 2, 2);
  }

  @Test
  void serverErrorBurstsOnAChangeFeedAreRetried() {
    FixtureTable hist = FixtureTables.get().table(FixtureTables.T_HIST);
    List<String> oracle =
        rows(
            spark()
                .read()
                .format("delta")
                .option("readChangeFeed", "true")
                .option("startingVersion", 1)
                .load(hist.path().toString())
                .select("id", "age", "part", "_change_type", "_commit_version"));
    FaultProxy.Rule changes =
        proxy.rule("503", FaultProxy.Request::isChanges, new Fault.Status(503, null), 2);
    FaultProxy.Rule files = proxy.rule("reset", FILES, new Fault.ResetAfter(20), 2);
    Bounded.Outcome<List<String>> o;
    try (Bounded.Confs c = new Bounded.Confs(FAST)) {
      o =
          Bounded.run(
              LIMIT,
              proxy::release,
              () ->
                  rows(
                      df(
                              FixtureTables.T_HIST,
                              Map.of("readChangeFeed", "true", "startingVersion", "1"))
                          .select("id", "age", "part", "_change_type", "_commit_version")));
    }
    assertOracleRows(o, oracle);
    assertThat(List.of(changes.fired(), files.fired())).containsExactly(2, 2);
  }

  @Test
  void tooManyRequestsWithoutRetryAfterAreRetried() {
    FaultProxy.Rule query = proxy.rule("429", QUERY, new Fault.Status(429, null), 2);
    FaultProxy.Rule files = proxy.rule("429", FILES, new Fault.Status(429, null), 2);
    assertOracleRows(read(FixtureTables.T_PART, FAST), partRows);
    assertThat(List.of(query.fired(), files.fired())).containsExactly(2, 2);
  }

  @Test
  void tooManyRequestsWithRetryAfterWaitAtLeastThatLong() {
    // the backoff alone would be 100-200 ms; Retry-After asks for 2 s
    FaultProxy.Rule query = proxy.rule("429+2s", QUERY, new Fault.Status(429, "2"), 1);
    FaultProxy.Rule files = proxy.rule("429+1s", FILES, new Fault.Status(429, "1"), 2);
    Bounded.Outcome<List<String>> o = read(FixtureTables.T_PART, FAST);
    assertOracleRows(o, partRows);
    assertThat(List.of(query.fired(), files.fired())).containsExactly(1, 2);
    assertThat(o.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void queryErrorsBeyondTheRetriesFailNamingTheTableAndTheStatus() {
    FaultProxy.Rule query = proxy.rule("503", QUERY, new Fault.Status(503, "0"), 1000);
    assertNamedFailure(read(FixtureTables.T_PART, fast(NUM_RETRIES, "2")), "t_part", "503");
    assertThat(query.fired()).isEqualTo(3);
  }

  @Test
  void fileErrorsBeyondTheRetriesFailNamingTheTableAndTheStatus() {
    proxy.rule("500", FILES, new Fault.Status(500, null), 1000);
    assertNamedFailure(read(FixtureTables.T_PART, fast(NUM_RETRIES, "2")), "t_part", "500");
  }

  // ---- truncated bodies ---------------------------------------------------------------------

  @Test
  void fileBodiesShorterThanTheirContentLengthAreResumed() {
    FaultProxy.Rule cut = proxy.rule("short", FILES, new Fault.Truncate(Fault.Cut.half(), true), 3);
    assertOracleRows(read(FixtureTables.T_PART, FAST), partRows);
    assertThat(cut.fired()).isEqualTo(3);
  }

  @Test
  void fileBodiesCutAndDelimitedByTheCloseAreResumed() {
    FaultProxy.Rule cut = proxy.rule("cut", FILES, new Fault.Truncate(Fault.Cut.half(), false), 3);
    assertOracleRows(
        read(FixtureTables.T_DV_HIST, FAST, Map.of("responseFormat", "delta"), LIMIT), dvRows);
    assertThat(cut.fired()).isEqualTo(3);
  }

  @Test
  void queryAnswerShorterThanItsContentLengthGivesTheOracleRowsOrANamedFailure() {
    FaultProxy.Rule cut =
        proxy.rule("short", QUERY, new Fault.Truncate(Fault.Cut.midLine(3), true), 1);
    Bounded.Outcome<List<String>> o = read(FixtureTables.T_PART, FAST);
    assertThat(cut.fired()).isEqualTo(1);
    assertOracleRowsOrNamedFailure(o, partRows, "t_part");
  }

  @Test
  void queryAnswerCutMidLineGivesTheOracleRowsOrANamedFailure() {
    FaultProxy.Rule cut =
        proxy.rule("cut", QUERY, new Fault.Truncate(Fault.Cut.midLine(3), false), 1);
    Bounded.Outcome<List<String>> o = read(FixtureTables.T_PART, FAST);
    assertThat(cut.fired()).isEqualTo(1);
    assertOracleRowsOrNamedFailure(o, partRows, "t_part");
  }

  /**
   * A body delimited by the connection's close and cut right after a whole line (protocol, metaData
   * and two of six files) is well-formed HTTP and well-formed NDJSON: only an EndStreamAction the
   * client asked for ({@code includeendstreamaction=true}) can reveal it.
   */
  @Test
  void queryAnswerCutAtALineBoundaryIsNeverReadAsTheWholeTable() {
    FaultProxy.Rule cut =
        proxy.rule("cut", QUERY, new Fault.Truncate(Fault.Cut.afterLines(4), false), 1);
    Bounded.Outcome<List<String>> o = read(FixtureTables.T_PART, FAST);
    assertThat(cut.fired()).isEqualTo(1);
    assertOracleRowsOrNamedFailure(o, partRows, "t_part");
  }

  // ---- server restart -----------------------------------------------------------------------

  @Test
  void serverRestartMidScanWithTheSameSigningKeyGivesTheOracleRows() {
    int startsBefore = server.starts();
    AtomicInteger files = new AtomicInteger();
    // the third file download of the scan finds the server gone; it is back a second later
    FaultProxy.Rule restart =
        proxy.rule(
            "restart",
            r -> r.isFile() && files.incrementAndGet() == 3,
            new Fault.Hook(() -> server.restartInBackground(Duration.ofSeconds(1))),
            1);
    Map<String, String> confs =
        fast(
            NUM_RETRIES,
            "5",
            RETRY_SLEEP,
            "400ms",
            "spark.sql.files.maxPartitionBytes",
            "1k",
            "spark.sql.files.openCostInBytes",
            "1k");
    Bounded.Outcome<List<String>> o =
        read(FixtureTables.T_DV_HIST, confs, Map.of("responseFormat", "delta"), LIMIT);
    assertOracleRows(o, dvRows);
    assertThat(restart.fired()).isEqualTo(1);
    assertThat(server.starts()).isEqualTo(startsBefore + 1);
    // URLs signed by the first instance were served by the second
    List<String> log = proxy.log();
    int hook = -1;
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).contains("-> restart")) {
        hook = i;
      }
    }
    assertThat(log.subList(hook + 1, log.size()))
        .as("proxy log %s", log)
        .anyMatch(l -> l.contains("/files/") && l.matches(".*pass 20[06]$"));
  }
}
