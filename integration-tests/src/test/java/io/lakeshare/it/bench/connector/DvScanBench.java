package io.lakeshare.it.bench.connector;

import io.lakeshare.it.fixtures.SparkFixture;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution;
import scala.Option;

/**
 * Scans of a table with deletion vectors through the connector (delta response format, the vectors
 * applied by row index on Spark's vectorized Parquet reader) next to delta-spark reading the same
 * table directly, and the same scans of the version before the DELETE, so that the cost of the
 * vectors themselves shows. Prints figures; asserts only that every source returns the same rows.
 * Run by {@code integration-tests/bench/dv-bench.sh}; settings are system properties {@code
 * lakeshare.bench.*} (see the script).
 */
public final class DvScanBench {
  private static final String TOKEN = "bench-token-0123456789";

  /** One way to read the table: a reader and a version. */
  private record Source(String reader, long version, boolean withVectors) {
    String label() {
      return reader + " @v" + version;
    }
  }

  private final SparkSession spark;
  private final DvTable table;
  private final String tableUrl;
  private final RunMeter meter;
  private final int runs;
  private final List<Source> sources;

  private DvScanBench(
      SparkSession spark, DvTable table, String tableUrl, int runs, boolean before) {
    this.spark = spark;
    this.table = table;
    this.tableUrl = tableUrl;
    this.meter = new RunMeter(spark);
    this.runs = runs;
    List<Source> all = new ArrayList<>();
    all.add(new Source("connector", table.after(), true));
    all.add(new Source("delta", table.after(), true));
    if (before) {
      all.add(new Source("connector", table.before(), false));
      all.add(new Source("delta", table.before(), false));
    }
    this.sources = List.copyOf(all);
  }

  public static void main(String[] args) throws Exception {
    Path dir =
        Path.of(System.getProperty("lakeshare.bench.dir", "/tmp/lakeshare-cbench"))
            .toAbsolutePath()
            .normalize();
    long rows = Long.getLong("lakeshare.bench.rows", 24_000_000L);
    int files = Integer.getInteger("lakeshare.bench.files", 12);
    int runs = Integer.getInteger("lakeshare.bench.runs", 3);
    boolean profile = Boolean.parseBoolean(System.getProperty("lakeshare.bench.profile", "true"));
    boolean before = Boolean.parseBoolean(System.getProperty("lakeshare.bench.before", "true"));
    Files.createDirectories(dir);
    String loadStart = loadAverage();

    SparkSession spark = SparkFixture.spark();
    DvTable table = DvTable.ensure(spark, dir.resolve("dv-table"), rows, files);
    SharingServer server = SharingServer.start(ConfigLoader.parse(yaml(table), "bench"));
    try {
      Path profileFile = dir.resolve("dv-bench.share");
      Files.writeString(
          profileFile,
          "{\"shareCredentialsVersion\":1,\"endpoint\":\""
              + server.endpointUrl()
              + "\",\"bearerToken\":\""
              + TOKEN
              + "\"}");
      DvScanBench bench =
          new DvScanBench(spark, table, profileFile + "#bench.default.dv_table", runs, before);
      StringBuilder report = new StringBuilder();
      report.append(bench.header(loadStart));
      report.append(bench.check());
      report.append(bench.scans());
      if (profile) {
        report.append(bench.profiles(dir));
      }
      report.append(String.format(Locale.ROOT, "%nload average at the end: %s%n", loadAverage()));
      System.out.print(report);
    } finally {
      server.close();
    }
    spark.stop();
  }

  private static String yaml(DvTable table) {
    return "version: 1\n"
        + "host: 127.0.0.1\nport: 0\nendpoint: /delta-sharing\nrequestTimeoutSeconds: 900\n"
        + "authorization:\n  bearerToken: "
        + TOKEN
        + "\nshares:\n- name: bench\n  schemas:\n  - name: default\n    tables:\n"
        + "    - name: dv_table\n      location: \""
        + table.table().dir().toUri()
        + "\"\n      id: 00000000-0000-4000-8000-0000000d0001\n      historyShared: true\n";
  }

  private Dataset<Row> frame(String reader, long version, String responseFormat) {
    DataFrameReader r = spark.read().format(reader.equals("delta") ? "delta" : "deltaSharing");
    if (version != table.after()) {
      // the latest version is read as users read it, without versionAsOf
      r = r.option("versionAsOf", version);
    }
    if (reader.equals("delta")) {
      return r.load(table.table().dir().toString());
    }
    return r.option("responseFormat", responseFormat).load(tableUrl);
  }

  private Dataset<Row> frame(Source s) {
    return frame(s.reader(), s.version(), "delta");
  }

