package io.lakeshare.it.faults;

import static io.lakeshare.it.faults.Bounded.rows;
import static io.lakeshare.it.faults.Bounded.spark;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.QueryResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.ChangesRequest;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While delta-spark commits inserts, deletes (deletion vectors) and updates to a shared table in a
 * loop, snapshot queries, time travel, change queries and connector reads run against the server;
 * afterwards every recorded answer is checked against delta-spark at the one version its {@code
 * Delta-Table-Version} header (or its requested version) names.
 */
class ConcurrentWritersTest {
  private static final Logger LOG = LoggerFactory.getLogger(ConcurrentWritersTest.class);
  private static final Duration WRITING = Duration.ofSeconds(35);
  private static final int MAX_COMMITS = 9;
  private static final RequestOptions DELTA =
      new RequestOptions("responseformat=delta;readerfeatures=deletionvectors", null);
  private static final String[] COLUMNS = {"id", "v", "p"};
  private static final String[] CDF_COLUMNS = {"id", "v", "p", "_change_type", "_commit_version"};

  @TempDir Path dir;

  /** A snapshot answer: what was asked, the header, the file lines. */
  private record Snapshot(Long asked, long header, List<String> files) {}

  /** A change answer for {@code [start, end]} ({@code end} null: latest). */
  private record Changes(
      long start, Long end, long header, long before, long after, Map<Long, List<String>> lines) {}

  /** A connector read at {@code version} (or of the change feed from {@code from}). */
  private record ConnectorRead(Long from, long version, List<String> rows) {}

