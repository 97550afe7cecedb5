package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations on a running server: the audit log's lines, the Prometheus exposition (scraped and
 * parsed) on a separate port, liveness and readiness with a broken table, and the per-recipient
 * rate limit's 429 with Retry-After.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsTest {
  private static final String ALICE = "alice-ops-token-0123456789";
  private static final String BOB = "bob-ops-token-0123456789ab";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private SharingServer server;
  private Path audit;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    new SyntheticLog(dir.resolve("t1")).create(false).commit(SyntheticLog.adds("t1", 2));
    Files.write(dir.resolve("t1").resolve("t1-0.parquet"), new byte[100]);
    audit = dir.resolve("logs").resolve("audit.json");
    Files.createDirectories(audit.getParent());
    String yaml =
        """
        version: 1
        host: 127.0.0.1
        port: 0
        shares:
        - name: s
          schemas:
          - name: a
            tables:
            - {name: t1, location: "%s", historyShared: true}
            - {name: broken, location: "%s"}
        recipients:
        - {name: alice, token: %s, grants: [{share: s}]}
        - {name: bob, token: %s, grants: [{share: s}]}
        audit: {file: "%s", maxFileSizeMb: 10, maxFiles: 5}
        metrics: {path: /metrics, port: 0}
        rateLimit: {requestsPerSecond: 0.5, burst: 3}
        """
            .formatted(
                dir.resolve("t1").toUri(), dir.resolve("missing").toUri(), ALICE, BOB, audit);
    server = SharingServer.start(ConfigLoader.parse(yaml, "ops.yaml"));
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).header("User-Agent", "ops-test/1.0");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> query(String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(server.endpointUrl() + "/shares/s/schemas/a/tables/t1/query"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"version\":1}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<JsonNode> auditLines() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(audit)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  /** The samples of a Prometheus text exposition: "name{labels}" → value. */
  private static Map<String, Double> parse(String exposition) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  @Test
  void auditMetricsHealthAndRateLimit() throws Exception {
    String base = server.endpointUrl();
    assertThat(get(base + "/shares", ALICE).statusCode()).isEqualTo(200);
    HttpResponse<String> q = query(ALICE);
    assertThat(q.statusCode()).as(q.body()).isEqualTo(200);
    String requestId = q.headers().firstValue("X-Request-Id").orElseThrow();
    String fileUrl = null;
    for (String line : q.body().split("\n")) {
      JsonNode f = JSON.readTree(line).path("file");
      if (f.path("url").asText().contains("t1-0.parquet")) {
        fileUrl = f.path("url").asText();
      }
    }
    assertThat(fileUrl).isNotNull();
    HttpResponse<String> download = get(fileUrl, null);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(get(base + "/shares", "wrong-token-0123456789abcdef").statusCode()).isEqualTo(401);

    // bob: a burst of 3, then 429 with Retry-After (0.5 requests per second: 2 s)
    int ok = 0;
    HttpResponse<String> limited = null;
    for (int i = 0; i < 6 && limited == null; i++) {
      HttpResponse<String> r = get(base + "/shares", BOB);
      if (r.statusCode() == 429) {
        limited = r;
      } else {
        assertThat(r.statusCode()).isEqualTo(200);
        ok++;
      }
    }
    assertThat(ok).isEqualTo(3);
    assertThat(limited).isNotNull();
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(JSON.readTree(limited.body()).path("errorCode").asText())
        .isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(get(base + "/shares", ALICE).statusCode())
        .as("another recipient is not limited")
        .isEqualTo(200);

    // the audit log: one line per request, with what was answered and never a credential; a
    // line is written when the server completes the request, just after the client has its answer
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (auditLines().size() < 9 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    String auditText = Files.readString(audit);
    assertThat(auditText)
        .doesNotContain(ALICE)
        .doesNotContain(BOB)
        .doesNotContain("wrong-token")
        .doesNotContain(URI.create(fileUrl).getPath());
    List<JsonNode> lines = auditLines();
    JsonNode queryLine =
        lines.stream()
            .filter(l -> l.path("requestId").asText().equals(requestId))
            .findFirst()
            .orElseThrow();
    assertThat(queryLine.path("recipient").asText()).isEqualTo("alice");
    assertThat(queryLine.path("method").asText()).isEqualTo("POST");
    assertThat(queryLine.path("endpoint").asText()).isEqualTo("query");
    assertThat(queryLine.path("share").asText()).isEqualTo("s");
    assertThat(queryLine.path("schema").asText()).isEqualTo("a");
    assertThat(queryLine.path("table").asText()).isEqualTo("t1");
    assertThat(queryLine.path("versions").asText()).isEqualTo("version=1");
    assertThat(queryLine.path("tableVersion").asLong()).isEqualTo(1);
    assertThat(queryLine.path("responseFormat").asText()).isEqualTo("parquet");
    assertThat(queryLine.path("files").asLong()).isEqualTo(2);
    assertThat(queryLine.path("fileBytes").asLong()).isEqualTo(200);
    assertThat(queryLine.path("status").asInt()).isEqualTo(200);
    assertThat(queryLine.path("sourceIp").asText()).isEqualTo("127.0.0.1");
    assertThat(queryLine.path("userAgent").asText()).startsWith("Java-http-client");
    assertThat(queryLine.path("durationMs").asDouble()).isPositive();
    assertThat(queryLine.has("time")).isTrue();
    JsonNode downloadLine =
        lines.stream()
            .filter(l -> l.path("endpoint").asText().equals("files"))
            .findFirst()
            .orElseThrow();
    assertThat(downloadLine.path("bytesSent").asLong()).isEqualTo(100);
    assertThat(downloadLine.path("userAgent").asText()).isEqualTo("ops-test/1.0");
    assertThat(downloadLine.has("recipient")).isFalse();
    JsonNode refused =
        lines.stream().filter(l -> l.path("status").asInt() == 401).findFirst().orElseThrow();
    assertThat(refused.path("errorCode").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(refused.has("recipient")).isFalse();
    assertThat(lines)
        .filteredOn(l -> l.path("status").asInt() == 429)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.path("recipient").asText()).isEqualTo("bob");
              assertThat(l.path("errorCode").asText()).isEqualTo("RESOURCE_EXHAUSTED");
            });
    assertThat(lines).hasSize(1 + 1 + 1 + 1 + 4 + 1);

    // metrics on their own port, parsed
    assertThat(server.metricsPort()).isPositive().isNotEqualTo(server.port());
    String admin = "http://127.0.0.1:" + server.metricsPort();
    HttpResponse<String> scrape = get(admin + "/metrics", null);
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    Map<String, Double> m = parse(scrape.body());
    assertThat(m)
        .containsEntry(
            "lakeshare_requests_total{endpoint=\"POST query\",recipient=\"alice\",status=\"200\"}",
            1.0)
        .containsEntry(
            "lakeshare_requests_total{endpoint=\"GET shares\",recipient=\"alice\",status=\"200\"}",
            2.0)
        .containsEntry(
            "lakeshare_requests_total{endpoint=\"GET shares\",recipient=\"bob\",status=\"429\"}",
            1.0)
        .containsEntry(
            "lakeshare_requests_total{endpoint=\"GET shares\",recipient=\"none\",status=\"401\"}",
            1.0)
        .containsEntry("lakeshare_files_answered_total{recipient=\"alice\"}", 2.0)
        .containsEntry("lakeshare_file_bytes_answered_total{recipient=\"alice\"}", 200.0)
        .containsEntry("lakeshare_download_bytes_total", 100.0)
        .containsEntry("lakeshare_rate_limited_total{recipient=\"bob\"}", 1.0)
        .containsEntry("lakeshare_tables", 2.0)
        .containsEntry("lakeshare_request_duration_seconds_count{endpoint=\"POST query\"}", 1.0)
        .containsKey(
            "lakeshare_request_duration_seconds_bucket{endpoint=\"POST query\",le=\"+Inf\"}")
        .containsKey("jvm_memory_used_bytes{area=\"heap\"}");
    assertThat(m.get("lakeshare_snapshot_cache_misses_total")).isGreaterThanOrEqualTo(1.0);
    assertThat(m.get("lakeshare_snapshot_load_seconds_total")).isPositive();
    assertThat(m.get("lakeshare_urls_signed_total")).isEqualTo(2.0);
    assertThat(m.get("lakeshare_url_signing_seconds_total")).isPositive();
    // a JVM that started a server and answered requests has allocated megabytes
    assertThat(m.get("lakeshare_jvm_allocated_bytes_total")).isGreaterThan(1_000_000.0);
    assertThat(get(base.replace("/delta-sharing", "") + "/metrics", null).statusCode())
        .as("metrics with a port of their own are not on the sharing port")
        .isEqualTo(404);

    // health: live everywhere; ready says DOWN for the broken table, named only on the admin port
    assertThat(get(admin + "/health/live", null).statusCode()).isEqualTo(200);
    String root = base.replace("/delta-sharing", "");
    assertThat(get(root + "/health/live", null).body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(server.awaitWarmUp(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    HttpResponse<String> ready = get(root + "/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(ready.body()).path("failingTables").asInt()).isEqualTo(1);
    assertThat(ready.body()).doesNotContain("broken");
    HttpResponse<String> detailed = get(admin + "/health/ready", null);
    assertThat(detailed.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(detailed.body()).path("failures").get(0).path("table").asText())
        .isEqualTo("s.a.broken");
    assertThat(get(admin + "/shares", ALICE).statusCode())
        .as("the admin port serves no protocol")
        .isEqualTo(404);
  }
}
