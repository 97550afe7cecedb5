package io.lakeshare.it.bench.stream;

import io.lakeshare.it.fixtures.SparkFixture;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.http.RequestStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Catch-up benchmark of the streaming connector: a table of {@code commits} appends of {@code
 * filesPerCommit} files each, shared by the real server in this JVM, read to the end with {@code
 * Trigger.AvailableNow} into the {@code noop} sink, from {@code startingVersion} 1 (every commit
 * through change queries) and from the initial snapshot at the latest version. Prints one table of
 * wall time, micro-batches, rows, server requests by endpoint and heap figures per run.
 *
 * <p>System properties: {@code stream.bench.dir} (default {@code /tmp/lakeshare-stream-bench}; the
 * table is generated there once and reused), {@code stream.bench.commits} (1000), {@code
 * stream.bench.filesPerCommit} (10), {@code stream.bench.rowsPerFile} (200), {@code
 * stream.bench.checkpointInterval} (100), {@code stream.bench.runs} (comma-separated {@code
 * changes|snapshot:maxFilesPerTrigger}, {@code default} for the connector's default; default {@code
 * changes:default,changes:100,snapshot:default,snapshot:100}), {@code stream.bench.accessMode}
 * ({@code url}, or {@code dir}: the connector reads the table's log with its Kernel and the files
 * from the directory, with credentials for the local root handed to it as the tests do).
 */
public final class StreamBench {
  private StreamBench() {}

  /** One measured stream. {@code maxFiles} null: the connector's default. */
  record Run(String label, boolean fromSnapshot, Integer maxFiles) {
    static Run parse(String spec) {
      String[] parts = spec.trim().split(":");
      boolean snapshot = parts[0].equals("snapshot");
      if (!snapshot && !parts[0].equals("changes") || parts.length != 2) {
        throw new IllegalArgumentException("Run spec " + spec + " is not changes|snapshot:N");
      }
      Integer max = parts[1].equals("default") ? null : Integer.valueOf(parts[1]);
      return new Run(spec.trim(), snapshot, max);
    }
  }

  /** What one run measured. */
  record Result(
      Run run,
      double wallSeconds,
      int batches,
      long rows,
      long files,
      Map<String, Long> durationsMs,
      Map<String, long[]> requests,
      long liveBefore,
      long maxAfterGc,
      long peakUsed,
      long liveAfter) {}

  public static void main(String[] args) throws Exception {
    Path dir =
        Path.of(System.getProperty("stream.bench.dir", "/tmp/lakeshare-stream-bench"))
            .toAbsolutePath();
    Files.createDirectories(dir);
    StreamTable table =
        new StreamTable(
            dir,
            Integer.getInteger("stream.bench.commits", 1000),
            Integer.getInteger("stream.bench.filesPerCommit", 10),
            Integer.getInteger("stream.bench.rowsPerFile", 200),
            Integer.getInteger("stream.bench.checkpointInterval", 100));
    List<Run> runs = new ArrayList<>();
    for (String spec :
        System.getProperty(
                "stream.bench.runs", "changes:default,changes:100,snapshot:default,snapshot:100")
            .split(",")) {
      runs.add(Run.parse(spec));
    }

    SparkSession spark = SparkFixture.spark();
    // keep every batch's progress, not only the last 100
    spark.conf().set("spark.sql.streaming.numRecentProgressUpdates", "1000000");
    table.ensure(spark);

    try (SharingServer server = SharingServer.start(ConfigLoader.parse(yaml(table), "bench"))) {
      Path profile = dir.resolve("bench.share");
      Files.writeString(
          profile,
          "{\"shareCredentialsVersion\":1,\"endpoint\":\""
              + server.endpointUrl()
              + "\",\"bearerToken\":\""
              + TOKEN
              + "\"}");
      String url = profile + "#bench.default.stream";
      String accessMode = System.getProperty("stream.bench.accessMode", "url");
      if (accessMode.equals("dir")) {
        io.lakeshare.spark.DirectoryGrants.grant(url, table.path);
      }
      Runner runner = new Runner(spark, server, url, dir.resolve("checkpoints"), accessMode);
      // JIT and connection warm-up, not reported: a whole change run, so that the first measured
      // run does not pay for compiling the read path (a shorter one left it ~50% slower)
      runner.run(new Run("warm-up", false, null), 1L, table.rowsPerFile);
      List<Result> results = new ArrayList<>();
      for (Run r : runs) {
        Result res = runner.run(r, r.fromSnapshot() ? null : 1L, table.rowsPerFile);
        results.add(res);
        System.err.println("finished " + r.label() + " in " + res.wallSeconds() + " s");
      }
      print(table, results);
      for (Result r : results) {
        if (r.rows() != table.rows()) {
          System.err.printf(
              Locale.ROOT,
              "%s read %d rows, expected %d%n",
              r.run().label(),
              r.rows(),
              table.rows());
          System.exit(1);
        }
      }
    }
    // Spark's non-daemon threads would keep the JVM alive
    System.exit(0);
  }