  @Test
  void everyAnswerMatchesTheVersionItNamesWhileAWriterCommits() throws Exception {
    Path table = dir.resolve("cw");
    spark()
        .sql(
            "CREATE TABLE delta.`"
                + table
                + "` (id BIGINT, v STRING, p INT) USING delta PARTITIONED BY (p) TBLPROPERTIES ("
                + "'delta.enableDeletionVectors' = 'true', "
                + "'delta.enableChangeDataFeed' = 'true', "
                + "'delta.checkpointInterval' = '4')");
    insert(table, 0, 60);
    // the first DELETE and UPDATE of a JVM compile a lot; do it before the clock runs
    spark().sql("DELETE FROM delta.`" + table + "` WHERE id = 59");
    spark().sql("UPDATE delta.`" + table + "` SET v = 'w' WHERE id = 58");
    TestServer server = TestServer.get(new TestServer.Options().table("cw", table));
    String url = Files.writeString(dir.resolve("cw.share"), profile(server)) + "#s1.default.cw";
    TableRef ref = new TableRef("s1", "default", "cw");

    Queue<Snapshot> snapshots = new ConcurrentLinkedQueue<>();
    Queue<Changes> changes = new ConcurrentLinkedQueue<>();
    Queue<ConnectorRead> reads = new ConcurrentLinkedQueue<>();
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger commits = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> work = new ArrayList<>();
    try (DeltaSharingClient client = server.client()) {
      work.add(
          pool.submit(
              () ->
                  guarded(
                      errors,
                      writing,
                      () -> {
                        try {
                          write(table, commits);
                        } finally {
                          writing.set(false); // the readers stop with the writer
                        }
                      })));
      work.add(
          pool.submit(
              () -> guarded(errors, writing, () -> snapshots(client, ref, writing, snapshots))));
      work.add(
          pool.submit(
              () -> guarded(errors, writing, () -> changes(client, ref, writing, changes))));
      work.add(
          pool.submit(
              () -> guarded(errors, writing, () -> connector(client, ref, url, writing, reads))));
      long deadline = System.nanoTime() + WRITING.plusSeconds(60).toNanos();
      for (Future<?> f : work) {
        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } finally {
      writing.set(false);
      pool.shutdownNow();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(errors).as("failures while the writer ran").isEmpty();
    LOG.info(
        "{} commits; checked {} snapshot answers, {} change answers, {} connector reads",
        commits.get(),
        snapshots.size(),
        changes.size(),
        reads.size());
    assertThat(commits.get()).isGreaterThanOrEqualTo(4);
    assertThat(snapshots).hasSizeGreaterThan(10);
    assertThat(changes).hasSizeGreaterThan(5);
    assertThat(reads).hasSizeGreaterThanOrEqualTo(2);

    LogOracle oracle = new LogOracle(table);
    Map<Long, List<String>> active = new TreeMap<>();
    for (Snapshot s : snapshots) {
      if (s.asked() != null) {
        assertThat(s.header())
            .as("header of a query for version %s", s.asked())
            .isEqualTo(s.asked());
      }
      List<String> expected = active.computeIfAbsent(s.header(), oracle::activeFiles);
      assertThat(s.files()).as("files answered for version %s", s.header()).isEqualTo(expected);
    }
    Map<Long, List<String>> commitLines = new TreeMap<>();
    for (Changes c : changes) {
      assertThat(c.header()).as("header of changes from %s", c.start()).isEqualTo(c.start());
      long answeredEnd = c.lines().keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
      long end = Math.max(answeredEnd, c.end() != null ? c.end() : c.before());
      assertThat(end).as("last version of changes %s", c).isLessThanOrEqualTo(c.after());
      if (c.end() != null) {
        assertThat(answeredEnd).isLessThanOrEqualTo(c.end());
      }
      for (long v = c.start(); v <= end; v++) {
        assertThat(c.lines().getOrDefault(v, List.of()))
            .as("change lines of version %s in changes from %s", v, c.start())
            .isEqualTo(commitLines.computeIfAbsent(v, oracle::changes));
      }
    }
    Map<Long, List<String>> rowsAt = new TreeMap<>();
    for (ConnectorRead r : reads) {
      if (r.from() == null) {
        assertThat(r.rows())
            .as("connector rows at version %s", r.version())
            .containsExactlyElementsOf(
                rowsAt.computeIfAbsent(
                    r.version(), v -> rows(deltaAt(table, v).selectExpr(COLUMNS))));
      } else {
        Dataset<Row> cdf =
            spark()
                .read()
                .format("delta")
                .option("readChangeFeed", "true")
                .option("startingVersion", r.from())
                .option("endingVersion", r.version())
                .load(table.toString());
        assertThat(r.rows())
            .as("connector change feed %s-%s", r.from(), r.version())
            .containsExactlyElementsOf(rows(cdf.selectExpr(CDF_COLUMNS)));
      }
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  /** Runs a loop; a failure is recorded and stops the writer, so that the test ends soon. */
  private static void guarded(Queue<Throwable> errors, AtomicBoolean writing, Body body) {
    try {
      body.run();
    } catch (Throwable t) {
      errors.add(t);
      writing.set(false);
      LOG.error("concurrent worker failed", t);
    }
  }

  private static void insert(Path table, long from, long to) {
    spark()
        .range(from, to)
        .selectExpr("id", "concat('v', id) AS v", "CAST(id % 3 AS INT) AS p")
        .write()
        .format("delta")
        .mode("append")
        .save(table.toString());
  }

  /** Inserts, deletes (with deletion vectors) and updates in turn until time or commits run out. */
  private static void write(Path table, AtomicInteger commits) {
    String t = "delta.`" + table + "`";
    long next = 60;
    long end = System.nanoTime() + WRITING.toNanos();
    int i = 0;
    while (System.nanoTime() < end && commits.get() < MAX_COMMITS) {
      long t0 = System.nanoTime();
      switch (i % 3) {
        case 0 -> {
          insert(table, next, next + 10);
          next += 10;
        }
        case 1 -> spark().sql("DELETE FROM " + t + " WHERE id % 9 = " + (i % 9));
        default -> spark().sql("UPDATE " + t + " SET v = concat(v, '+') WHERE id % 5 = " + (i % 5));
      }
      commits.incrementAndGet();
      LOG.debug("commit {} ({}) took {} ms", i, i % 3, (System.nanoTime() - t0) / 1_000_000);
      i++;
    }
  }

  private static void snapshots(
      DeltaSharingClient client, TableRef ref, AtomicBoolean writing, Queue<Snapshot> out) {
    while (writing.get()) {
      out.add(query(client, ref, null));
      long latest = client.getTableVersion(ref, null);
      // time travel to a recent version, which a checkpoint may have just covered
      long v = Math.max(1, latest - ThreadLocalRandom.current().nextLong(3));
      out.add(query(client, ref, v));
      pause(100);
    }
  }

  private static Snapshot query(DeltaSharingClient client, TableRef ref, Long version) {
    QueryTableRequest request = QueryTableRequest.builder().version(version).build();
    List<String> files = new ArrayList<>();
    try (QueryResponse answer = client.queryTable(ref, request, DELTA)) {
      while (answer.hasNext()) {
        ResponseAction a = answer.next();
        if (a instanceof DeltaFileAction f) {
          files.add(line(f));
        }
      }
      files.sort(null);
      return new Snapshot(version, answer.tableVersion(), files);
    }
  }

  private static void changes(
      DeltaSharingClient client, TableRef ref, AtomicBoolean writing, Queue<Changes> out) {
    boolean bounded = false;
    while (writing.get()) {
      long before = client.getTableVersion(ref, null);
      long start = Math.max(1, before - 4);
      Long end = bounded ? before : null;
      Map<Long, List<String>> lines = new TreeMap<>();
      long header;
      ChangesRequest request =
          ChangesRequest.builder().startingVersion(start).endingVersion(end).build();
      try (QueryResponse answer = client.getChanges(ref, request, DELTA)) {
        header = answer.tableVersion();
        while (answer.hasNext()) {
          if (answer.next() instanceof DeltaFileAction f) {
            lines.computeIfAbsent(f.version(), k -> new ArrayList<>()).add(line(f));
          }
        }
      }
      lines.values().forEach(l -> l.sort(null));
      long after = client.getTableVersion(ref, null);
      out.add(new Changes(start, end, header, before, after, lines));
      bounded = !bounded;
      pause(100);
    }
  }

  private static void connector(
      DeltaSharingClient client,
      TableRef ref,
      String url,
      AtomicBoolean writing,
      Queue<ConnectorRead> out) {
    boolean cdf = false;
    // a few reads: each is a Spark job that competes with the writer for the same two cores
    while (writing.get() && out.size() < 8) {
      long v = client.getTableVersion(ref, null);
      if (cdf) {
        long from = Math.max(1, v - 3);
        Dataset<Row> df =
            spark()
                .read()
                .format("deltaSharing")
                .option("readChangeFeed", "true")
                .option("startingVersion", from)
                .option("endingVersion", v)
                .load(url);
        out.add(new ConnectorRead(from, v, rows(df.selectExpr(CDF_COLUMNS))));
      } else {
        Dataset<Row> df = spark().read().format("deltaSharing").option("versionAsOf", v).load(url);
        out.add(new ConnectorRead(null, v, rows(df.selectExpr(COLUMNS))));
      }
      cdf = !cdf;
      pause(1000);
    }
  }

  /** Leaves the two cores of a CI box to the writer now and then. */
  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String line(DeltaFileAction f) {
    long card = f.deletionVector() == null ? -1 : f.deletionVector().cardinality();
    return LogOracle.servedLine(f.kind().wireName(), f.id(), card);
  }

  private static Dataset<Row> deltaAt(Path table, long version) {
    return spark().read().format("delta").option("versionAsOf", version).load(table.toString());
  }

  private static String profile(TestServer server) throws IOException {
    return "{\"shareCredentialsVersion\":1,\"endpoint\":\""
        + server.endpoint()
        + "\",\"bearerToken\":\""
        + TestServer.TOKEN
        + "\"}";
  }
}