  /**
   * Makes Spark read and decode every selected column of every row into its internal rows, like the
   * connector benchmark's {@code noop} sink, which delta-spark 4.4 cannot plan over a table with
   * deletion vectors ("Cannot work with a non-pinned table snapshot of the TahoeFileIndex": the
   * write command's query misses the rule that pins the snapshot). The rows of the executed plan
   * are drained inside a SQL execution, which also reports the query to {@link RunMeter}.
   */
  private Runnable scan(Source s, boolean full) {
    return () -> {
      Dataset<Row> df = frame(s);
      if (!full) {
        df = df.select(BenchTable.SELECTIVE.get(0), BenchTable.SELECTIVE.get(1));
      }
      drain(df);
    };
  }

  static void drain(Dataset<Row> df) {
    QueryExecution qe = df.queryExecution();
    SQLExecution.withNewExecutionId(
        qe,
        Option.apply("dvBenchScan"),
        () -> {
          qe.toRdd().toJavaRDD().foreachPartition(DvScanBench::consume);
          return null;
        });
  }

  private static void consume(Iterator<InternalRow> rows) {
    while (rows.hasNext()) {
      rows.next();
    }
  }

  /**
   * Every source must return the same rows of its version, and none that the DELETE removed; the
   * connector's default format ({@code auto}) must read the deleted version like {@code delta}, and
   * {@code parquet}, which cannot carry vectors, must fail rather than return deleted rows.
   */
  private String check() {
    String[] aggregates = {
      "count(*)", "sum(customer_id)", "sum(qty)", "count_if(" + DvTable.DELETED + ")"
    };
    Map<String, Row> seen = new LinkedHashMap<>();
    for (Source s : sources) {
      seen.put(s.label(), frame(s).selectExpr(aggregates).first());
    }
    seen.put(
        "connector auto @v" + table.after(),
        frame("connector", table.after(), "auto").selectExpr(aggregates).first());
    Row after = seen.get("delta @v" + table.after());
    long remaining = after.getLong(0);
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%nRow check (count(*), sum(customer_id), sum(qty), rows matching the DELETE"
                + " predicate):%n"));
    for (Map.Entry<String, Row> e : seen.entrySet()) {
      out.append(String.format(Locale.ROOT, "  %-24s %s%n", e.getKey(), e.getValue()));
      boolean isAfter = e.getKey().endsWith("@v" + table.after());
      if (isAfter && !e.getValue().equals(after)) {
        throw new IllegalStateException("the sources disagree on the deleted version: " + seen);
      }
      if (isAfter && e.getValue().getLong(3) != 0) {
        throw new IllegalStateException(e.getKey() + " returned deleted rows: " + e.getValue());
      }
    }
    Row beforeRow = seen.get("delta @v" + table.before());
    if (beforeRow != null) {
      long removed = beforeRow.getLong(0) - remaining;
      if (!beforeRow.equals(seen.get("connector @v" + table.before()))
          || removed != beforeRow.getLong(3)
          || removed != table.vectors().cardinality()) {
        throw new IllegalStateException(
            "rows before/after the DELETE do not add up: "
                + seen
                + ", vector cardinality "
                + table.vectors().cardinality());
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  %d rows before the DELETE - %d deleted (= the vectors' cardinality) = %d%n",
              beforeRow.getLong(0),
              removed,
              remaining));
    }
    String parquet;
    try {
      Row r = frame("connector", table.after(), "parquet").selectExpr(aggregates).first();
      parquet = "returned " + r + (r.equals(after) ? "" : "  <-- WRONG");
    } catch (RuntimeException e) {
      String m = String.valueOf(e.getMessage());
      parquet = "failed: " + m.lines().findFirst().orElse("").strip();
      parquet = parquet.length() > 240 ? parquet.substring(0, 240) + "..." : parquet;
    }
    out.append("  connector responseFormat=parquet @v" + table.after() + ": " + parquet + "\n");
    System.err.print(out);
    return out.toString();
  }

  private String scans() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n%-9s %-18s %8s %-17s %7s %7s %7s %6s %7s %7s %7s %7s%n",
            "scan",
            "source",
            "median s",
            "(min-max)",
            "CPU s",
            "task s",
            "run s",
            "srv s",
            "FS MB",
            "plan ms",
            "speed",
            "taskCPU"));
    for (boolean full : new boolean[] {true, false}) {
      Map<Source, List<RunMeter.Sample>> samples = new LinkedHashMap<>();
      for (Source s : sources) {
        System.err.printf(
            Locale.ROOT, "[bench] warm-up %s %s%n", full ? "full" : "2-col", s.label());
        meter.measure(scan(s, full));
        samples.put(s, new ArrayList<>());
      }
      // Rounds alternate the sources so that drifting machine load hits them alike.
      for (int i = 0; i < runs; i++) {
        for (Source s : sources) {
          RunMeter.Sample m = meter.measure(scan(s, full));
          System.err.printf(Locale.ROOT, "[bench] %s %s run %d: %s%n", full, s.label(), i + 1, m);
          samples.get(s).add(m);
        }
      }
      for (Source s : sources) {
        List<RunMeter.Sample> list = samples.get(s);
        // speed and task CPU: delta-spark of the same version against this source (the
        // connector's speed relative to delta-spark reading the table directly)
        List<RunMeter.Sample> delta =
            samples.get(new Source("delta", s.version(), s.withVectors()));
        out.append(
            String.format(
                Locale.ROOT,
                "%-9s %-18s %8.2f %-17s %7.2f %7.2f %7.2f %6.2f %7s %7.0f %7.2f %7.2f%n",
                full ? "full" : "2 columns",
                s.label() + (s.withVectors() ? " DV" : ""),
                median(list, RunMeter.Sample::seconds),
                String.format(
                    Locale.ROOT,
                    "(%.2f-%.2f)",
                    min(list, RunMeter.Sample::seconds),
                    max(list, RunMeter.Sample::seconds)),
                median(list, RunMeter.Sample::cpuSeconds),
                median(list, RunMeter.Sample::taskCpuSeconds),
                median(list, RunMeter.Sample::taskRunSeconds),
                median(list, RunMeter.Sample::serverCpuSeconds),
                s.reader().equals("connector")
                    ? String.format(
                        Locale.ROOT, "%.0f", mb(median(list, m -> m.sharingBytesRead())))
                    : "-",
                median(list, m -> m.planningMs()),
                median(delta, RunMeter.Sample::seconds) / median(list, RunMeter.Sample::seconds),
                median(list, RunMeter.Sample::taskCpuSeconds)
                    / median(delta, RunMeter.Sample::taskCpuSeconds)));
      }
      if (sources.size() == 4) {
        for (String reader : List.of("connector", "delta")) {
          List<RunMeter.Sample> dv = samples.get(sources.get(reader.equals("connector") ? 0 : 1));
          List<RunMeter.Sample> clean =
              samples.get(sources.get(reader.equals("connector") ? 2 : 3));
          out.append(
              String.format(
                  Locale.ROOT,
                  "  %s cost of the vectors (@v%d / @v%d): time %.2fx, task CPU %.2fx, process CPU"
                      + " %.2fx%n",
                  reader,
                  table.after(),
                  table.before(),
                  median(dv, RunMeter.Sample::seconds) / median(clean, RunMeter.Sample::seconds),
                  median(dv, RunMeter.Sample::taskCpuSeconds)
                      / median(clean, RunMeter.Sample::taskCpuSeconds),
                  median(dv, RunMeter.Sample::cpuSeconds)
                      / median(clean, RunMeter.Sample::cpuSeconds)));
        }
      }
    }
    out.append(
        "speed = delta-spark's median time on the same version / this source's (>1: faster than"
            + " delta-spark); taskCPU = this source's task CPU / delta-spark's on the same"
            + " version\n"
            + "CPU s: process CPU per run; task s / run s: CPU and run time summed over Spark's"
            + " tasks (task metrics); srv s: CPU of the server's Jetty threads (same JVM)\n"
            + "FS MB: Parquet bytes the connector read through the lakeshare:// file system"
            + " (vectors are fetched beside it); plan ms: Spark's analysis+optimization+planning phases\n"
            + "connector reads use responseFormat=delta; @v"
            + table.before()
            + " is the version before the DELETE (10% more rows, no vectors)\n");
    return out.toString();
  }

  private String profiles(Path dir) throws Exception {
    StringBuilder out = new StringBuilder();
    out.append(
        "\nWhere the time goes: three more 2-column scans of the deleted version under JFR\n");
    for (Source s : sources.subList(0, 2)) {
      out.append("\n-- " + s.label() + " --\n");
      Runnable once = scan(s, false);
      out.append(
          ReadProfile.profile(
              () -> {
                once.run();
                once.run();
                once.run();
              },
              dir.resolve("dv-" + s.reader() + ".jfr"),
              14));
    }
    return out.toString();
  }

  private String header(String load) {
    Runtime rt = Runtime.getRuntime();
    BenchTable t = table.table();
    DvTable.Vectors v = table.vectors();
    return String.format(
        Locale.ROOT,
        "=== Lakeshare deletion-vector scan benchmark ===%n"
            + "machine: %d cores; JVM -Xmx%.0fm; Spark %s local[2]; load average at start %s%n"
            + "table: %s, Delta (delta-spark), %d rows in %d Parquet files, %d row groups, %.0f MB"
            + " (%.0f MB in the columns %s)%n"
            + "v%d: DELETE WHERE %s -> %d of %d files have a vector (%d vector files, %.2f MB),"
            + " %d rows deleted%n"
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
        table.after(),
        DvTable.DELETED,
        v.withVector(),
        v.files(),
        v.vectorFiles(),
        mb(v.vectorBytes()),
        v.cardinality(),
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
