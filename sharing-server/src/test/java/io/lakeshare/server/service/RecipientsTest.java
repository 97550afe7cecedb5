package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.auth.TokenHash;
import io.lakeshare.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Named recipients over one server: each sees exactly its grants (listings, every table endpoint),
 * what it was not granted answers exactly like what does not exist, expired and unknown tokens are
 * 401, page and refresh tokens of one recipient are refused for another, the reference format's
 * bearer token still sees everything, and no token reaches the log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecipientsTest {
  private static final String ADMIN = "admin-token-of-the-reference-format";
  private static final String ALICE = "alice-token-0123456789abcdef";
  private static final String BOB = "bob-token-0123456789abcdef";
  private static final String CAROL = "carol-token-0123456789abcdef";
  private static final String ERIN = "erin-token-0123456789abcdef";
  private static final String FRANK = "frank-token-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private SharingServer server;
  private String base;
  private String yaml;
  private final HttpClient http = HttpClient.newHttpClient();
  private io.lakeshare.server.LogCapture log;
  private List<String> logLines;

  @BeforeAll
  void start() throws Exception {
    StringBuilder tables = new StringBuilder();
    String[][] layout = {
      {"s1", "a", "t1"}, {"s1", "a", "t2"}, {"s1", "b", "t3"}, {"s2", "c", "t4"}
    };
    for (String[] t : layout) {
      Path root = dir.resolve(t[2]);
      new SyntheticLog(root).create(true).commit(SyntheticLog.adds(t[2] + "-part", 2));
      Files.writeString(root.resolve(t[2] + "-part-0.parquet"), "bytes of " + t[2]);
    }
    yaml =
        """
        version: 1
        host: 127.0.0.1
        port: 0
        authorization: {bearerToken: %s}
        shares:
        - name: s1
          schemas:
          - name: a
            tables:
            - {name: t1, location: "%s", historyShared: true}
            - {name: t2, location: "%s", historyShared: true}
          - name: b
            tables:
            - {name: t3, location: "%s", historyShared: true}
        - name: s2
          schemas:
          - name: c
            tables:
            - {name: t4, location: "%s", historyShared: true}
        recipients:
        - name: alice
          token: %s
          grants: [{share: s1}]
        - name: bob
          tokenHash: "%s"
          grants:
          - {share: s1, tables: [a.t2]}
          - {share: S2, schemas: [C]}
        - name: carol
          token: %s
          expiresAt: 2001-01-01T00:00:00Z
          grants: [{share: s1}]
        - name: erin
          token: %s
          allowedIps: [10.0.0.0/8]
          grants: [{share: s1}]
        - name: frank
          token: %s
          allowedIps: [127.0.0.1]
          grants: [{share: s1}]
        trustedProxies: [127.0.0.1/32]
        """
            .formatted(
                ADMIN,
                dir.resolve("t1").toUri(),
                dir.resolve("t2").toUri(),
                dir.resolve("t3").toUri(),
                dir.resolve("t4").toUri(),
                ALICE,
                TokenHash.of(BOB),
                CAROL,
                ERIN,
                FRANK);
    log = io.lakeshare.server.LogCapture.start("io.lakeshare", Level.DEBUG);
    logLines = log.lines;
    server = SharingServer.start(ConfigLoader.parse(yaml, "recipients.yaml"));
    base = server.endpointUrl();
  }

  @AfterAll
  void stop() throws Exception {
    log.close();
    server.close();
  }

  private HttpResponse<String> get(String token, String path) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> query(String token, String table, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/shares/" + table + "/query"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("delta-sharing-capabilities", "includeendstreamaction=true")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<String> names(String token, String path) throws Exception {
    HttpResponse<String> r = get(token, path);
    assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode item : JSON.readTree(r.body()).path("items")) {
      String name = item.path("name").asText();
      out.add(item.has("schema") ? item.path("schema").asText() + "." + name : name);
    }
    return out;
  }

  @Test
  void listingsShowExactlyTheGrants() throws Exception {
    assertThat(names(ADMIN, "/shares")).containsExactly("s1", "s2");
    assertThat(names(ALICE, "/shares")).containsExactly("s1");
    assertThat(names(BOB, "/shares")).containsExactly("s1", "s2");

    assertThat(names(ALICE, "/shares/s1/schemas")).containsExactly("a", "b");
    assertThat(names(BOB, "/shares/s1/schemas")).containsExactly("a");
    assertThat(names(BOB, "/shares/s1/schemas/a/tables")).containsExactly("a.t2");
    assertThat(names(BOB, "/shares/s1/all-tables")).containsExactly("a.t2");
    assertThat(names(BOB, "/shares/s2/all-tables")).containsExactly("c.t4");
    assertThat(names(ALICE, "/shares/s1/all-tables")).containsExactly("a.t1", "a.t2", "b.t3");
    assertThat(names(ADMIN, "/shares/s2/schemas/c/tables")).containsExactly("c.t4");
  }

  /** What a recipient may not see, next to a name that does not exist at all. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "bob /shares/s1/schemas/a/tables/t1/metadata | /shares/s1/schemas/a/tables/t1X/metadata",
        "bob /shares/s1/schemas/a/tables/t1/version | /shares/s1/schemas/a/tables/t1X/version",
        "bob /shares/s1/schemas/a/tables/t1/changes?startingVersion=0"
            + " | /shares/s1/schemas/a/tables/t1X/changes?startingVersion=0",
        "bob /shares/s1/schemas/b/tables | /shares/s1/schemas/bX/tables",
        "bob /shares/s1/schemas/b/tables/t3/metadata | /shares/s1/schemas/bX/tables/t3/metadata",
        "alice /shares/s2 | /shares/s2X",
        "alice /shares/s2/schemas | /shares/s2X/schemas",
        "alice /shares/s2/all-tables | /shares/s2X/all-tables",
        "alice /shares/s2/schemas/c/tables/t4/metadata | /shares/s2X/schemas/c/tables/t4/metadata",
      })
  void whatIsNotGrantedAnswersLikeWhatDoesNotExist(String testCase) throws Exception {
    String[] parts = testCase.split(" ", 2);
    String token = parts[0].equals("bob") ? BOB : ALICE;
    String[] paths = parts[1].split(" \\| ");
    HttpResponse<String> hidden = get(token, paths[0]);
    HttpResponse<String> missing = get(token, paths[1]);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(hidden.statusCode()).as(hidden.body()).isEqualTo(404);
    String missingName = paths[1].replaceAll(".*?/([a-z0-9]+X)(/.*)?$", "$1");
    assertThat(hidden.body())
        .isEqualTo(missing.body().replace(missingName, missingName.replace("X", "")));
    // the admin sees it
    assertThat(get(ADMIN, paths[0]).statusCode()).isEqualTo(200);
  }

  @Test
  void queriesAnswerOnlyGrantedTablesAndTheirFilesAreServed() throws Exception {
    HttpResponse<String> denied = query(BOB, "s1/schemas/a/tables/t1", "{}");
    assertThat(denied.statusCode()).isEqualTo(404);
    assertThat(denied.body()).contains("RESOURCE_DOES_NOT_EXIST").doesNotContain("t1-part");

    HttpResponse<String> ok = query(BOB, "s1/schemas/a/tables/t2", "{}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).doesNotContain("t1-part");
    List<String> served = new ArrayList<>();
    for (String line : ok.body().split("\n")) {
      JsonNode file = JSON.readTree(line).path("file");
      if (file.has("url")) {
        HttpResponse<String> bytes =
            http.send(
                HttpRequest.newBuilder(URI.create(file.path("url").asText())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (bytes.statusCode() == 200) {
          served.add(bytes.body());
        }
      }
    }
    // the one file written to disk, through the URL minted for bob
    assertThat(served).containsExactly("bytes of t2");
  }

  @Test
  void expiredUnknownAndMissingTokensAre401() throws Exception {
    HttpResponse<String> expired = get(CAROL, "/shares");
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(expired.body()).path("errorCode").asText())
        .isEqualTo("UNAUTHENTICATED");
    assertThat(expired.body()).contains("expired");
    for (String token : new String[] {"nobody-0123456789abcdef", ALICE + "x", "", null}) {
      HttpResponse<String> r = get(token, "/shares");
      assertThat(r.statusCode()).as(String.valueOf(token)).isEqualTo(401);
      assertThat(r.body()).contains("UNAUTHENTICATED").doesNotContain("expired");
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }
  }

  private int fromAddress(String token, String forwardedFor) throws Exception {
    return fromAddress(base, token, forwardedFor);
  }

  private int fromAddress(String base, String token, String forwardedFor) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/shares"))
            .header("Authorization", "Bearer " + token);
    if (forwardedFor != null) {
      b.header("X-Forwarded-For", forwardedFor);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 403) {
      assertThat(r.body()).contains("PERMISSION_DENIED").contains("network address");
    }
    return r.statusCode();
  }

  /** The test's requests come from 127.0.0.1, which the config trusts as a proxy. */
  @Test
  void allowedAddressesAreCheckedBehindTrustedProxies() throws Exception {
    assertThat(fromAddress(ERIN, null)).as("the proxy itself is not in 10/8").isEqualTo(403);
    assertThat(fromAddress(ERIN, "10.1.2.3")).isEqualTo(200);
    assertThat(fromAddress(ERIN, "192.0.2.1, 10.1.2.3"))
        .as("a claim left of a real hop")
        .isEqualTo(200);
    assertThat(fromAddress(ERIN, "10.1.2.3, 192.0.2.1")).isEqualTo(403);
    assertThat(fromAddress(ERIN, "not-an-address")).isEqualTo(403);
    assertThat(fromAddress(FRANK, null)).isEqualTo(200);
    assertThat(fromAddress(FRANK, "10.1.2.3")).isEqualTo(403);
    // without allowedIps any address will do
    assertThat(fromAddress(ALICE, "192.0.2.1")).isEqualTo(200);
    // an unknown token is 401 from anywhere, so a 403 tells nothing to whoever lacks the token
    assertThat(fromAddress("nobody-0123456789abcdef", "192.0.2.1")).isEqualTo(401);
  }

  /**
   * The same recipients on a server that trusts only other proxies: the test's peer, 127.0.0.1, is
   * then an untrusted one, so its X-Forwarded-For is ignored and the peer address decides.
   */
  @Test
  void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
    String untrusted =
        yaml.replace("trustedProxies: [127.0.0.1/32]", "trustedProxies: [192.0.2.0/24, '::2']");
    assertThat(untrusted).isNotEqualTo(yaml);
    try (SharingServer other = SharingServer.start(ConfigLoader.parse(untrusted, "u.yaml"))) {
      String b = other.endpointUrl();
      assertThat(fromAddress(b, ERIN, "10.1.2.3")).as("a spoofed allowed address").isEqualTo(403);
      assertThat(fromAddress(b, ERIN, "192.0.2.7, 10.1.2.3")).isEqualTo(403);
      assertThat(fromAddress(b, FRANK, null)).isEqualTo(200);
      assertThat(fromAddress(b, FRANK, "10.1.2.3"))
          .as("a claimed other address does not lock out the real one")
          .isEqualTo(200);
    }
    String none = yaml.replace("trustedProxies: [127.0.0.1/32]\n", "");
    assertThat(none).doesNotContain("trustedProxies");
    try (SharingServer other = SharingServer.start(ConfigLoader.parse(none, "n.yaml"))) {
      String b = other.endpointUrl();
      assertThat(fromAddress(b, ERIN, "10.1.2.3")).isEqualTo(403);
      assertThat(fromAddress(b, FRANK, "10.1.2.3")).isEqualTo(200);
    }
  }

  @Test
  void pageTokensOfOneRecipientAreRefusedForAnother() throws Exception {
    HttpResponse<String> first = get(ALICE, "/shares/s1/all-tables?maxResults=1");
    String token = JSON.readTree(first.body()).path("nextPageToken").asText();
    assertThat(token).isNotEmpty();
    assertThat(get(ALICE, "/shares/s1/all-tables?maxResults=1&pageToken=" + token).statusCode())
        .isEqualTo(200);
    for (String other : new String[] {ADMIN, BOB}) {
      HttpResponse<String> r = get(other, "/shares/s1/all-tables?maxResults=1&pageToken=" + token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    }
  }

  @Test
  void refreshTokensOfOneRecipientAreRefusedForAnother() throws Exception {
    HttpResponse<String> first =
        query(ALICE, "s1/schemas/a/tables/t2", "{\"includeRefreshToken\":true}");
    assertThat(first.statusCode()).isEqualTo(200);
    String[] lines = first.body().split("\n");
    String refresh =
        JSON.readTree(lines[lines.length - 1])
            .path("endStreamAction")
            .path("refreshToken")
            .asText();
    assertThat(refresh).isNotEmpty();
    String body = "{\"includeRefreshToken\":true,\"refreshToken\":\"" + refresh + "\"}";
    assertThat(query(ALICE, "s1/schemas/a/tables/t2", body).statusCode()).isEqualTo(200);
    // bob and the admin may read the table too, but not with alice's token
    assertThat(query(BOB, "s1/schemas/a/tables/t2", body).statusCode()).isEqualTo(400);
    assertThat(query(ADMIN, "s1/schemas/a/tables/t2", body).statusCode()).isEqualTo(400);
  }

  @Test
  void noTokenReachesTheLog() throws Exception {
    get(ALICE, "/shares/s2");
    get(CAROL, "/shares");
    get("nobody-0123456789abcdef", "/shares");
    get(BOB, "/shares/s1/schemas/a/tables/t1/metadata");
    assertThat(logLines).isNotEmpty();
    for (String line : logLines) {
      assertThat(line)
          .doesNotContain(ALICE)
          .doesNotContain(BOB)
          .doesNotContain(CAROL)
          .doesNotContain(ADMIN)
          .doesNotContain("nobody-0123456789");
    }
  }
}
