package io.lakeshare.it.bench.connector;

import io.lakeshare.it.bench.SyntheticDeltaLog;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;

/**
 * Driver planning time through the connector for a table of many files: a synthetic checkpointed
 * Delta log (see {@link SyntheticDeltaLog}; the data files need not exist for planning) served by
 * the in-process server. One planning is {@code load} (the metadata request), the executed plan
 * (pushdown, the server query and file listing, statistics) and the input partitions.
 */
final class PlanningBench {
  /**
   * One planning, split in its three steps, plus what the connector says the server query took and
   * the CPU time of the planning (driver) thread, which excludes the server's threads.
   */
  record Planning(
      double loadMs,
      double planMs,
      double partitionsMs,
      long serverQueryMs,
      int partitions,
      double driverCpuMs) {
    double totalMs() {
      return loadMs + planMs + partitionsMs;
    }
  }

  private final SparkSession spark;
  private final String url;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private long retainedBytes = -1;

  PlanningBench(SparkSession spark, String url) {
    this.spark = spark;
    this.url = url;
  }

  /** Writes the synthetic log of {@code files} files in {@code dir} unless it is there. */
  static void ensureLog(Path dir, int files) throws IOException {
    if (Files.exists(dir.resolve("_delta_log/_last_checkpoint"))) {
      System.err.println("[bench] reusing " + dir);
      return;
    }
    BenchTable.deleteRecursively(dir);
    System.err.printf(Locale.ROOT, "[bench] writing a %d-file Delta log to %s%n", files, dir);
    if (!new SyntheticDeltaLog(dir, files, 10, 100).run()) {
      throw new IllegalStateException("the synthetic Delta log failed its checks");
    }
  }

  /** Plans once. */
  Planning planOnce() {
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    Dataset<Row> df = spark.read().format("deltaSharing").load(url);
    long t1 = System.nanoTime();
    QueryExecution qe = df.queryExecution();
    qe.executedPlan();
    long t2 = System.nanoTime();
    // toRdd, not df.rdd(): the latter plans a second query (and lists the files again).
    int partitions = qe.toRdd().getNumPartitions();
    long t3 = System.nanoTime();
    long cpu1 = threads.getCurrentThreadCpuTime();
    return new Planning(
        (t1 - t0) / 1e6,
        (t2 - t1) / 1e6,
        (t3 - t2) / 1e6,
        RunMeter.serverQueryMs(qe.optimizedPlan()),
        partitions,
        (cpu1 - cpu0) / 1e6);
  }

  /** The first planning (cold for this table), then {@code warm} more. */
  List<Planning> run(int warm) {
    List<Planning> out = new ArrayList<>();
    out.add(planOnce());
    for (int i = 0; i < warm; i++) {
      out.add(planOnce());
    }
    retainedBytes = measureRetained(3);
    return out;
  }

  /**
   * The heap {@code n} planned queries hold at once (DataFrame, plan, planned tasks and what the
   * driver keeps for their URLs), divided by {@code n}: one query's retained size is below the
   * noise of a collection, several held together are not.
   */
  private long measureRetained(int n) {
    long before = usedAfterGc();
    List<Object> held = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Dataset<Row> df = spark.read().format("deltaSharing").load(url);
      QueryExecution qe = df.queryExecution();
      qe.executedPlan();
      qe.toRdd().getNumPartitions();
      held.add(df);
      held.add(qe);
    }
    long after = usedAfterGc();
    Reference.reachabilityFence(held);
    return (after - before) / n;
  }

  /** Heap held by one planned query (its DataFrame, plan and partitions), or -1. */
  long retainedBytes() {
    return retainedBytes;
  }

  long usedAfterGc() {
    System.gc();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }
}
