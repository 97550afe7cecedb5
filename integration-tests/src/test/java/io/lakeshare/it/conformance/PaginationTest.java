package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONFORMANCE §8.8: paginated queries and refresh tokens (cases 101-117). */
class PaginationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestServer server = TestServer.get();

  @Test
  void pagesRepeatHeaderLinesAndCoverTheSnapshotOnce() throws Exception {
    FixtureTable part = FixtureTables.get().table(FixtureTables.T_PART);
    RawHttp.Answer first = server.raw().query("t_part", "{\"maxFiles\": 2}");
    assertThat(first.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    String token = collect(first, ids);
    assertThat(token).isNotNull().matches("[A-Za-z0-9_=-]+");
    int pages = 1;
    while (token != null) {
      RawHttp.Answer next =
          server.raw().query("t_part", "{\"maxFiles\": 2, \"pageToken\": \"" + token + "\"}");
      assertThat(next.status()).as(next.body()).isEqualTo(200);
      assertThat(next.lines().get(0)).isEqualTo(first.lines().get(0));
      assertThat(next.lines().get(1)).isEqualTo(first.lines().get(1));
      assertThat(next.header("Delta-Table-Version")).isEqualTo(first.header("Delta-Table-Version"));
      token = collect(next, ids);
      pages++;
    }
    int files = part.activeFiles(part.latestVersion()).size();
    assertThat(ids).doesNotHaveDuplicates().hasSize(files);
    assertThat(pages).isEqualTo((files + 1) / 2);
  }

  @Test
  void lastPageEndsWithEndStreamActionWithoutToken() throws Exception {
    RawHttp.Answer a = server.raw().query("t_plain", "{\"maxFiles\": 5}");
    JsonNode end = JSON.readTree(a.lines().get(a.lines().size() - 1)).get("endStreamAction");
    assertThat(end).isNotNull();
    assertThat(end.has("nextPageToken")).isFalse();
    assertThat(end.get("minUrlExpirationTimestamp").asLong()).isGreaterThan(0);
  }

  @Test
  void aCommitBetweenPagesIsNotSeen() throws Exception {
    Mutable t = Mutable.create("page_pin");
    TestServer s = TestServer.get(new TestServer.Options().table("page_pin", t.path()));
    RawHttp.Answer first = s.raw().query("page_pin", "{\"maxFiles\": 1}");
    List<String> ids = new ArrayList<>();
    String token = collect(first, ids);
    long pinned = Long.parseLong(first.header("Delta-Table-Version"));
    t.append(7);
    while (token != null) {
      RawHttp.Answer next =
          s.raw().query("page_pin", "{\"maxFiles\": 1, \"pageToken\": \"" + token + "\"}");
      assertThat(next.header("Delta-Table-Version")).isEqualTo(Long.toString(pinned));
      token = collect(next, ids);
    }
    assertThat((long) ids.size()).isEqualTo(t.filesAt(pinned));
    RawHttp.Answer latest = s.raw().query("page_pin", "{}");
    assertThat(latest.header("Delta-Table-Version")).isEqualTo(Long.toString(pinned + 1));
  }

  @Test
  void maxFilesErrors() {
    Envelope.assertError(
        server.raw().query("t_plain", "{\"maxFiles\": 0}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "maxFiles must be positive.");
    Envelope.assertError(
        server.raw().query("t_plain", "{\"maxFiles\": 3000000000}"),
        400,
        "MALFORMED_REQUEST",
        "Not an int32 value");
  }

  @Test
  void pageTokenErrors() throws Exception {
    Envelope.assertError(
        server.raw().query("t_plain", "{\"pageToken\": \"randomPageToken\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Error decoding the page token: randomPageToken.");
    String token = collect(server.raw().query("t_part", "{\"maxFiles\": 1}"), new ArrayList<>());
    Envelope.assertError(
        server.raw().query("t_hist", "{\"maxFiles\": 1, \"pageToken\": \"" + token + "\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "The table specified in the page token does not match the table being queried.");
    Envelope.assertError(
        server
            .raw()
            .query(
                "t_part", "{\"maxFiles\": 1, \"limitHint\": 3, \"pageToken\": \"" + token + "\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Query parameter mismatch detected for the next page query.");
  }

  @Test
  void expiredTokensAreRefused() throws Exception {
    TestServer s =
        TestServer.get(
            new TestServer.Options()
                .with("queryTablePageTokenTtlMs: 0")
                .with("refreshTokenTtlMs: 0"));
    String page = collect(s.raw().query("t_part", "{\"maxFiles\": 1}"), new ArrayList<>());
    Envelope.assertError(
        s.raw().query("t_part", "{\"maxFiles\": 1, \"pageToken\": \"" + page + "\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "The page token has expired. Please restart the query.");
    String refresh = refreshToken(s.raw().query("t_part", "{\"includeRefreshToken\": true}"));
    Envelope.assertError(
        s.raw()
            .query(
                "t_part", "{\"includeRefreshToken\": true, \"refreshToken\": \"" + refresh + "\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "The refresh token has expired. Please restart the query.");
  }

  @Test
  void pageSizeIsCappedByTheServerLimit() throws Exception {
    TestServer s = TestServer.get(new TestServer.Options().with("queryTablePageSizeLimit: 2"));
    RawHttp.Answer a = s.raw().query("t_part", "{\"maxFiles\": 100}");
    List<String> ids = new ArrayList<>();
    String token = collect(a, ids);
    assertThat(ids).hasSize(2);
    assertThat(token).isNotNull();
  }

  @Test
  void refreshTokenPinsTheVersionAndReturnsTheSameFiles() throws Exception {
    Mutable t = Mutable.create("refresh_pin");
    TestServer s = TestServer.get(new TestServer.Options().table("refresh_pin", t.path()));
    RawHttp.Answer first = s.raw().query("refresh_pin", "{\"includeRefreshToken\": true}");
    String refresh = refreshToken(first);
    assertThat(refresh).isNotNull();
    List<String> before = new ArrayList<>();
    collect(first, before);
    t.append(3);
    RawHttp.Answer again =
        s.raw()
            .query(
                "refresh_pin",
                "{\"includeRefreshToken\": true, \"refreshToken\": \"" + refresh + "\"}");
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    List<String> after = new ArrayList<>();
    collect(again, after);
    assertThat(after).isEqualTo(before);
    assertThat(again.header("Delta-Table-Version")).isEqualTo(first.header("Delta-Table-Version"));
    assertThat(refreshToken(again)).isNotNull();
  }

  @Test
  void refreshTokenErrors() throws Exception {
    Envelope.assertError(
        server.raw().query("t_plain", "{\"includeRefreshToken\": true, \"refreshToken\": \"foo\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Error decoding refresh token: foo.");
    String token = refreshToken(server.raw().query("t_part", "{\"includeRefreshToken\": true}"));
    Envelope.assertError(
        server.raw().query("t_hist", "{\"refreshToken\": \"" + token + "\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "The table specified in the refresh token does not match the table being queried.");
    Envelope.assertError(
        server.raw().query("t_hist", "{\"version\": 1, \"includeRefreshToken\": true}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "includeRefreshToken cannot be used when querying a specific version.");
    Envelope.assertError(
        server.raw().query("t_hist", "{\"pageToken\": \"x\", \"includeRefreshToken\": true}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "includeRefreshToken must be used in the first page request.");
    Envelope.assertError(
        server.raw().query("t_hist", "{\"startingVersion\": 1, \"refreshToken\": \"x\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "refreshToken cannot be used when querying a specific version.");
    Envelope.assertError(
        server.raw().query("t_hist", "{\"pageToken\": \"x\", \"refreshToken\": \"x\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "refreshToken must be used in the first page request.");
  }

  /** Adds the page's file ids to {@code ids}; returns its nextPageToken or null. */
  static String collect(RawHttp.Answer a, List<String> ids) throws Exception {
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    String token = null;
    for (String l : a.lines()) {
      JsonNode n = JSON.readTree(l);
      if (n.has("file")) {
        ids.add(n.get("file").get("id").asText());
      } else if (n.has("endStreamAction") && n.get("endStreamAction").has("nextPageToken")) {
        token = n.get("endStreamAction").get("nextPageToken").asText();
      }
    }
    return token;
  }

  static String refreshToken(RawHttp.Answer a) throws Exception {
    JsonNode last = JSON.readTree(a.lines().get(a.lines().size() - 1));
    JsonNode end = last.get("endStreamAction");
    return end == null || !end.has("refreshToken") ? null : end.get("refreshToken").asText();
  }
}
