package io.lakeshare.spark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmarks: the driver's side of directory-access planning, the connector's own Kernel listing
 * the snapshot's files from the table's log (what replaces the server query in {@code dir} mode),
 * on a local table with a {@code file:} scope.
 */
public final class DirectoryPlanningProbe {
  /** One listing: wall and CPU time of the listing thread, and the files listed. */
  public record Listing(double wallMs, double cpuMs, int files) {}

  private DirectoryPlanningProbe() {}

  /**
   * Lists the latest snapshot of {@code table} {@code runs} times with a fresh engine each time, as
   * each {@code dir}-mode query does.
   */
  public static List<Listing> run(
      Path table, String schemaString, List<String> partitions, int runs) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String root = table.toUri().toString().replaceAll("/$", "");
    DirectoryRefresher access =
        new DirectoryRefresher(
            () -> {
              throw new IllegalStateException("no renewal in a benchmark");
            },
            "bench",
            Map.of(),
            new DirectoryCredentials(root, System.currentTimeMillis() + 3_600_000L, Map.of()));
    List<Listing> out = new ArrayList<>();
    try {
      for (int i = 0; i < runs; i++) {
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        FileListing l =
            DirectoryListing.list(
                "bench",
                access,
                ReadOptions.parse("bench", Map.of(), ZoneOffset.UTC),
                schemaString,
                partitions,
                null);
        out.add(
            new Listing(
                (System.nanoTime() - start) / 1e6,
                (threads.getCurrentThreadCpuTime() - cpu) / 1e6,
                l.files().size()));
      }
    } finally {
      access.release();
    }
    return out;
  }
}
