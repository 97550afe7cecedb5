package io.lakeshare.it.bench;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * Baseline for the query benchmark: how long Delta Kernel alone takes to list a table's files with
 * statistics, in a fresh JVM (cold: snapshot load plus first listing) and then repeatedly on the
 * same snapshot (warm), which is what the server does for each query of an unchanged table.
 *
 * <p>Usage: {@code KernelScanBaseline <tableDir> [warmRuns]}; prints one {@code key=value} line.
 */
public final class KernelScanBaseline {
  private KernelScanBaseline() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("Usage: KernelScanBaseline <tableDir> [warmRuns]");
      System.exit(2);
    }
    String table = args[0];
    int warmRuns = args.length > 1 ? Integer.parseInt(args[1]) : 10;

    long t0 = System.nanoTime();
    Engine engine = DefaultEngine.create(new Configuration());
    Snapshot snapshot = TableManager.loadSnapshot(table).build(engine);
    long t1 = System.nanoTime();
    long[] cold = ScanFileCount.count(snapshot, engine);
    long t2 = System.nanoTime();

    double[] warm = new double[warmRuns];
    long cpuBefore = processCpuNanos();
    for (int i = 0; i < warmRuns; i++) {
      long s = System.nanoTime();
      long[] c = ScanFileCount.count(snapshot, engine);
      warm[i] = (System.nanoTime() - s) / 1e6;
      if (c[0] != cold[0] || c[2] != cold[2]) {
        throw new IllegalStateException("Listings differ between runs");
      }
    }
    long cpuAfter = processCpuNanos();
    double[] sorted = warm.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "baseline files=%d withStats=%d coldSnapshotMs=%.0f coldListMs=%.0f warmRuns=%d"
            + " warmMedianMs=%.0f warmMinMs=%.0f warmMaxMs=%.0f warmCpuMsPerListing=%.0f%n",
        cold[0],
        cold[1],
        (t1 - t0) / 1e6,
        (t2 - t1) / 1e6,
        warmRuns,
        warmRuns == 0 ? Double.NaN : median(sorted),
        warmRuns == 0 ? Double.NaN : sorted[0],
        warmRuns == 0 ? Double.NaN : sorted[warmRuns - 1],
        warmRuns == 0 ? Double.NaN : (cpuAfter - cpuBefore) / 1e6 / warmRuns);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** CPU time of all threads of this JVM, including GC, which a listing of this size keeps busy. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
