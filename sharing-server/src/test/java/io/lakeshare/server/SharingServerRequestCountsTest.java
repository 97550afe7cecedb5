package io.lakeshare.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.http.RequestStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharingServerRequestCountsTest {
  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private int send(String method, String url, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer secret-token");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void countsEveryRequestByMethodAndEndpointIncludingErrors() throws Exception {
    String yaml =
        "version: 1\nhost: 127.0.0.1\nport: 0\nendpoint: /delta-sharing\n"
            + "authorization:\n  bearerToken: secret-token\n"
            + "shares:\n- name: s\n  schemas:\n  - name: d\n    tables:\n    - name: t\n"
            + "      location: \""
            + dir.resolve("missing").toUri()
            + "\"\n";
    try (SharingServer server = SharingServer.start(ConfigLoader.parse(yaml, "test.yaml"))) {
      String base = server.endpointUrl();
      String table = base + "/shares/s/schemas/d/tables/t";
      assertThat(server.requestCounts()).isEmpty();

      assertThat(send("GET", base + "/shares", null)).isEqualTo(200);
      assertThat(send("GET", base + "/shares", null)).isEqualTo(200);
      assertThat(send("GET", base + "/shares/s", null)).isEqualTo(200);
      assertThat(send("GET", base + "/shares/s/schemas/d/tables", null)).isEqualTo(200);
      assertThat(send("POST", table + "/query", "{}")).isNotEqualTo(200);
      assertThat(send("GET", table + "/version", null)).isNotEqualTo(200);
      assertThat(send("GET", base + "/files/not-a-token/x.parquet", null)).isEqualTo(403);
      assertThat(send("GET", base + "/shares/s/nonsense", null)).isEqualTo(404);
      assertThat(send("GET", base + "/elsewhere", null)).isEqualTo(404);

      // the count is taken when the response completes, a moment after the client has it
      Map<String, RequestStats> counts = server.requestCounts();
      for (int i = 0; i < 100 && total(counts) < 9; i++) {
        TimeUnit.MILLISECONDS.sleep(20);
        counts = server.requestCounts();
      }
      assertThat(counts)
          .containsOnlyKeys(
              "GET shares",
              "GET share",
              "GET tables",
              "POST query",
              "GET version",
              "GET files",
              "GET other");
      assertThat(counts.get("GET shares").count()).isEqualTo(2);
      assertThat(counts.get("GET other").count()).isEqualTo(2);
      assertThat(counts.get("POST query").count()).isEqualTo(1);
      assertThat(counts.get("GET files").count()).isEqualTo(1);
      assertThat(counts.get("POST query").totalNanos()).isPositive();
      assertThat(counts.get("POST query").meanMillis()).isPositive();
    }
  }

  private static long total(Map<String, RequestStats> counts) {
    return counts.values().stream().mapToLong(RequestStats::count).sum();
  }
}
