package io.lakeshare.it.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop load of mixed endpoints against a running server: each connection cycles through
 * listings, version, metadata, snapshot queries (whole and with a limit hint) and a download of a
 * signed file URL, back to back, for a fixed time. Prints requests per second, latency percentiles,
 * the status histogram and transport errors; only requests that complete inside the window count.
 *
 * <p>Usage: {@code MixedLoad <endpoint> <token> <share.schema.table> <connections> <seconds>}.
 */
public final class MixedLoad {
  private static final Pattern URL = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"");

  private record Call(String name, String method, String url, String body) {}

  private record WorkerResult(long[] latenciesNanos, int count, Map<String, Long> statuses) {}

  private MixedLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println(
          "Usage: MixedLoad <endpoint> <token> <share.schema.table> <connections> <seconds>");
      System.exit(2);
    }
    String endpoint = args[0].replaceAll("/+$", "");
    String token = args[1];
    String[] name = args[2].split("\\.");
    int connections = Integer.parseInt(args[3]);
    long seconds = Long.parseLong(args[4]);
    String table = endpoint + "/shares/" + name[0] + "/schemas/" + name[1] + "/tables/" + name[2];
    String fileUrl = firstFileUrl(table, token);
    List<Call> calls =
        List.of(
            new Call("shares", "GET", endpoint + "/shares", null),
            new Call("schemas", "GET", endpoint + "/shares/" + name[0] + "/schemas", null),
            new Call("all-tables", "GET", endpoint + "/shares/" + name[0] + "/all-tables", null),
            new Call("version", "GET", table + "/version", null),
            new Call("metadata", "GET", table + "/metadata", null),
            new Call("query", "POST", table + "/query", "{}"),
            new Call("query-limit", "POST", table + "/query", "{\"limitHint\": 10}"),
            new Call("file", "GET", fileUrl, null));

    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<WorkerResult>> futures = new ArrayList<>();
    for (int w = 0; w < connections; w++) {
      int offset = w;
      futures.add(pool.submit(() -> work(calls, token, offset, end)));
    }
    long total = 0;
    Map<String, Long> statuses = new TreeMap<>();
    List<long[]> all = new ArrayList<>();
    for (Future<WorkerResult> f : futures) {
      WorkerResult r = f.get();
      total += r.count();
      all.add(Arrays.copyOf(r.latenciesNanos(), r.count()));
      r.statuses().forEach((k, v) -> statuses.merge(k, v, Long::sum));
    }
    pool.shutdownNow();
    long[] merged = new long[(int) total];
    int at = 0;
    for (long[] a : all) {
      System.arraycopy(a, 0, merged, at, a.length);
      at += a.length;
    }
    Arrays.sort(merged);
    double elapsed = seconds;
    System.out.printf(
        Locale.ROOT,
        "connections=%d seconds=%d requests=%d req/s=%.0f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f"
            + " statuses=%s%n",
        connections,
        seconds,
        total,
        total / elapsed,
        pct(merged, 0.50),
        pct(merged, 0.99),
        merged.length == 0 ? 0.0 : merged[merged.length - 1] / 1e6,
        statuses);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  private static String firstFileUrl(String table, String token) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(table + "/query"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = URL.matcher(r.body());
    if (r.statusCode() != 200 || !m.find()) {
      throw new IllegalStateException("No file URL in the query answer: " + r.statusCode());
    }
    return m.group(1).replace("\\/", "/");
  }

  private static WorkerResult work(List<Call> calls, String token, int offset, long end) {
    // One client per worker: requests are sequential, so it holds one connection.
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    long[] latencies = new long[1 << 16];
    int n = 0;
    Map<String, Long> statuses = new TreeMap<>();
    int i = offset;
    while (true) {
      Call call = calls.get(i++ % calls.size());
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(call.url())).timeout(Duration.ofSeconds(60));
      if (!call.name().equals("file")) {
        b.header("Authorization", "Bearer " + token);
      }
      if (call.body() != null) {
        b.header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
      }
      long t0 = System.nanoTime();
      String outcome;
      try {
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        outcome = Integer.toString(r.statusCode());
      } catch (Exception e) {
        outcome = e.getClass().getSimpleName();
      }
      long t1 = System.nanoTime();
      if (t1 > end) {
        return new WorkerResult(latencies, n, statuses);
      }
      if (n == latencies.length) {
        latencies = Arrays.copyOf(latencies, n * 2);
      }
      latencies[n++] = t1 - t0;
      statuses.merge(
          outcome.startsWith("2") ? outcome : call.name() + ":" + outcome, 1L, Long::sum);
    }
  }
}
