package io.lakeshare.server.ops;

import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.http.RequestCounter;
import io.lakeshare.server.http.RequestRecord;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics (the official Java client): requests by endpoint, status and
 * recipient, their latency, files and bytes answered, bytes of local files downloaded, the snapshot
 * cache, the tables served, rate-limited requests, and the JVM's own metrics. Label values come
 * from fixed sets (endpoints, statuses) or the configuration (recipient names), never from
 * arbitrary request text, so the series stay bounded.
 */
public final class ServerMetrics implements RequestCounter.Listener {
  private static final String UNAUTHENTICATED = "none";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests;
  private final Histogram latency;
  private final Counter files;
  private final Counter fileBytes;
  private final Counter downloadBytes;
  private final Counter rateLimited;

  /**
   * @param deltaTables the table handles in force (they change on a config reload)
   * @param tables how many tables are shared
   * @param signing URLs signed so far and the nanoseconds spent signing them
   */
  public ServerMetrics(
      Supplier<DeltaTables> deltaTables, IntSupplier tables, Supplier<long[]> signing) {
    requests =
        Counter.builder()
            .name("lakeshare_requests_total")
            .help("Requests answered, by endpoint, HTTP status and recipient")
            .labelNames("endpoint", "status", "recipient")
            .register(registry);
    latency =
        Histogram.builder()
            .name("lakeshare_request_duration_seconds")
            .help("Time from a request's arrival to the end of its answer, by endpoint")
            .unit(Unit.SECONDS)
            .labelNames("endpoint")
            .classicOnly()
            .classicUpperBounds(
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .register(registry);
    files =
        Counter.builder()
            .name("lakeshare_files_answered_total")
            .help("Data files listed in answers (each with a signed URL), by recipient")
            .labelNames("recipient")
            .register(registry);
    fileBytes =
        Counter.builder()
            .name("lakeshare_file_bytes_answered_total")
            .help("Bytes of the data files listed in answers, by recipient")
            .labelNames("recipient")
            .register(registry);
    downloadBytes =
        Counter.builder()
            .name("lakeshare_download_bytes_total")
            .help("Bytes of local files served by the file endpoint")
            .register(registry);
    rateLimited =
        Counter.builder()
            .name("lakeshare_rate_limited_total")
            .help("Requests refused with 429 by the per-recipient rate limit")
            .labelNames("recipient")
            .register(registry);
    CounterWithCallback.builder()
        .name("lakeshare_snapshot_cache_hits_total")
        .help("Table snapshots answered from the cache")
        .callback(cb -> cb.call(deltaTables.get().stats().hits()))
        .register(registry);
    CounterWithCallback.builder()
        .name("lakeshare_snapshot_cache_misses_total")
        .help("Table snapshots loaded from the Delta log (new table, new commits or old version)")
        .callback(cb -> cb.call(deltaTables.get().stats().misses()))
        .register(registry);
    CounterWithCallback.builder()
        .name("lakeshare_snapshot_load_seconds_total")
        .help("Time spent loading snapshots from the Delta log (Kernel log replay)")
        .callback(cb -> cb.call(deltaTables.get().stats().loadNanos() / 1e9))
        .register(registry);
    CounterWithCallback.builder()
        .name("lakeshare_file_list_cache_hits_total")
        .help("File listings answered from a cached replay of the same table version")
        .callback(cb -> cb.call(deltaTables.get().fileLists().hits()))
        .register(registry);
    CounterWithCallback.builder()
        .name("lakeshare_file_list_cache_misses_total")
        .help("File listings that replayed the Delta log")
        .callback(cb -> cb.call(deltaTables.get().fileLists().misses()))
        .register(registry);
    CounterWithCallback.builder()
        .name("lakeshare_file_list_cache_evictions_total")
        .help("Cached file lists dropped for the size budget or by the garbage collector")
        .callback(cb -> cb.call(deltaTables.get().fileLists().evictions()))
        .register(registry);
    CounterWithCallback.builder()
        .name("lakeshare_file_list_cache_filled_total")
        .help("File lists replayed ahead of any query by the warm-up and kept")
        .callback(cb -> cb.call(deltaTables.get().fileLists().filled()))
        .register(registry);
    io.prometheus.metrics.core.metrics.GaugeWithCallback.builder()
        .name("lakeshare_file_list_cache_bytes")
        .help(
            "Estimated heap held by cached file lists (budget: lakeshare_file_list_cache_max_bytes)")
        .callback(cb -> cb.call(deltaTables.get().fileLists().bytes()))
        .register(registry);
    io.prometheus.metrics.core.metrics.GaugeWithCallback.builder()
        .name("lakeshare_file_list_cache_max_bytes")
        .help("The file list cache's budget")
        .callback(cb -> cb.call(deltaTables.get().fileLists().maxBytes()))
        .register(registry);
    CounterWithCallback.builder()
        .name("lakeshare_urls_signed_total")
        .help("File URLs signed (pre-signed cloud URLs and local file URLs)")
        .callback(cb -> cb.call(signing.get()[0]))
        .register(registry);
    CounterWithCallback.builder()
        .name("lakeshare_url_signing_seconds_total")
        .help("Time spent signing file URLs")
        .callback(cb -> cb.call(signing.get()[1] / 1e9))
        .register(registry);
    GaugeWithCallback.builder()
        .name("lakeshare_tables")
        .help("Tables shared by the configuration in force")
        .callback(cb -> cb.call(tables.getAsInt()))
        .register(registry);
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported()) {
      // HotSpot's per-thread allocation counters, summed (threads that ended included): what
      // the JVM metrics lack to measure allocation per request
      CounterWithCallback.builder()
          .name("lakeshare_jvm_allocated_bytes_total")
          .help("Heap bytes allocated by all threads since the JVM started (approximate)")
          .callback(
              cb -> {
                long total = t.getTotalThreadAllocatedBytes();
                if (total >= 0) {
                  cb.call(total);
                }
              })
          .register(registry);
    }
    JvmMetrics.builder().register(registry);
  }

  @Override
  public void completed(RequestCounter.Completed c) {
    RequestRecord r = c.record();
    String endpoint = c.endpoint();
    String recipient = r.recipient() == null ? UNAUTHENTICATED : r.recipient();
    requests.labelValues(endpoint, Integer.toString(c.status()), recipient).inc();
    latency.labelValues(endpoint).observe(c.durationNanos() / 1e9);
    if (r.files() > 0) {
      files.labelValues(recipient).inc(r.files());
      fileBytes.labelValues(recipient).inc(r.fileBytes());
    }
    if (r.bytesSent() > 0 && !c.aborted()) {
      downloadBytes.inc(r.bytesSent());
    }
  }

  /** Counts a request the rate limit refused. */
  public void rateLimited(String recipient) {
    rateLimited.labelValues(recipient).inc();
  }

  public String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  /** Writes the exposition in the Prometheus text format. */
  public void scrape(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
