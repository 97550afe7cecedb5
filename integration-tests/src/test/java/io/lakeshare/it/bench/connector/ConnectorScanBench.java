package io.lakeshare.it.bench.connector;

import io.lakeshare.it.fixtures.SparkFixture;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scan throughput of the Spark connector against the in-process server over loopback HTTP, next to
 * {@code spark.read.parquet} and {@code format("delta")} on the same files, and driver planning
 * time for a table of 100,000 files. Prints figures; asserts nothing. Run by {@code
 * integration-tests/bench/connector-bench.sh}; settings are system properties {@code
 * lakeshare.bench.*} (see the script).
 */
public final class ConnectorScanBench {
  private static final String TOKEN = "bench-token-0123456789";
  private static final List<String> MODES = List.of("connector", "parquet", "delta");

  private final SparkSession spark;
  private final BenchTable table;
  private final String tableUrl;
  private final RunMeter meter;
  private final int runs;

  private ConnectorScanBench(SparkSession spark, BenchTable table, String tableUrl, int runs) {
    this.spark = spark;
    this.table = table;
    this.tableUrl = tableUrl;
    this.meter = new RunMeter(spark);
    this.runs = runs;
  }

  public static void main(String[] args) throws Exception {
    Path dir =
        Path.of(
                System.getProperty(
                    "lakeshare.bench.dir",
                    System.getenv().getOrDefault("LAKESHARE_BENCH_DIR", "/tmp/lakeshare-cbench")))
            .toAbsolutePath()
            .normalize();
    long rows = Long.getLong("lakeshare.bench.rows", 24_000_000L);
    int files = Integer.getInteger("lakeshare.bench.files", 12);
    int runs = Integer.getInteger("lakeshare.bench.runs", 3);
    int planningFiles = Integer.getInteger("lakeshare.bench.planningFiles", 100_000);
    boolean profile = Boolean.parseBoolean(System.getProperty("lakeshare.bench.profile", "true"));
    String only = System.getProperty("lakeshare.bench.only", "all"); // all, scan or planning
    Files.createDirectories(dir);
    String loadStart = loadAverage();

    SparkSession spark = SparkFixture.spark();
    BenchTable table = BenchTable.ensure(spark, dir.resolve("scan-table"), rows, files);
    Path manyFiles = dir.resolve("t" + planningFiles);
    if (!only.equals("scan")) {
      PlanningBench.ensureLog(manyFiles, planningFiles);
    }
    SharingServer server = SharingServer.start(ConfigLoader.parse(yaml(table, manyFiles), "bench"));
    try {
      Path profileFile = dir.resolve("bench.share");
      Files.writeString(
          profileFile,
          "{\"shareCredentialsVersion\":1,\"endpoint\":\""
              + server.endpointUrl()
              + "\",\"bearerToken\":\""
              + TOKEN
              + "\"}");
      String base = profileFile + "#bench.default.";
      StringBuilder report = new StringBuilder();
      report.append(header(table, runs, loadStart));
      if (!only.equals("planning")) {
        ConnectorScanBench bench = new ConnectorScanBench(spark, table, base + "scan_table", runs);
        bench.checkSameData();
        report.append(bench.scans());
        if (profile) {
          report.append(bench.profiles(dir));
        }
      }
      if (!only.equals("scan")) {
        report.append(planning(spark, base + manyFiles.getFileName(), planningFiles));
        report.append(directoryPlanning(manyFiles, planningFiles));
        if (profile) {
          PlanningBench again = new PlanningBench(spark, base + manyFiles.getFileName());
          report.append("\nWhere planning time goes: two more warm plannings under JFR\n");
          report.append(
              ReadProfile.profile(
                  () -> {
                    again.planOnce();
                    again.planOnce();
                  },
                  dir.resolve("planning.jfr"),
                  20));
        }
      }
      report.append(String.format(Locale.ROOT, "%nload average at the end: %s%n", loadAverage()));
      System.out.print(report);
    } finally {
      server.close();
    }
    spark.stop();
  }

