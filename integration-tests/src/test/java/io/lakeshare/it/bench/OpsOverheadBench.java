package io.lakeshare.it.bench;

import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What the audit log and the metrics cost per request: two servers in one JVM over the same
 * synthetic table, one with {@code audit} and {@code metrics} and one without, asked alternately
 * (so both are equally warm and share the machine's state) for {@code GET /shares} and for a
 * snapshot query of the whole table. Prints the median and 90th percentile of each and the
 * difference. Run by {@code integration-tests/bench/ops-bench.sh}.
 */
public final class OpsOverheadBench {
  private static final String TOKEN = "ops-bench-token-0123456789abcdef";

  private OpsOverheadBench() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]).toAbsolutePath();
    int files = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    Path table = work.resolve("ops-" + files);
    if (!Files.exists(table.resolve("_delta_log"))
        && !new SyntheticDeltaLog(table, files, 10, 100).run()) {
      System.exit(1);
    }
    String base =
        """
        version: 1
        host: 127.0.0.1
        port: 0
        authorization: {bearerToken: %s}
        shares:
        - {name: s, schemas: [{name: a, tables: [{name: t, location: "%s"}]}]}
        """
            .formatted(TOKEN, table.toUri());
    String withOps =
        base
            + "audit: {file: \""
            + work.resolve("ops-audit/audit.json")
            + "\"}\nmetrics: {path: /metrics}\n";
    try (SharingServer off = SharingServer.start(ConfigLoader.parse(base, "off.yaml"));
        SharingServer on = SharingServer.start(ConfigLoader.parse(withOps, "on.yaml"))) {
      HttpClient http = HttpClient.newHttpClient();
      // warm-up: JIT, snapshot caches, connections
      for (int i = 0; i < 3; i++) {
        query(http, off);
        query(http, on);
      }
      for (int i = 0; i < 2000; i++) {
        shares(http, off);
        shares(http, on);
      }
      int sharesPerRound = 200;
      long[][] sharesNanos = new long[2][rounds * sharesPerRound];
      long[][] queryNanos = new long[2][rounds];
      for (int r = 0; r < rounds; r++) {
        SharingServer[] order =
            r % 2 == 0 ? new SharingServer[] {off, on} : new SharingServer[] {on, off};
        for (SharingServer s : order) {
          int k = s == off ? 0 : 1;
          for (int i = 0; i < sharesPerRound; i++) {
            sharesNanos[k][r * sharesPerRound + i] = shares(http, s);
          }
          queryNanos[k][r] = query(http, s);
        }
      }
      System.out.printf(
          "%-28s %12s %12s %12s %12s%n", "", "off p50", "on p50", "off p90", "on p90");
      print("GET /shares (us)", sharesNanos, 1e3);
      print("query, " + files + " files (ms)", queryNanos, 1e6);
    }
  }

  private static void print(String what, long[][] nanos, double unit) {
    long[] off = nanos[0].clone();
    long[] on = nanos[1].clone();
    Arrays.sort(off);
    Arrays.sort(on);
    System.out.printf(
        "%-28s %12.1f %12.1f %12.1f %12.1f%n",
        what,
        off[off.length / 2] / unit,
        on[on.length / 2] / unit,
        off[off.length * 9 / 10] / unit,
        on[on.length * 9 / 10] / unit);
  }

  private static long shares(HttpClient http, SharingServer s) throws Exception {
    long t = System.nanoTime();
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(s.endpointUrl() + "/shares"))
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET /shares: " + r.statusCode());
    }
    return System.nanoTime() - t;
  }

  private static long query(HttpClient http, SharingServer s) throws Exception {
    long t = System.nanoTime();
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(s.endpointUrl() + "/shares/s/schemas/a/tables/t/query"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("query: " + r.statusCode());
    }
    return System.nanoTime() - t;
  }
}
