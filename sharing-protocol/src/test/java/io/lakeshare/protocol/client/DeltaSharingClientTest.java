package io.lakeshare.protocol.client;

import static io.lakeshare.protocol.client.ScriptedServer.json;
import static io.lakeshare.protocol.client.ScriptedServer.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.Page;
import io.lakeshare.protocol.model.Schema;
import io.lakeshare.protocol.model.Share;
import io.lakeshare.protocol.model.Table;
import io.lakeshare.protocol.profile.Profile;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listing, errors, retries, encoding and authentication against a scripted peer. */
class DeltaSharingClientTest {
  private ScriptedServer server;
  private DeltaSharingClient client;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedServer();
    client = clientFor(Profile.bearer(server.endpoint() + "/", "tok", null), 3);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static DeltaSharingClient clientFor(Profile p, int retries) {
    return DeltaSharingClient.builder(p)
        .maxRetries(retries)
        .initialBackoff(Duration.ofMillis(5))
        .connectTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(20))
        .userAgent("lakeshare-test")
        .build();
  }

  private static String page(List<Share> items, String token) {
    return new String(WireJson.writeSharesPage(new Page<>(items, token)), StandardCharsets.UTF_8);
  }

  @Test
  void listsSharesWithBearerTokenAndNoDoubleSlash() {
    server.on(
        "/delta-sharing/shares",
        (ex, n) -> json(ex, 200, page(List.of(new Share("s1", "id1")), null)));
    Page<Share> p = client.listShares(10, null);
    assertThat(p.items()).containsExactly(new Share("s1", "id1"));
    assertThat(p.hasMore()).isFalse();
    ScriptedServer.Seen req = server.seen.get(0);
    assertThat(req.method()).isEqualTo("GET");
    assertThat(req.rawPath()).isEqualTo("/delta-sharing/shares");
    assertThat(req.rawQuery()).isEqualTo("maxResults=10");
    assertThat(req.header("Authorization")).isEqualTo("Bearer tok");
    assertThat(req.header("User-Agent")).isEqualTo("lakeshare-test");
  }

  @Test
  void listAllFollowsTokensEncodesThemAndStopsOnEmptyToken() {
    server.on(
        "/delta-sharing/shares",
        (ex, n) -> {
          String body =
              switch (n) {
                case 1 -> page(List.of(new Share("a", null)), "t+/=1");
                case 2 -> page(List.of(), "t2");
                default -> "{\"items\":[{\"name\":\"c\"}],\"nextPageToken\":\"\"}";
              };
          json(ex, 200, body);
        });
    assertThat(client.listAllShares()).extracting(Share::name).containsExactly("a", "c");
    assertThat(server.seen)
        .extracting(ScriptedServer.Seen::rawQuery)
        .containsExactly(null, "pageToken=t%2B%2F%3D1", "pageToken=t2");
  }

  @Test
  void listAllRefusesATokenThatDoesNotAdvance() {
    server.on(
        "/delta-sharing/shares/s/schemas",
        (ex, n) ->
            json(
                ex,
                200,
                "{\"items\":[{\"name\":\"x\",\"share\":\"s\"}],\"nextPageToken\":\"same\"}"));
    assertThatThrownBy(() -> client.listAllSchemas("s"))
        .isInstanceOf(DeltaSharingException.class)
        .hasMessageContaining("page token 'same' twice");
    assertThat(server.calls("/delta-sharing/shares/s/schemas")).isEqualTo(2);
  }

  @Test
  void listsSchemasTablesAndAllTablesAndGetsAShare() {
    server.on(
        "/delta-sharing/shares/s/schemas",
        (ex, n) -> json(ex, 200, "{\"items\":[{\"name\":\"sc\",\"share\":\"s\"}]}"));
    server.on(
        "/delta-sharing/shares/s/schemas/sc/tables",
        (ex, n) ->
            json(
                ex,
                200,
                "{\"items\":[{\"name\":\"t\",\"schema\":\"sc\",\"share\":\"s\",\"id\":\"i\"}]}"));
    server.on(
        "/delta-sharing/shares/s/all-tables",
        (ex, n) ->
            json(
                ex,
                200,
                n == 1
                    ? "{\"items\":[{\"name\":\"t\",\"schema\":\"sc\",\"share\":\"s\"}],"
                        + "\"nextPageToken\":\"p2\"}"
                    : "{\"items\":[{\"name\":\"u\",\"schema\":\"sd\",\"share\":\"s\"}]}"));
    server.on("/delta-sharing/shares/s", (ex, n) -> json(ex, 200, "{\"share\":{\"name\":\"s\"}}"));

    assertThat(client.listAllSchemas("s")).containsExactly(new Schema("sc", "s"));
    assertThat(client.listAllTablesInSchema("s", "sc"))
        .containsExactly(new Table("t", "sc", "s", "i"));
    assertThat(client.listAllTablesInShare("s")).extracting(Table::name).containsExactly("t", "u");
    assertThat(client.listAllTables("s", 1, "p2").items())
        .extracting(Table::name)
        .containsExactly("u");
    assertThat(client.getShare("s")).isEqualTo(new Share("s", null));
  }

  @Test
  void pathSegmentsAndQueryValuesArePercentEncoded() {
    String path = "/delta-sharing/shares/my%20share/schemas/sc%2Fhema/tables/t%C3%A4%2Bble/version";
    server.on(
        path,
        (ex, n) -> {
          ex.getResponseHeaders().set("Delta-Table-Version", "12");
          send(ex, 200, null, "");
        });
    long v =
        client.getTableVersion(
            new TableRef("my share", "sc/hema", "t\u00e4+ble"), "2022-01-01T00:00:00+01:00");
    assertThat(v).isEqualTo(12L);
    assertThat(server.seen.get(0).rawPath()).isEqualTo(path);
    assertThat(server.seen.get(0).rawQuery())
        .isEqualTo("startingTimestamp=2022-01-01T00%3A00%3A00%2B01%3A00");
  }

  @Test
  void headVersionReadsTheHeader() {
    server.on(
        "/delta-sharing/shares/s/schemas/sc/tables/t",
        (ex, n) -> {
          ex.getResponseHeaders().set("delta-table-version", "7");
          ex.sendResponseHeaders(200, -1);
        });
    assertThat(client.getTableVersionHead(TableRef.parse("s.sc.t"))).isEqualTo(7L);
    assertThat(server.seen.get(0).method()).isEqualTo("HEAD");
  }

  @Test
  void missingVersionHeaderIsAnError() {
    server.on(
        "/delta-sharing/shares/s/schemas/sc/tables/t/version", (ex, n) -> send(ex, 200, null, ""));
    assertThatThrownBy(() -> client.getTableVersion(TableRef.parse("s.sc.t"), null))
        .isInstanceOf(DeltaSharingException.class)
        .hasMessageContaining("GET /delta-sharing/shares/s/schemas/sc/tables/t/version")
        .hasMessageContaining("no Delta-Table-Version header");
  }

  @Test
  void retriesOn503ThenSucceeds() {
    server.on(
        "/delta-sharing/shares",
        (ex, n) -> {
          if (n <= 2) {
            json(ex, 503, "{\"errorCode\":\"INTERNAL_ERROR\",\"message\":\"busy\"}");
          } else {
            json(ex, 200, page(List.of(new Share("ok", null)), null));
          }
        });
    assertThat(client.listShares(null, null).items()).containsExactly(new Share("ok", null));
    assertThat(server.calls("/delta-sharing/shares")).isEqualTo(3);
  }

  @Test
  void retriesOn429AndOnDroppedConnections() {
    server.on(
        "/delta-sharing/shares",
        (ex, n) -> {
          if (n == 1) {
            json(ex, 429, "{}");
          } else if (n == 2) {
            throw new IllegalStateException("drop the connection without an answer");
          } else {
            json(ex, 200, page(List.of(new Share("ok", null)), null));
          }
        });
    assertThat(client.listShares(null, null).items()).hasSize(1);
    assertThat(server.calls("/delta-sharing/shares")).isEqualTo(3);
  }

  @Test
  void givesUpAfterMaxRetriesWithTheLastError() {
    server.on(
        "/delta-sharing/shares",
        (ex, n) -> json(ex, 500, "{\"errorCode\":\"INTERNAL_ERROR\",\"message\":\"down\"}"));
    assertThatThrownBy(() -> client.listShares(null, null))
        .isInstanceOfSatisfying(
            DeltaSharingException.class,
            e -> {
              assertThat(e.status()).isEqualTo(500);
              assertThat(e.errorCode()).isEqualTo("INTERNAL_ERROR");
              assertThat(e.isRetryable()).isTrue();
            });
    assertThat(server.calls("/delta-sharing/shares")).isEqualTo(4);
  }

  @Test
  void doesNotRetry404AndParsesTheEnvelope() {
    server.on(
        "/delta-sharing/shares/nope",
        (ex, n) ->
            json(
                ex,
                404,
                "{\"errorCode\":\"RESOURCE_DOES_NOT_EXIST\","
                    + "\"message\":\"share 'nope' not found\"}"));
    assertThatThrownBy(() -> client.getShare("nope"))
        .isInstanceOfSatisfying(
            DeltaSharingException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
              assertThat(e.serverMessage()).isEqualTo("share 'nope' not found");
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.getMessage())
                  .isEqualTo(
                      "GET /delta-sharing/shares/nope failed: HTTP 404 RESOURCE_DOES_NOT_EXIST:"
                          + " share 'nope' not found");
            });
    assertThat(server.calls("/delta-sharing/shares/nope")).isEqualTo(1);
  }

  @Test
  void errorWithoutEnvelopeFallsBackToTheStatusLine() {
    server.on(
        "/delta-sharing/shares", (ex, n) -> send(ex, 403, "text/html", "<html>denied</html>"));
    assertThatThrownBy(() -> client.listShares(null, null))
        .isInstanceOfSatisfying(
            DeltaSharingException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.errorCode()).isNull();
              assertThat(e.serverMessage()).isEqualTo("Forbidden");
            });
    assertThat(server.calls("/delta-sharing/shares")).isEqualTo(1);
  }

  @Test
  void unauthorizedWithExpiredProfileMentionsTheExpiry() {
    Instant expired = Instant.parse("2021-11-12T00:12:29Z");
    server.on("/delta-sharing/shares", (ex, n) -> send(ex, 401, null, ""));
    try (DeltaSharingClient c = clientFor(Profile.bearer(server.endpoint(), "old", expired), 3)) {
      assertThatThrownBy(() -> c.listShares(null, null))
          .isInstanceOf(DeltaSharingException.class)
          .hasMessageContaining("HTTP 401")
          .hasMessageContaining("expired at 2021-11-12T00:12:29Z");
    }
    assertThat(server.calls("/delta-sharing/shares")).isEqualTo(1);
  }

  @Test
  void connectionFailuresAreRetriedThenReported() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (DeltaSharingClient c =
        clientFor(Profile.bearer("http://127.0.0.1:" + port, "t", null), 2)) {
      assertThatThrownBy(() -> c.listShares(null, null))
          .isInstanceOfSatisfying(
              DeltaSharingException.class,
              e -> {
                assertThat(e.status()).isZero();
                assertThat(e.getMessage()).startsWith("GET /shares failed after 3 attempt(s)");
              });
    }
  }

  @Test
  void malformedListAnswerIsReportedWithThePath() {
    server.on("/delta-sharing/shares", (ex, n) -> json(ex, 200, "{\"items\":{}}"));
    assertThatThrownBy(() -> client.listShares(null, null))
        .isInstanceOf(DeltaSharingException.class)
        .hasMessage(
            "GET /delta-sharing/shares: malformed answer:"
                + " Expected an array for items of a shares page");
  }

  @Test
  void pooledConnectionIsReusedAcrossCalls() {
    server.on(
        "/delta-sharing/shares",
        (ex, n) -> json(ex, 200, page(List.of(new Share("s", null)), null)));
    client.listShares(null, null);
    client.listShares(null, null);
    assertThat(server.seen.get(1).clientPort()).isEqualTo(server.seen.get(0).clientPort());
  }

  @Test
  void basicProfileSendsBasicAuth() {
    server.on("/delta-sharing/shares", (ex, n) -> json(ex, 200, "{}"));
    try (DeltaSharingClient c = clientFor(Profile.basic(server.endpoint(), "u", "p w"), 0)) {
      assertThat(c.listShares(null, null).items()).isEmpty();
    }
    assertThat(server.seen.get(0).header("Authorization")).isEqualTo("Basic dTpwIHc=");
  }

  @Test
  void tableRefParsesExactlyThreeParts() {
    assertThat(TableRef.parse("a.b.c")).isEqualTo(new TableRef("a", "b", "c"));
    assertThat(TableRef.parse("a.b.c").toString()).isEqualTo("a.b.c");
    assertThatThrownBy(() -> TableRef.parse("a.b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TableRef.parse("a..c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TableRef.parse("a.b.c.d"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requestUrlHandlesSlashesAndDotSegments() {
    assertThat(new RequestUrl("http://h/p//").path("shares").segment("..").toUri().toString())
        .isEqualTo("http://h/p/shares/%2E%2E");
    assertThat(RequestUrl.encode("a b~c.d_e-f\u00e9")).isEqualTo("a%20b~c.d_e-f%C3%A9");
  }
}