  private static String yaml(BenchTable table, Path manyFiles) {
    return "version: 1\n"
        + "host: 127.0.0.1\nport: 0\nendpoint: /delta-sharing\nrequestTimeoutSeconds: 900\n"
        + "authorization:\n  bearerToken: "
        + TOKEN
        + "\nshares:\n- name: bench\n  schemas:\n  - name: default\n    tables:\n"
        + "    - name: scan_table\n      location: \""
        + table.dir().toUri()
        + "\"\n      id: 00000000-0000-4000-8000-0000000c0001\n"
        + "    - name: "
        + manyFiles.getFileName()
        + "\n      location: \""
        + manyFiles.toUri()
        + "\"\n      id: 00000000-0000-4000-8000-0000000c0002\n";
  }

  private Dataset<Row> frame(String mode) {
    return switch (mode) {
      case "connector" -> spark.read().format("deltaSharing").load(tableUrl);
      case "parquet" -> spark.read().parquet(table.dir().toString());
      case "delta" -> spark.read().format("delta").load(table.dir().toString());
      default -> throw new IllegalArgumentException(mode);
    };
  }

  /** The noop sink makes Spark read and decode every selected column of every row. */
  private Runnable scan(String mode, boolean full) {
    return () -> {
      Dataset<Row> df = frame(mode);
      if (!full) {
        df = df.select(BenchTable.SELECTIVE.get(0), BenchTable.SELECTIVE.get(1));
      }
      df.write().format("noop").mode("overwrite").save();
    };
  }

  /** Row count and column sums must agree, or the speed figures mean nothing. */
  private void checkSameData() {
    Map<String, String> seen = new LinkedHashMap<>();
    for (String mode : MODES) {
      Row r =
          frame(mode)
              .selectExpr("count(*)", "sum(customer_id)", "sum(amount)", "count(distinct qty)")
              .first();
      seen.put(mode, r.toString());
    }
    System.err.println("[bench] check: " + seen);
    if (seen.values().stream().distinct().count() != 1
        || !seen.get("parquet").startsWith("[" + table.rows() + ",")) {
      throw new IllegalStateException("the sources disagree: " + seen);
    }
  }