  private static final String TOKEN = "stream-bench-token";

  private static String yaml(StreamTable table) {
    return "version: 1\nhost: 127.0.0.1\nport: 0\nendpoint: /delta-sharing\n"
        + "authorization:\n  bearerToken: "
        + TOKEN
        + "\nshares:\n- name: bench\n  schemas:\n  - name: default\n    tables:\n"
        + "    - name: stream\n      location: \""
        + table.path.toUri()
        + "\"\n      id: 00000000-0000-4000-8000-0000000057e0\n      historyShared: true\n";
  }

  /** Runs streams against one server and measures them. */
  private static final class Runner {
    private final SparkSession spark;
    private final SharingServer server;
    private final String url;
    private final Path checkpoints;
    private final String accessMode;
    private int n;

    Runner(
        SparkSession spark, SharingServer server, String url, Path checkpoints, String accessMode) {
      this.spark = spark;
      this.server = server;
      this.url = url;
      this.checkpoints = checkpoints;
      this.accessMode = accessMode;
    }

    Result run(Run run, Long startingVersion, int rowsPerFile) throws Exception {
      Path cp = checkpoints.resolve("run-" + System.currentTimeMillis() + "-" + n++);
      Map<String, RequestStats> before = server.requestCounts();
      HeapWatch heap = new HeapWatch();
      long start = System.nanoTime();
      DataStreamReader reader =
          spark.readStream().format("deltaSharing").option("accessMode", accessMode);
      if (startingVersion != null) {
        reader = reader.option("startingVersion", startingVersion);
      }
      if (run.maxFiles() != null) {
        reader = reader.option("maxFilesPerTrigger", run.maxFiles());
      }
      Dataset<Row> df = reader.load(url);
      StreamingQuery q =
          df.writeStream()
              .format("noop")
              .option("checkpointLocation", cp.toString())
              .trigger(Trigger.AvailableNow())
              .start();
      q.awaitTermination();
      double wall = (System.nanoTime() - start) / 1e9;
      long peak = HeapWatch.peakUsed();
      long maxAfterGc = heap.maxAfterGc();
      heap.close();
      long liveAfter = HeapWatch.liveHeap();
      int batches = 0;
      long rows = 0;
      Map<String, Long> durations = new TreeMap<>();
      for (StreamingQueryProgress p : q.recentProgress()) {
        if (p.numInputRows() > 0) {
          batches++;
          rows += p.numInputRows();
        }
        p.durationMs().forEach((k, v) -> durations.merge(k, v, Long::sum));
      }
      return new Result(
          run,
          wall,
          batches,
          rows,
          rows / rowsPerFile,
          durations,
          diff(before, awaitCounts(before)),
          heap.liveBefore,
          maxAfterGc,
          peak,
          liveAfter);
    }

    /** The counts once the last response has been counted (a moment after the client has it). */
    private Map<String, RequestStats> awaitCounts(Map<String, RequestStats> before)
        throws InterruptedException {
      Map<String, RequestStats> now = server.requestCounts();
      Thread.sleep(200);
      Map<String, RequestStats> later = server.requestCounts();
      while (!later.equals(now)) {
        now = later;
        Thread.sleep(200);
        later = server.requestCounts();
      }
      return later;
    }

