package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers with the same configuration and signing key, as behind one load balancer: page
 * tokens, refresh tokens and local-file URLs minted by one are accepted by the other, also by an
 * instance started after the one that minted them stopped (a rolling restart).
 */
class SeveralInstancesTest {
  private static final String TOKEN = "several-instances-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> query(SharingServer s, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(s.endpointUrl() + "/shares/s/schemas/a/tables/t/query"))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .header("delta-sharing-capabilities", "includeendstreamaction=true")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<JsonNode> lines(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  private static String end(List<JsonNode> lines, String field) {
    return lines.get(lines.size() - 1).path("endStreamAction").path(field).asText(null);
  }

  /** The URL with the other server's port: the same request through another instance. */
  private static String via(SharingServer other, String url) {
    URI u = URI.create(url);
    return "http://127.0.0.1:" + other.port() + u.getRawPath() + "?" + u.getRawQuery();
  }

  /**
   * A client that alternates between two instances and retries a failed request on the other one
   * loses nothing while each instance in turn is stopped and started again on its port.
   */
  @Test
  void aRollingRestartLosesNoRetriedRequest() throws Exception {
    new SyntheticLog(dir.resolve("r")).create(false).commit(SyntheticLog.adds("r", 3));
    String yaml =
        """
        version: 1
        host: 127.0.0.1
        port: %d
        fileSigningKey: "c2V2ZXJhbC1pbnN0YW5jZXMtc2hhcmUtb25lLWtleS0wMTIzNDU2Nzg5"
        authorization: {bearerToken: %s}
        shares:
        - {name: s, schemas: [{name: a, tables: [{name: t, location: "%s"}]}]}
        """;
    String location = dir.resolve("r").toUri().toString();
    SharingServer[] servers = {
      SharingServer.start(ConfigLoader.parse(yaml.formatted(0, TOKEN, location), "a.yaml")),
      SharingServer.start(ConfigLoader.parse(yaml.formatted(0, TOKEN, location), "b.yaml"))
    };
    String[] urls = {servers[0].endpointUrl(), servers[1].endpointUrl()};
    java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger retried =
        new java.util.concurrent.atomic.AtomicInteger();
    List<String> lost = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread client =
        new Thread(
            () -> {
              int i = 0;
              while (running.get()) {
                boolean ok = false;
                for (int attempt = 0; attempt < 6 && !ok; attempt++) {
                  String url = urls[(i + attempt) % 2];
                  try {
                    HttpResponse<String> r =
                        http.send(
                            HttpRequest.newBuilder(
                                    URI.create(url + "/shares/s/schemas/a/tables/t/query"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    ok = r.statusCode() == 200 && r.body().split("\n").length == 5;
                  } catch (Exception e) {
                    // the instance is restarting: try the other one
                  }
                  if (!ok) {
                    retried.incrementAndGet();
                  }
                }
                if (ok) {
                  done.incrementAndGet();
                } else {
                  lost.add("request " + i);
                }
                i++;
              }
            });
    client.start();
    try {
      for (int k = 0; k < 2; k++) {
        Thread.sleep(300);
        int port = servers[k].port();
        servers[k].close();
        Thread.sleep(200);
        servers[k] =
            SharingServer.start(
                ConfigLoader.parse(yaml.formatted(port, TOKEN, location), "restarted.yaml"));
        assertThat(servers[k].endpointUrl()).isEqualTo(urls[k]);
      }
      Thread.sleep(300);
    } finally {
      running.set(false);
      client.join();
      servers[0].close();
      servers[1].close();
    }
    assertThat(lost).isEmpty();
    assertThat(done.get()).isGreaterThan(20);
    assertThat(retried.get()).as("the restarts were noticed").isPositive();
  }

  @Test
  void tokensAndUrlsOfOneInstanceWorkOnTheOthers() throws Exception {
    new SyntheticLog(dir.resolve("t")).create(false).commit(SyntheticLog.adds("t", 5));
    for (int i = 0; i < 5; i++) {
      Files.write(dir.resolve("t").resolve("t-" + i + ".parquet"), new byte[100 + i]);
    }
    ServerConfig config =
        ConfigLoader.parse(
            """
            version: 1
            host: 127.0.0.1
            port: 0
            fileSigningKey: "c2V2ZXJhbC1pbnN0YW5jZXMtc2hhcmUtb25lLWtleS0wMTIzNDU2Nzg5"
            authorization: {bearerToken: %s}
            shares:
            - {name: s, schemas: [{name: a, tables: [{name: t, location: "%s"}]}]}
            """
                .formatted(TOKEN, dir.resolve("t").toUri()),
            "instances.yaml");
    SharingServer a = SharingServer.start(config);
    SharingServer b = SharingServer.start(config);
    try {
      // pages alternate between the instances: every file once
      TreeSet<String> ids = new TreeSet<>();
      String page = null;
      int pages = 0;
      do {
        SharingServer s = pages % 2 == 0 ? a : b;
        List<JsonNode> l =
            lines(
                query(
                    s,
                    page == null
                        ? "{\"maxFiles\":2}"
                        : "{\"maxFiles\":2,\"pageToken\":\"" + page + "\"}"));
        for (JsonNode n : l) {
          if (n.has("file")) {
            assertThat(ids.add(n.path("file").path("id").asText())).isTrue();
          }
        }
        page = end(l, "nextPageToken");
        pages++;
      } while (page != null);
      assertThat(pages).isEqualTo(3);
      assertThat(ids).hasSize(5);

      // a refresh token of A refreshes on B; a file URL signed by A downloads from B
      List<JsonNode> full = lines(query(a, "{\"includeRefreshToken\":true}"));
      String refresh = end(full, "refreshToken");
      assertThat(refresh).isNotNull();
      assertThat(
              lines(query(b, "{\"refreshToken\":\"" + refresh + "\"}")).stream()
                  .filter(n -> n.has("file"))
                  .count())
          .isEqualTo(5);
      String url = full.get(2).path("file").path("url").asText();
      long size = full.get(2).path("file").path("size").asLong();
      HttpResponse<byte[]> fromB =
          http.send(
              HttpRequest.newBuilder(URI.create(via(b, url))).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(fromB.statusCode()).isEqualTo(200);
      assertThat((long) fromB.body().length).isEqualTo(size);

      // rolling restart: A stops; a new instance takes tokens and URLs A minted
      List<JsonNode> first = lines(query(a, "{\"maxFiles\":2}"));
      String pageOfA = end(first, "nextPageToken");
      a.close();
      SharingServer a2 = SharingServer.start(config);
      try {
        assertThat(
                lines(query(a2, "{\"maxFiles\":2,\"pageToken\":\"" + pageOfA + "\"}")).stream()
                    .filter(n -> n.has("file"))
                    .count())
            .isEqualTo(2);
        assertThat(
                http.send(
                        HttpRequest.newBuilder(URI.create(via(a2, url))).build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                    .statusCode())
            .isEqualTo(200);
        assertThat(lines(query(a2, "{\"refreshToken\":\"" + refresh + "\"}"))).isNotEmpty();
      } finally {
        a2.close();
      }
    } finally {
      a.close();
      b.close();
    }
  }
}