  private String scans() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n%-10s %-9s %8s %8s %-17s %6s %6s %6s %6s %6s %7s %7s %7s %7s %6s %6s%n",
            "scan",
            "source",
            "data MB",
            "median s",
            "(min-max)",
            "MB/s",
            "CPU s",
            "task s",
            "run s",
            "srv s",
            "FS MB",
            "lo MB",
            "plan ms",
            "srvq ms",
            "speed",
            "CPU"));
    for (boolean full : new boolean[] {true, false}) {
      Map<String, List<RunMeter.Sample>> samples = new LinkedHashMap<>();
      for (String mode : MODES) {
        System.err.printf(Locale.ROOT, "[bench] warm-up %s %s%n", full ? "full" : "2-col", mode);
        meter.measure(scan(mode, full));
        samples.put(mode, new ArrayList<>());
      }
      // Rounds alternate the sources so that drifting machine load hits them alike.
      for (int i = 0; i < runs; i++) {
        for (String mode : MODES) {
          RunMeter.Sample s = meter.measure(scan(mode, full));
          System.err.printf(Locale.ROOT, "[bench] %s %s run %d: %s%n", full, mode, i + 1, s);
          samples.get(mode).add(s);
        }
      }
      long dataBytes = full ? table.bytes() : table.selectiveBytes();
      double connector = median(samples.get("connector"), RunMeter.Sample::seconds);
      double connectorCpu = median(samples.get("connector"), RunMeter.Sample::cpuSeconds);
      for (String mode : MODES) {
        List<RunMeter.Sample> list = samples.get(mode);
        double secs = median(list, RunMeter.Sample::seconds);
        out.append(
            String.format(
                Locale.ROOT,
                "%-10s %-9s %8.0f %8.2f %-17s %6.0f %6.2f %6.2f %6.2f %6.2f %7.0f %7.0f %7.0f %7s %6s"
                    + " %6s%n",
                full ? "full" : "2 columns",
                mode,
                mb(dataBytes),
                secs,
                String.format(
                    Locale.ROOT,
                    "(%.2f-%.2f)",
                    min(list, RunMeter.Sample::seconds),
                    max(list, RunMeter.Sample::seconds)),
                mb(dataBytes) / secs,
                median(list, RunMeter.Sample::cpuSeconds),
                median(list, RunMeter.Sample::taskCpuSeconds),
                median(list, RunMeter.Sample::taskRunSeconds),
                median(list, RunMeter.Sample::serverCpuSeconds),
                mb(median(list, s -> s.sharingBytesRead() + s.localBytesRead())),
                mb(median(list, s -> s.loopbackBytes())),
                median(list, s -> s.planningMs()),
                mode.equals("connector")
                    ? String.format(Locale.ROOT, "%.0f", median(list, s -> s.serverQueryMs()))
                    : "-",
                ratio(mode, secs, connector),
                ratio(mode, median(list, RunMeter.Sample::cpuSeconds), connectorCpu)));
      }
    }
    out.append(
        "speed = this source's median time / the connector's (the connector's speed relative to"
            + " it; target >= 0.80); CPU = the same ratio of process CPU seconds\n"
            + "data MB: Parquet bytes of the table (full) or of the two columns' chunks; MB/s ="
            + " data MB / median s\n"
            + "CPU s: process CPU per run; task s / run s: CPU and run time summed over Spark's"
            + " tasks (task metrics); srv s: CPU of the server's Jetty threads (same JVM)\n"
            + "FS MB: bytes the Parquet reader read through the lakeshare:// or file:// file"
            + " system; lo MB: bytes over the loopback interface (whole machine)\n"
            + "plan ms: Spark's analysis+optimization+planning phases; srvq ms: the connector's"
            + " server query (inside plan ms)\n");
    return out.toString();
  }

  private static String ratio(String mode, double value, double connector) {
    return mode.equals("connector")
        ? "1.00"
        : String.format(Locale.ROOT, "%.2f", value / connector);
  }

  private String profiles(Path dir) throws Exception {
    StringBuilder out = new StringBuilder();
    out.append("\nWhere the time goes: one more full scan of each kind under JFR\n");
    out.append("\n-- connector --\n");
    out.append(ReadProfile.profile(scan("connector", true), dir.resolve("connector.jfr"), 14));
    out.append("\n-- spark.read.parquet --\n");
    out.append(ReadProfile.profile(scan("parquet", true), dir.resolve("parquet.jfr"), 8));
    return out.toString();
  }

  /**
   * The same table listed as a {@code dir}-mode read does on the driver: the connector's own Kernel
   * replays the log (no server query, no URLs). Input partitions are then packed as in URL mode
   * (the parts column above).
   */
  private static String directoryPlanning(Path table, int files) throws Exception {
    List<io.lakeshare.spark.DirectoryPlanningProbe.Listing> all =
        io.lakeshare.spark.DirectoryPlanningProbe.run(
            table, io.lakeshare.it.bench.SyntheticDeltaLog.schemaString(), List.of("date"), 5);
    io.lakeshare.spark.DirectoryPlanningProbe.Listing first = all.get(0);
    List<io.lakeshare.spark.DirectoryPlanningProbe.Listing> warm = all.subList(1, all.size());
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%nDirectory access (accessMode dir): the connector's Kernel lists the same %d-file"
                + " table on the driver%n",
            files));
    out.append(
        String.format(
            Locale.ROOT, "%-22s %9s %12s %7s%n", "", "list ms", "driver CPU ms", "files"));
    out.append(
        String.format(
            Locale.ROOT,
            "%-22s %9.0f %12.0f %7d%n",
            "first",
            first.wallMs(),
            first.cpuMs(),
            first.files()));
    out.append(
        String.format(
            Locale.ROOT,
            "%-22s %9.0f %12.0f %7d%n",
            "warm median of " + warm.size(),
            median(warm, io.lakeshare.spark.DirectoryPlanningProbe.Listing::wallMs),
            median(warm, io.lakeshare.spark.DirectoryPlanningProbe.Listing::cpuMs),
            warm.get(0).files()));
    out.append(
        "The server's part in dir mode is one temporary-credentials answer per table and"
            + " credential life (kept by the driver), instead of a log replay and one signed URL per"
            + " file per query; the driver does the replay instead (every query: Kernel keeps no"
            + " state between them here).\n");
    return out.toString();
  }

  private static String planning(SparkSession spark, String url, int files) {
    PlanningBench bench = new PlanningBench(spark, url);
    List<PlanningBench.Planning> all = bench.run(5);
    PlanningBench.Planning first = all.get(0);
    List<PlanningBench.Planning> warm = all.subList(1, all.size());
    long heapAfter = bench.usedAfterGc();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%nDriver planning through the connector, %d-file table (checkpointed synthetic log)%n",
            files));
    out.append(
        String.format(
            Locale.ROOT,
            "%-22s %9s %9s %9s %11s %11s %10s %12s%n",
            "",
            "total ms",
            "load ms",
            "plan ms",
            "parts ms",
            "srvq ms",
            "partitions",
            "driver CPU ms"));
    out.append(row("first (cold table)", first));
    out.append(
        String.format(
            Locale.ROOT,
            "%-22s %9.0f %9.0f %9.0f %11.0f %11.0f %10d %12.0f%n",
            "warm median of " + warm.size(),
            median(warm, PlanningBench.Planning::totalMs),
            median(warm, PlanningBench.Planning::loadMs),
            median(warm, PlanningBench.Planning::planMs),
            median(warm, PlanningBench.Planning::partitionsMs),
            median(warm, p -> p.serverQueryMs()),
            warm.get(0).partitions(),
            median(warm, PlanningBench.Planning::driverCpuMs)));
    out.append(
        String.format(
            Locale.ROOT,
            "warm min-max total ms: %.0f-%.0f; target <= 1000 ms (issue 15)%n",
            min(warm, PlanningBench.Planning::totalMs),
            max(warm, PlanningBench.Planning::totalMs)));
    out.append(
        String.format(
            Locale.ROOT,
            "driver heap held per planned query (3 held at once): %.0f MB, %.0f bytes per"
                + " file; heap used after GC: %.0f MB%n",
            mb(bench.retainedBytes()),
            bench.retainedBytes() / (double) files,
            mb(heapAfter)));
    out.append(
        "load = spark.read.format(\"deltaSharing\").load (metadata request); plan ="
            + " executedPlan (pushdown, server query, listing, statistics); parts ="
            + " toRdd().getNumPartitions (planInputPartitions); srvq = the connector's server query"
            + " incl. reading the answer (inside plan); driver CPU = CPU of the planning thread"
            + " (the server's threads excluded)\n");
    return out.toString();
  }

  private static String row(String label, PlanningBench.Planning p) {
    return String.format(
        Locale.ROOT,
        "%-22s %9.0f %9.0f %9.0f %11.0f %11d %10d %12.0f%n",
        label,
        p.totalMs(),
        p.loadMs(),
        p.planMs(),
        p.partitionsMs(),
        p.serverQueryMs(),
        p.partitions(),
        p.driverCpuMs());
  }

  private static String header(BenchTable t, int runs, String load) {
    Runtime rt = Runtime.getRuntime();
    return String.format(
        Locale.ROOT,
        "=== Lakeshare connector scan benchmark ===%n"
            + "machine: %d cores; JVM -Xmx%.0fm; Spark %s local[2]; load average at start %s%n"
            + "table: %s, Delta (delta-spark), not partitioned: %d rows, %d Parquet files, %d row"
            + " groups, %.0f MB (%.0f MB in the columns %s); snappy%n"
            + "each figure: median of %d runs after one warm-up run per source; sources"
            + " alternate%n",
        rt.availableProcessors(),
        rt.maxMemory() / 1048576.0,
        org.apache.spark.package$.MODULE$.SPARK_VERSION(),
        load,
        t.dir(),
        t.rows(),
        t.files().size(),
        t.rowGroups(),
        mb(t.bytes()),
        mb(t.selectiveBytes()),
        BenchTable.SELECTIVE,
        runs);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static double mb(double bytes) {
    return bytes / 1048576.0;
  }

  private static <T> double median(List<T> list, ToDoubleFunction<T> f) {
    double[] v = list.stream().mapToDouble(f).sorted().toArray();
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static <T> double min(List<T> list, ToDoubleFunction<T> f) {
    return list.stream().mapToDouble(f).min().orElse(Double.NaN);
  }

  private static <T> double max(List<T> list, ToDoubleFunction<T> f) {
    return list.stream().mapToDouble(f).max().orElse(Double.NaN);
  }
}