    /** {count, nanos} per endpoint between two snapshots. */
    private static Map<String, long[]> diff(
        Map<String, RequestStats> before, Map<String, RequestStats> after) {
      Map<String, long[]> out = new TreeMap<>();
      after.forEach(
          (k, a) -> {
            RequestStats b = before.getOrDefault(k, new RequestStats(0, 0));
            if (a.count() > b.count()) {
              out.put(k, new long[] {a.count() - b.count(), a.totalNanos() - b.totalNanos()});
            }
          });
      return out;
    }
  }

  private static void print(StreamTable table, List<Result> results) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "=== Lakeshare streaming catch-up benchmark ===%n"
            + "table: %d commits x %d files x %d rows (%d files, %d rows), checkpoint every %s;"
            + " %s%n"
            + "java %s, -Xmx%d MB, %d cores, load average %s%n"
            + "sink noop, Trigger.AvailableNow, server in the same JVM (heap figures include it),"
            + " accessMode %s%n%n",
        table.commits,
        table.filesPerCommit,
        table.rowsPerFile,
        table.files(),
        table.rows(),
        Integer.getInteger("stream.bench.checkpointInterval", 100) + " versions",
        table.path,
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        System.getProperty("stream.bench.accessMode", "url"));
    List<String[]> rows = new ArrayList<>();
    rows.add(header(results));
    rows.add(row("wall time to catch up (s)", results, r -> fmt("%.1f", r.wallSeconds())));
    rows.add(row("micro-batches with rows", results, r -> Integer.toString(r.batches())));
    rows.add(row("rows", results, r -> Long.toString(r.rows())));
    rows.add(row("rows/s", results, r -> fmt("%.0f", r.rows() / r.wallSeconds())));
    rows.add(row("files/s", results, r -> fmt("%.0f", r.files() / r.wallSeconds())));
    for (String k : List.of("latestOffset", "queryPlanning", "addBatch", "triggerExecution")) {
      rows.add(
          row(
              "sum of progress " + k + " (s)",
              results,
              r -> fmt("%.1f", r.durationsMs().getOrDefault(k, 0L) / 1000.0)));
    }
    TreeSet<String> endpoints = new TreeSet<>();
    results.forEach(r -> endpoints.addAll(r.requests().keySet()));
    for (String e : endpoints) {
      rows.add(
          row(
              "server requests: " + e,
              results,
              r -> {
                long[] c = r.requests().get(e);
                return c == null ? "0" : Long.toString(c[0]);
              }));
      rows.add(
          row(
              "  mean server ms per " + e,
              results,
              r -> {
                long[] c = r.requests().get(e);
                return c == null ? "-" : fmt("%.1f", c[1] / 1e6 / c[0]);
              }));
    }
    rows.add(row("heap after full GC, before (MB)", results, r -> mb(r.liveBefore())));
    rows.add(row("max heap after any GC during run (MB)", results, r -> mb(r.maxAfterGc())));
    rows.add(row("peak heap used incl. garbage (MB)", results, r -> mb(r.peakUsed())));
    rows.add(row("heap after full GC, after (MB)", results, r -> mb(r.liveAfter())));
    for (String[] row : rows) {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-40s", row[0]));
      for (int i = 1; i < row.length; i++) {
        b.append(String.format(Locale.ROOT, " %17s", row[i]));
      }
      System.out.println(b);
    }
  }

  private static String[] header(List<Result> results) {
    String[] h = new String[results.size() + 1];
    h[0] = "run (start:maxFilesPerTrigger)";
    for (int i = 0; i < results.size(); i++) {
      h[i + 1] = results.get(i).run().label();
    }
    return h;
  }

  private static String[] row(
      String name, List<Result> results, java.util.function.Function<Result, String> f) {
    String[] r = new String[results.size() + 1];
    r[0] = name;
    for (int i = 0; i < results.size(); i++) {
      r[i + 1] = f.apply(results.get(i));
    }
    return r;
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String mb(long bytes) {
    return Long.toString(bytes >> 20);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
