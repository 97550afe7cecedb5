package io.lakeshare.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipients CLI against a running server that reloads the file it edits. */
class RecipientsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private String out;
  private String err;

  private int cli(String... args) throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(o, true, StandardCharsets.UTF_8),
            new PrintStream(e, true, StandardCharsets.UTF_8));
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  private static String token(Path profile) throws Exception {
    return JSON.readTree(profile.toFile()).path("bearerToken").asText();
  }

  private int status(SharingServer server, String token) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(server.endpointUrl() + "/shares"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private List<String> shares(SharingServer server, String token) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.endpointUrl() + "/shares"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    List<String> names = new ArrayList<>();
    for (JsonNode n : JSON.readTree(r.body()).path("items")) {
      names.add(n.path("name").asText());
    }
    return names;
  }

  @Test
  void createRotateRevokeAndListDriveTheServer() throws Exception {
    Path file = dir.resolve("recipients.yaml");
    String endpoint = "https://sharing.example/delta-sharing";
    Path p1 = dir.resolve("alice-1.share");
    assertThat(
            cli(
                "recipients",
                "create",
                "--file",
                file.toString(),
                "--name",
                "alice",
                "--grant",
                "s1",
                "--endpoint",
                endpoint,
                "--profile",
                p1.toString()))
        .as(err)
        .isZero();
    assertThat(Files.readString(file)).contains("tokenHash: sha256:").doesNotContain(token(p1));
    assertThat(JSON.readTree(p1.toFile()).path("endpoint").asText()).isEqualTo(endpoint);

    Path t = dir.resolve("t");
    Files.createDirectories(t.resolve("_delta_log"));
    Files.writeString(
        t.resolve("_delta_log/00000000000000000000.json"),
        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
            + "{\"metaData\":{\"id\":\"m\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
            + "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","
            + "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1}}\n");
    String yaml =
        """
        version: 1
        host: 127.0.0.1
        port: 0
        recipientsFile: %s
        shares:
        - {name: s1, schemas: [{name: a, tables: [{name: t, location: "%s"}]}]}
        - {name: s2, schemas: [{name: c, tables: [{name: t, location: "%s"}]}]}
        """
            .formatted(file, t.toUri(), t.toUri());
    try (SharingServer server = SharingServer.start(ConfigLoader.parse(yaml, "cli.yaml"))) {
      assertThat(shares(server, token(p1))).containsExactly("s1");

      Path bob = dir.resolve("bob.share");
      assertThat(
              cli(
                  "recipients",
                  "create",
                  "--file",
                  file.toString(),
                  "--name",
                  "bob",
                  "--grant",
                  "s2.c",
                  "--property",
                  "country=DE",
                  "--endpoint",
                  endpoint,
                  "--profile",
                  bob.toString()))
          .isZero();
      assertThat(server.reloadRecipients()).isTrue();
      assertThat(shares(server, token(bob))).containsExactly("s2");

      // rotation with a grace period: both tokens work
      Path p2 = dir.resolve("alice-2.share");
      assertThat(
              cli(
                  "recipients",
                  "rotate",
                  "--file",
                  file.toString(),
                  "--name",
                  "alice",
                  "--grace",
                  "PT1H",
                  "--endpoint",
                  endpoint,
                  "--profile",
                  p2.toString()))
          .isZero();
      assertThat(server.reloadRecipients()).isTrue();
      assertThat(status(server, token(p1))).isEqualTo(200);
      assertThat(status(server, token(p2))).isEqualTo(200);

      // rotation without grace: only the newest works
      Path p3 = dir.resolve("alice-3.share");
      assertThat(
              cli(
                  "recipients",
                  "rotate",
                  "--file",
                  file.toString(),
                  "--name",
                  "alice",
                  "--grace",
                  "PT0S",
                  "--endpoint",
                  endpoint,
                  "--profile",
                  p3.toString()))
          .isZero();
      assertThat(server.reloadRecipients()).isTrue();
      assertThat(status(server, token(p1))).isEqualTo(401);
      assertThat(status(server, token(p2))).isEqualTo(401);
      assertThat(status(server, token(p3))).isEqualTo(200);

      // an expiry goes into the file and the profile
      Path carol = dir.resolve("carol.share");
      assertThat(
              cli(
                  "recipients",
                  "create",
                  "--file",
                  file.toString(),
                  "--name",
                  "carol",
                  "--grant",
                  "s1.a.t",
                  "--expires-at",
                  "2001-01-01T00:00:00Z",
                  "--endpoint",
                  endpoint,
                  "--profile",
                  carol.toString()))
          .isZero();
      assertThat(JSON.readTree(carol.toFile()).path("expirationTime").asText())
          .isEqualTo("2001-01-01T00:00:00Z");
      assertThat(server.reloadRecipients()).isTrue();
      assertThat(status(server, token(carol))).isEqualTo(401);

      // the server notes each recipient's last request; list shows it (never for carol,
      // whose only request was refused)
      java.time.Instant beforeFlush = java.time.Instant.now().minusSeconds(1);
      server.flushLastUse();
      assertThat(cli("recipients", "list", "--file", file.toString())).isZero();
      assertThat(out)
          .contains("alice\tgrants=s1\texpiresAt=never\tpreviousTokenUntil=")
          .contains("bob\tgrants=s2.c\texpiresAt=never\tlastUse=20")
          .contains("carol\tgrants=s1.a.t\texpiresAt=2001-01-01T00:00:00Z\tlastUse=never")
          .doesNotContain("sha256");
      String aliceLine = out.lines().filter(l -> l.startsWith("alice\t")).findFirst().orElseThrow();
      java.time.Instant aliceUsed =
          java.time.Instant.parse(aliceLine.substring(aliceLine.indexOf("lastUse=") + 8));
      assertThat(aliceUsed).isAfter(beforeFlush.minusSeconds(60)).isBefore(java.time.Instant.now());

      // profile: a lost profile is written anew; every earlier token is void at once
      Path p4 = dir.resolve("alice-4.share");
      assertThat(
              cli(
                  "recipients",
                  "profile",
                  "--file",
                  file.toString(),
                  "--name",
                  "alice",
                  "--endpoint",
                  endpoint,
                  "--profile",
                  p4.toString()))
          .as(err)
          .isZero();
      assertThat(out).contains("every earlier token of it is void");
      assertThat(Files.readString(file)).doesNotContain(token(p4));
      assertThat(server.reloadRecipients()).isTrue();
      assertThat(status(server, token(p3))).isEqualTo(401);
      assertThat(status(server, token(p4))).isEqualTo(200);

      assertThat(cli("recipients", "revoke", "--file", file.toString(), "--name", "bob")).isZero();
      assertThat(server.reloadRecipients()).isTrue();
      assertThat(status(server, token(bob))).isEqualTo(401);

      assertThat(
              cli(
                  "recipients",
                  "create",
                  "--file",
                  file.toString(),
                  "--name",
                  "ALICE",
                  "--grant",
                  "s1",
                  "--endpoint",
                  endpoint,
                  "--profile",
                  p1.toString()))
          .isEqualTo(1);
      assertThat(err).contains("recipient 'ALICE' already exists");
      assertThat(cli("recipients", "revoke", "--file", file.toString(), "--name", "nobody"))
          .isEqualTo(1);
      assertThat(err).contains("no recipient 'nobody'");
      assertThat(cli("recipients", "create", "--file", file.toString())).isEqualTo(2);
      assertThat(err).contains("Missing required options");
    }
  }
}
