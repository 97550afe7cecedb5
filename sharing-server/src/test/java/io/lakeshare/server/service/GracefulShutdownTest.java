package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server asked to stop while it streams a large answer: it stops accepting connections at once,
 * lets the answer finish whole, then stops.
 */
class GracefulShutdownTest {
  private static final int FILES = 100_000;

  @TempDir Path dir;

  @Test
  void aStreamedAnswerInFlightFinishesWhileNewConnectionsAreRefused() throws Exception {
    new SyntheticLog(dir.resolve("t")).create(false).commit(SyntheticLog.adds("t", FILES));
    SharingServer server =
        SharingServer.start(
            ConfigLoader.parse(
                """
                version: 1
                host: 127.0.0.1
                port: 0
                shutdownGraceSeconds: 30
                shares:
                - {name: s, schemas: [{name: a, tables: [{name: t, location: "%s"}]}]}
                """
                    .formatted(dir.resolve("t").toUri()),
                "graceful.yaml"));
    int port = server.port();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<InputStream> answer =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(server.endpointUrl() + "/shares/s/schemas/a/tables/t/query"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(answer.statusCode()).isEqualTo(200);
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8));
    long lines = 0;
    for (int i = 0; i < 10; i++) {
      assertThat(reader.readLine()).isNotNull();
      lines++;
    }

    long start = System.nanoTime();
    CompletableFuture<Void> stopping =
        CompletableFuture.runAsync(
            () -> {
              try {
                server.close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(500);
    assertThat(stopping).isNotDone();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .as("no new connection while stopping")
        .isInstanceOf(ConnectException.class);

    while (reader.readLine() != null) {
      lines++;
    }
    // protocol, metaData and every file: the answer was not cut off
    assertThat(lines).isEqualTo(2 + FILES);
    stopping.get();
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
  }
}
