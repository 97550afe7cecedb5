package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONFORMANCE §8.11: asynchronous queries (cases 155-163). A submission answers at once with a
 * pending query id; polls (E10) answer pending, failed, or the query's answer, paged, at the
 * version the query resolved when it was planned.
 */
class AsyncQueryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ASYNC = "asyncquery=true";
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.get();
  }

  private static RawHttp.Answer submit(TestServer s, String table, String body) {
    return s.raw().query(table, body, "delta-sharing-capabilities", ASYNC);
  }

  private static RawHttp.Answer poll(TestServer s, String table, String queryId, String body) {
    return s.raw().post("/shares/s1/schemas/default/tables/" + table + "/queries/" + queryId, body);
  }

  private static JsonNode status(RawHttp.Answer a) throws Exception {
    assertThat(a.lines()).as(a.body()).hasSize(1);
    return JSON.readTree(a.lines().get(0)).get("queryStatus");
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  /** Polls until the query is no longer pending (at most 60 s); the last answer. */
  private static RawHttp.Answer awaitDone(TestServer s, String table, String id, String body)
      throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      RawHttp.Answer a = poll(s, table, id, body);
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      JsonNode first = JSON.readTree(a.lines().get(0));
      if (!first.has("queryStatus")
          || !"pending".equals(first.at("/queryStatus/status").asText())) {
        return a;
      }
      assertThat(a.header("Delta-Table-Version")).isNull();
      assertThat(System.nanoTime()).as("query %s still pending", id).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** The file ids of an answer's lines, and its next page token (null when none). */
  private static String collect(RawHttp.Answer a, List<String> ids) throws Exception {
    String token = null;
    for (String line : a.lines()) {
      JsonNode n = JSON.readTree(line);
      if (n.has("file")) {
        ids.add(n.get("file").get("id").asText());
      } else if (n.has("endStreamAction")) {
        JsonNode t = n.get("endStreamAction").get("nextPageToken");
        token = t == null || t.isNull() ? null : t.asText();
      }
    }
    return token;
  }

  @Test
  void aSubmissionWithoutAKeyIsRefused() {
    Envelope.assertError(
        submit(server, "t_part", "{}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "idempotency_key is required for async query.");
  }

  @Test
  void aSubmissionAnswersPendingAtOnceAndTheSameKeyGivesTheSameQuery() throws Exception {
    String k = key();
    RawHttp.Answer a = submit(server, "t_part", "{\"idempotencyKey\": \"" + k + "\"}");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.header("delta-sharing-capabilities")).contains(ASYNC);
    assertThat(a.header("Delta-Table-Version")).isNull();
    assertThat(a.header("Content-Type")).startsWith("application/x-ndjson");
    JsonNode s = status(a);
    assertThat(s.get("status").asText()).isEqualTo("pending");
    String id = s.get("queryId").asText();
    assertThat(id).isNotBlank();
    // the snake_case spelling is the same key
    RawHttp.Answer again = submit(server, "t_part", "{\"idempotency_key\": \"" + k + "\"}");
    assertThat(status(again).get("queryId").asText()).isEqualTo(id);
    // the same key with other parameters is refused
    Envelope.assertError(
        submit(server, "t_part", "{\"idempotencyKey\": \"" + k + "\", \"version\": 1}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "The idempotency key '" + k + "' was used for another query of this table");
    // another table with the same key is another query
    RawHttp.Answer other = submit(server, "t_plain", "{\"idempotencyKey\": \"" + k + "\"}");
    assertThat(status(other).get("queryId").asText()).isNotEqualTo(id);
  }

  @Test
  void theFinishedQueryAnswersWhatASynchronousQueryAnswersPageByPage() throws Exception {
    RawHttp.Answer sync = server.raw().query("t_part", "{}");
    List<String> expected = new ArrayList<>();
    collect(sync, expected);
    assertThat(expected).hasSizeGreaterThan(3);
    String id =
        status(submit(server, "t_part", "{\"idempotencyKey\": \"" + key() + "\"}"))
            .get("queryId")
            .asText();
    RawHttp.Answer whole = awaitDone(server, "t_part", id, "{}");
    assertThat(whole.header("Delta-Table-Version")).isEqualTo(sync.header("Delta-Table-Version"));
    // protocol and metadata lines are those of a synchronous query of the version it resolved
    RawHttp.Answer pinned =
        server.raw().query("t_part", "{\"version\": " + sync.header("Delta-Table-Version") + "}");
    assertThat(whole.lines().subList(0, 2)).isEqualTo(pinned.lines().subList(0, 2));
    List<String> all = new ArrayList<>();
    collect(whole, all);
    assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
    // paged: maxFiles on each poll, pageToken from the previous page
    List<String> paged = new ArrayList<>();
    String token = collect(awaitDone(server, "t_part", id, "{\"maxFiles\": 2}"), paged);
    int pages = 1;
    while (token != null) {
      RawHttp.Answer next =
          poll(server, "t_part", id, "{\"maxFiles\": 2, \"pageToken\": \"" + token + "\"}");
      assertThat(next.status()).as(next.body()).isEqualTo(200);
      token = collect(next, paged);
      pages++;
    }
    assertThat(pages).isEqualTo((expected.size() + 1) / 2);
    assertThat(paged).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void pagesAnswerTheVersionPlannedAtSubmission() throws Exception {
    Mutable t = Mutable.create("async_pin");
    TestServer s = TestServer.get(new TestServer.Options().table("async_pin", t.path()));
    String id =
        status(submit(s, "async_pin", "{\"idempotencyKey\": \"" + key() + "\"}"))
            .get("queryId")
            .asText();
    RawHttp.Answer done = awaitDone(s, "async_pin", id, "{}");
    long pinned = Long.parseLong(done.header("Delta-Table-Version"));
    t.append(7);
    RawHttp.Answer later = poll(s, "async_pin", id, "{}");
    assertThat(later.header("Delta-Table-Version")).isEqualTo(Long.toString(pinned));
    List<String> ids = new ArrayList<>();
    collect(later, ids);
    assertThat((long) ids.size()).isEqualTo(t.filesAt(pinned));
    assertThat(s.raw().query("async_pin", "{}").header("Delta-Table-Version"))
        .isEqualTo(Long.toString(pinned + 1));
  }

  @Test
  void aQueryThatCannotBeAnsweredFailsWithTheReason() throws Exception {
    String id =
        status(submit(server, "t_part", "{\"idempotencyKey\": \"" + key() + "\", \"version\": 99}"))
            .get("queryId")
            .asText();
    RawHttp.Answer failed = awaitDone(server, "t_part", id, "{}");
    JsonNode s = status(failed);
    assertThat(s.get("status").asText()).isEqualTo("failed");
    assertThat(s.get("queryId").asText()).isEqualTo(id);
    assertThat(s.get("errorMessage").asText()).contains("99");
    assertThat(failed.header("Delta-Table-Version")).isNull();
  }

  @Test
  void unknownIdsAndOtherTablesAre404() throws Exception {
    Envelope.assertError(
        poll(server, "t_part", "no-such-query", "{}"),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "No asynchronous query 'no-such-query'");
    String id =
        status(submit(server, "t_part", "{\"idempotencyKey\": \"" + key() + "\"}"))
            .get("queryId")
            .asText();
    Envelope.assertError(
        poll(server, "t_plain", id, "{}"), 404, "RESOURCE_DOES_NOT_EXIST", "No asynchronous query");
    RawHttp.Answer get = server.raw().get("/shares/s1/schemas/default/tables/t_part/queries/" + id);
    assertThat(get.status()).isEqualTo(405);
  }
}
