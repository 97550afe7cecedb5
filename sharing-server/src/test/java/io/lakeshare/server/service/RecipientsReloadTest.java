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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recipients file changed under a running server: grants, new recipients and revocations take
 * effect within seconds without a restart, a broken file is refused with the old recipients kept,
 * and requests running through reloads never fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecipientsReloadTest {
  private static final String ALICE = "alice-reload-token-0123456789";
  private static final String BOB = "bob-reload-token-0123456789";
  private static final String CAROL = "carol-reload-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private Path file;
  private SharingServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    for (String t : new String[] {"t1", "t4"}) {
      new SyntheticLog(dir.resolve(t)).create(false).commit(SyntheticLog.adds(t, 1));
    }
    file = dir.resolve("recipients.yaml");
    write(
        "recipients:\n"
            + "- {name: alice, token: "
            + ALICE
            + ", grants: [{share: s1}]}\n"
            + "- {name: bob, token: "
            + BOB
            + ", grants: [{share: s2}]}\n");
    String yaml =
        """
        version: 1
        host: 127.0.0.1
        port: 0
        recipientsFile: %s
        shares:
        - name: s1
          schemas: [{name: a, tables: [{name: t1, location: "%s"}]}]
        - name: s2
          schemas: [{name: c, tables: [{name: t4, location: "%s"}]}]
        """
            .formatted(file, dir.resolve("t1").toUri(), dir.resolve("t4").toUri());
    server = SharingServer.start(ConfigLoader.parse(yaml, "reload.yaml"));
  }

  private io.lakeshare.server.LogCapture log;
  private List<String> logged;

  @BeforeAll
  void captureLog() {
    log = io.lakeshare.server.LogCapture.start();
    logged = log.lines;
  }

  @AfterAll
  void stop() throws Exception {
    log.close();
    server.close();
  }

  /** Replaces the file in one rename, as careful tools do, with a new modification time. */
  private void write(String text) throws Exception {
    Path tmp = dir.resolve("recipients.tmp");
    Files.writeString(tmp, text);
    Files.move(
        tmp,
        dir.resolve("recipients.yaml"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private HttpResponse<String> shares(String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.endpointUrl() + "/shares"))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<String> names(String token) throws Exception {
    HttpResponse<String> r = shares(token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode n : JSON.readTree(r.body()).path("items")) {
      out.add(n.path("name").asText());
    }
    return out;
  }

  private void awaitStatus(String token, int status) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (shares(token).statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(shares(token).statusCode()).isEqualTo(status);
  }

  @Test
  void changesApplyWithinSecondsAndABrokenFileKeepsTheOld() throws Exception {
    assertThat(names(ALICE)).containsExactly("s1");
    assertThat(names(BOB)).containsExactly("s2");
    assertThat(shares(CAROL).statusCode()).isEqualTo(401);

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger requests = new AtomicInteger();
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread client =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  HttpResponse<String> r = shares(ALICE);
                  requests.incrementAndGet();
                  if (r.statusCode() != 200) {
                    failures.add(r.statusCode() + " " + r.body());
                  }
                } catch (Exception e) {
                  failures.add(e.toString());
                }
              }
            });
    client.start();
    try {
      // bob revoked, carol added, alice granted both shares
      write(
          "recipients:\n"
              + "- {name: alice, token: "
              + ALICE
              + ", grants: [{share: s1}, {share: s2}]}\n"
              + "- {name: carol, token: "
              + CAROL
              + ", grants: [{share: s2}]}\n");
      awaitStatus(CAROL, 200);
      assertThat(shares(BOB).statusCode()).isEqualTo(401);
      assertThat(names(ALICE)).containsExactly("s1", "s2");
      assertThat(names(CAROL)).containsExactly("s2");

      // a grant of a share that does not exist: refused, the recipients in force stay
      write("recipients:\n- {name: alice, token: " + ALICE + ", grants: [{share: nope}]}\n");
      assertThat(server.reloadRecipients()).isFalse();
      Files.writeString(file, "recipients: [ {name: alice, token: " + ALICE);
      assertThat(server.reloadRecipients()).isFalse();
      Thread.sleep(2500); // the watch sees both changes too, and refuses them
      assertThat(logged).anyMatch(l -> l.contains("invalid YAML at line 1"));
      assertThat(logged).allMatch(l -> !l.contains(ALICE));
      assertThat(names(ALICE)).containsExactly("s1", "s2");
      assertThat(shares(CAROL).statusCode()).isEqualTo(200);

      // many valid reloads while the client keeps asking
      for (int i = 0; i < 10; i++) {
        write(
            "recipients:\n"
                + "- {name: alice, token: "
                + ALICE
                + ", grants: [{share: s"
                + (i % 2 == 0 ? "1" : "2")
                + "}]}\n");
        assertThat(server.reloadRecipients()).isTrue();
      }
      assertThat(names(ALICE)).containsExactly("s2");
      awaitStatus(CAROL, 401);
    } finally {
      running.set(false);
      client.join();
    }
    // revoking everyone leaves a closed server, never an open one
    write("recipients: []\n");
    assertThat(server.reloadRecipients()).isTrue();
    assertThat(shares(ALICE).statusCode()).isEqualTo(401);
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create(server.endpointUrl() + "/shares")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(requests.get()).isGreaterThan(10);
    assertThat(failures).as("requests during reloads").isEmpty();
  }
}
