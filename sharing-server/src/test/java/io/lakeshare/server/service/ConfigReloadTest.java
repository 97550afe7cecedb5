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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main config file changed under a running server that follows it: tables added, removed and
 * re-pointed, a new bearer token, and changed limits apply within seconds without a restart; a
 * removed table is not served from the snapshot cache nor through file URLs signed before; a broken
 * file is refused with the configuration in force kept; listener settings wait for a restart;
 * requests running through reloads never fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigReloadTest {
  private static final String TOKEN = "config-reload-token-0123456789";
  private static final String TOKEN2 = "config-reload-token-second-0123";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private Path file;
  private SharingServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private io.lakeshare.server.LogCapture log;
  private List<String> logged;

  @BeforeAll
  void start() throws Exception {
    new SyntheticLog(dir.resolve("t1")).create(false).commit(SyntheticLog.adds("t1", 2));
    new SyntheticLog(dir.resolve("t2")).create(false).commit(SyntheticLog.adds("t2", 3));
    new SyntheticLog(dir.resolve("t3")).create(false).commit(SyntheticLog.adds("t3", 4));
    Files.write(dir.resolve("t1").resolve("t1-0.parquet"), new byte[100]);
    file = dir.resolve("server.yaml");
    write(config(TOKEN, 0, "t1", "t1"));
    server = SharingServer.start(ConfigLoader.load(file));
    server.followConfigFile(file);
    // reload reports its warnings and successes at WARN and INFO
    log =
        io.lakeshare.server.LogCapture.start(
            SharingServer.class.getName(), org.apache.logging.log4j.Level.INFO);
    logged = log.lines;
  }

  /**
   * A config with tables {@code names} of share s, schema a, each at the location in {@code at}.
   */
  private String config(String token, int port, String... namesAndLocations) {
    StringBuilder tables = new StringBuilder();
    for (int i = 0; i < namesAndLocations.length; i += 2) {
      tables
          .append("      - {name: ")
          .append(namesAndLocations[i])
          .append(", location: \"")
          .append(dir.resolve(namesAndLocations[i + 1]).toUri())
          .append("\"}\n");
    }
    return """
        version: 1
        host: 127.0.0.1
        port: %d
        fileSigningKey: "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE="
        authorization: {bearerToken: %s}
        shares:
        - name: s
          schemas:
          - name: a
            tables:
        %s"""
        .formatted(port, token, tables.toString().indent(0));
  }

  private void write(String text) throws Exception {
    Path tmp = dir.resolve("server.tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @AfterAll
  void stop() throws Exception {
    log.close();
    server.close();
  }

  private HttpResponse<String> get(String token, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.endpointUrl() + path))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> query(String token, String table) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(server.endpointUrl() + "/shares/s/schemas/a/tables/" + table + "/query"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<String> tables(String token) throws Exception {
    HttpResponse<String> r = get(token, "/shares/s/schemas/a/tables");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode n : JSON.readTree(r.body()).path("items")) {
      out.add(n.path("name").asText());
    }
    return out;
  }

  /** The file ids of a query answer, sorted. */
  private List<String> files(String token, String table) throws Exception {
    HttpResponse<String> r = query(token, table);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> urls = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      JsonNode f = JSON.readTree(line).path("file");
      if (!f.isMissingNode()) {
        urls.add(f.path("url").asText());
      }
    }
    return urls;
  }

  private void await(String what, java.util.concurrent.Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void configChangesApplyWithinSecondsAndABrokenFileKeepsTheOld() throws Exception {
    assertThat(tables(TOKEN)).containsExactly("t1");
    List<String> t1Urls = files(TOKEN, "t1");
    assertThat(t1Urls).hasSize(2);
    String signedBefore =
        t1Urls.stream().filter(u -> u.contains("t1-0.parquet")).findFirst().orElseThrow();
    HttpResponse<byte[]> download =
        http.send(
            HttpRequest.newBuilder(URI.create(signedBefore)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).hasSize(100);

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger requests = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    Thread client =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  // t2 is in every config this loop runs under
                  HttpResponse<String> r = query(TOKEN, "t2");
                  if (r.statusCode() == 200) {
                    requests.incrementAndGet();
                  } else {
                    failures.add(r.statusCode() + " " + r.body());
                  }
                } catch (Exception e) {
                  failures.add(e.toString());
                }
              }
            });

    // the file watch picks up an added table
    write(config(TOKEN, 0, "t1", "t1", "t2", "t2"));
    await("t2 listed", () -> tables(TOKEN).contains("t2"));
    assertThat(tables(TOKEN)).containsExactly("t1", "t2");
    assertThat(files(TOKEN, "t2")).hasSize(3);
    client.start();
    try {
      // t1 removed: 404 at once, its cached snapshot dropped, its signed file URL refused
      write(config(TOKEN, 0, "t2", "t2"));
      assertThat(server.reload()).isTrue();
      assertThat(tables(TOKEN)).containsExactly("t2");
      HttpResponse<String> gone = query(TOKEN, "t1");
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(gone.body()).contains("RESOURCE_DOES_NOT_EXIST");
      HttpResponse<byte[]> refused =
          http.send(
              HttpRequest.newBuilder(URI.create(signedBefore)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(refused.statusCode()).isIn(403, 404);

      // t1 comes back pointing at t3's files: the answer is t3's, not a cached t1 snapshot
      write(config(TOKEN, 0, "t1", "t3", "t2", "t2"));
      assertThat(server.reload()).isTrue();
      assertThat(files(TOKEN, "t1")).hasSize(4).allMatch(u -> u.contains("t3-"));

      // broken files: refused, the configuration in force kept
      Files.writeString(file, "version: 1\nshares: [ {name: s");
      assertThat(server.reload()).isFalse();
      write(config(TOKEN, 0, "t2", "t2").replace("\"}", "\", storage: nope}"));
      assertThat(server.reload()).isFalse();
      Thread.sleep(2500); // the watch sees the change too, and refuses it
      assertThat(logged).anyMatch(l -> l.contains("Keeping the configuration in force"));
      assertThat(logged).anyMatch(l -> l.contains("invalid YAML at line 2, column 19"));
      assertThat(logged).anyMatch(l -> l.contains("nope"));
      assertThat(tables(TOKEN)).containsExactly("t1", "t2");

      // many valid reloads while the client keeps querying t2
      for (int i = 0; i < 10; i++) {
        write(i % 2 == 0 ? config(TOKEN, 0, "t2", "t2", "t3", "t3") : config(TOKEN, 0, "t2", "t2"));
        assertThat(server.reload()).isTrue();
      }
      Thread.sleep(300);
    } finally {
      running.set(false);
      client.join();
    }
    assertThat(requests.get()).isGreaterThan(10);
    assertThat(failures).as("queries during reloads").isEmpty();
    assertThat(tables(TOKEN)).containsExactly("t2");
    assertThat(logged).anyMatch(l -> l.startsWith("Reloaded " + file + ": 1 tables"));

    // a listener setting waits for a restart; the rest applies, here a new token
    int port = server.port();
    write(config(TOKEN2, port + 1, "t2", "t2"));
    assertThat(server.reload()).isTrue();
    assertThat(server.port()).isEqualTo(port);
    assertThat(logged).anyMatch(l -> l.contains("Reload keeps the running port"));
    assertThat(get(TOKEN, "/shares").statusCode()).isEqualTo(401);
    assertThat(tables(TOKEN2)).containsExactly("t2");
    assertThat(logged).allMatch(l -> !l.contains(TOKEN) && !l.contains(TOKEN2));
  }

  @Test
  void aBrokenYamlLineIsNotQuotedInTheError() {
    // the line may hold a token: the error gives its position and the problem only
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "version: 1\nauthorization: {bearerToken: secret-token-123456789", "x.yaml"))
        .hasMessageContaining("invalid YAML at line 2")
        .hasMessageNotContaining("secret-token");
  }
}
