package io.lakeshare.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** Readiness while the start-up warm-up runs, and after. */
class OpsHandlerReadinessTest {
  @Test
  void readinessSaysWarmingWhileTheWarmUpHoldsItAndChecksTablesOnlyAfter() throws Exception {
    AtomicBoolean warming = new AtomicBoolean(true);
    AtomicInteger checks = new AtomicInteger();
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.setHandler(
        new OpsHandler(
            null,
            null,
            () -> {
              checks.incrementAndGet();
              return Map.of();
            },
            warming::get,
            false));
    jetty.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/health/ready");
      HttpResponse<String> r =
          http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("{\"status\":\"WARMING\"}");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(checks.get()).as("tables are not checked while warming").isZero();
      URI live = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/health/live");
      assertThat(
              http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as("the server is live while it warms up")
          .isEqualTo(200);

      warming.set(false);
      r = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}");
      assertThat(checks.get()).isEqualTo(1);
    } finally {
      jetty.stop();
    }
  }
}
