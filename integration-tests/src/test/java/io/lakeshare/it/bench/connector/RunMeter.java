package io.lakeshare.it.bench.connector;

import io.lakeshare.spark.ScanMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.QueryPlanningTracker;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2ScanRelation;
import org.apache.spark.sql.util.QueryExecutionListener;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Measures one Spark action: wall time, CPU of the whole process, CPU and run time of its Spark
 * tasks (from the task metrics), CPU of the server's Jetty threads (same JVM), bytes read through
 * the {@code lakeshare} and {@code file} Hadoop file systems, bytes over the loopback interface,
 * Spark's planning phases and the connector's server-query time.
 */
final class RunMeter {
  /** What one action cost. */
  record Sample(
      double seconds,
      double cpuSeconds,
      double taskCpuSeconds,
      double taskRunSeconds,
      double serverCpuSeconds,
      long sharingBytesRead,
      long localBytesRead,
      long loopbackBytes,
      long planningMs,
      long serverQueryMs) {}

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final BlockingQueue<QueryExecution> finished = new LinkedBlockingQueue<>();
  private final AtomicLong taskCpuNs = new AtomicLong();
  private final AtomicLong taskRunMs = new AtomicLong();
  private final SparkSession spark;

  RunMeter(SparkSession spark) {
    this.spark = spark;
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                  taskCpuNs.addAndGet(end.taskMetrics().executorCpuTime());
                  taskRunMs.addAndGet(end.taskMetrics().executorRunTime());
                }
              }
            });
    spark
        .listenerManager()
        .register(
            new QueryExecutionListener() {
              @Override
              public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
                finished.add(qe);
              }

              @Override
              public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
            });
  }

  Sample measure(Runnable action) {
    finished.clear();
    Map<Long, Long> serverBefore = serverThreadCpu();
    taskCpuNs.set(0);
    taskRunMs.set(0);
    long cpu0 = os.getProcessCpuTime();
    long sharing0 = fsBytesRead("lakeshare");
    long local0 = fsBytesRead("file");
    long lo0 = loopbackBytes();
    long t0 = System.nanoTime();
    action.run();
    long t1 = System.nanoTime();
    long lo1 = loopbackBytes();
    long cpu1 = os.getProcessCpuTime();
    long serverNs = serverCpuSince(serverBefore);
    QueryExecution qe;
    try {
      // The listener bus delivers the event asynchronously, shortly after the action returns.
      qe = finished.poll(10, TimeUnit.SECONDS);
      // and the task-end events, on another queue of the same bus
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      qe = null;
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    }
    return new Sample(
        (t1 - t0) / 1e9,
        (cpu1 - cpu0) / 1e9,
        taskCpuNs.get() / 1e9,
        taskRunMs.get() / 1e3,
        serverNs / 1e9,
        fsBytesRead("lakeshare") - sharing0,
        fsBytesRead("file") - local0,
        lo1 - lo0,
        qe == null ? -1 : planningMs(qe.tracker()),
        qe == null ? -1 : serverQueryMs(qe.optimizedPlan()));
  }

  /** CPU ns of the server's Jetty threads by thread id. */
  private Map<Long, Long> serverThreadCpu() {
    Map<Long, Long> out = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().matches("lakeshare-\\d+")) {
        out.put(info.getThreadId(), Math.max(0, threads.getThreadCpuTime(info.getThreadId())));
      }
    }
    return out;
  }

  /** CPU ns the server threads alive at the end used since {@code before}. */
  private long serverCpuSince(Map<Long, Long> before) {
    long ns = 0;
    for (Map.Entry<Long, Long> e : serverThreadCpu().entrySet()) {
      ns += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return ns;
  }

  @SuppressWarnings("deprecation") // the per-scheme totals are exactly what is wanted here
  private static long fsBytesRead(String scheme) {
    long total = 0;
    for (FileSystem.Statistics s : FileSystem.getAllStatistics()) {
      if (scheme.equals(s.getScheme())) {
        total += s.getBytesRead();
      }
    }
    return total;
  }

  /** Received bytes of the loopback interface (the whole machine's, not only this JVM's). */
  static long loopbackBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
        String t = line.trim();
        if (t.startsWith("lo:")) {
          return Long.parseLong(t.substring(3).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no figure
    }
    return 0;
  }

  private static long planningMs(QueryPlanningTracker tracker) {
    long ms = 0;
    for (var phase : CollectionConverters.asJava(tracker.phases()).values()) {
      ms += phase.durationMs();
    }
    return ms;
  }

  /** The connector's server-query time from its scan's driver metrics, or -1 without that scan. */
  static long serverQueryMs(LogicalPlan plan) {
    List<LogicalPlan> todo = new ArrayList<>(List.of(plan));
    while (!todo.isEmpty()) {
      LogicalPlan p = todo.remove(todo.size() - 1);
      if (p instanceof DataSourceV2ScanRelation rel) {
        for (CustomTaskMetric m : rel.scan().reportDriverMetrics()) {
          if (m.name().equals(ScanMetrics.PLANNING_MS)) {
            return m.value();
          }
        }
      }
      todo.addAll(CollectionConverters.asJava(p.children()));
      for (Object inner : CollectionConverters.asJava(p.innerChildren())) {
        if (inner instanceof LogicalPlan l) {
          todo.add(l);
        }
      }
    }
    return -1;
  }
}
