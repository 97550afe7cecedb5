package io.lakeshare.protocol.client;

import static io.lakeshare.protocol.client.ScriptedServer.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.ChangesRequest;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.protocol.profile.Profile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Metadata and query calls: headers, NDJSON streaming and stream-level failures. */
class QueryStreamingTest {
  private static final String TABLE = "/delta-sharing/shares/s/schemas/sc/tables/t";
  private static final TableRef REF = TableRef.parse("s.sc.t");
  private static final Metadata META =
      new Metadata("id", null, null, null, "{}", null, null, null, null, null);

  private ScriptedServer server;
  private DeltaSharingClient client;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedServer();
    client = DeltaSharingClientTest.clientFor(Profile.bearer(server.endpoint(), "tok", null), 2);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static byte[] line(ResponseAction a) {
    byte[] json = WireJson.actionBytes(a);
    byte[] out = new byte[json.length + 1];
    System.arraycopy(json, 0, out, 0, json.length);
    out[json.length] = '\n';
    return out;
  }

  private static FileAction file(int i) {
    return new FileAction(
        FileAction.Kind.FILE,
        "https://store/f" + i,
        "id" + i,
        Map.of(),
        100,
        null,
        null,
        null,
        null);
  }

  private static void ndjsonHeaders(HttpExchange ex, String version, String capabilities)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/x-ndjson; charset=utf-8");
    if (version != null) {
      ex.getResponseHeaders().set("Delta-Table-Version", version);
    }
    if (capabilities != null) {
      ex.getResponseHeaders().set("delta-sharing-capabilities", capabilities);
    }
    ex.sendResponseHeaders(200, 0);
  }

  @Test
  void metadataReturnsBothLinesVersionAndHeaders() {
    server.on(
        TABLE + "/metadata",
        (ex, n) -> {
          ndjsonHeaders(ex, "5", "responseformat=parquet");
          try (OutputStream out = ex.getResponseBody()) {
            out.write(line(new Protocol(1)));
            out.write(line(META.withVersion(5L)));
          }
        });
    MetadataResponse m =
        client.getMetadata(REF, 5L, null, new RequestOptions("responseformat=parquet", null));
    assertThat(m.tableVersion()).isEqualTo(5L);
    assertThat(m.protocol()).isEqualTo(new Protocol(1));
    assertThat(m.metadata()).isEqualTo(META.withVersion(5L));
    assertThat(m.headers().get("DELTA-SHARING-CAPABILITIES")).isEqualTo("responseformat=parquet");
    ScriptedServer.Seen req = server.seen.get(0);
    assertThat(req.rawQuery()).isEqualTo("version=5");
    assertThat(req.header("delta-sharing-capabilities")).isEqualTo("responseformat=parquet");
  }

  @Test
  void metadataWithoutVersionHeaderFails() {
    server.on(
        TABLE + "/metadata",
        (ex, n) -> {
          ndjsonHeaders(ex, null, null);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(line(new Protocol(1)));
            out.write(line(META));
          }
        });
    assertThatThrownBy(() -> client.getMetadata(REF, null, null, RequestOptions.NONE))
        .isInstanceOf(DeltaSharingException.class)
        .hasMessageContaining("no Delta-Table-Version header");
  }

  @Test
  void deltaFormatAnswerAndTooNewProtocolAreRefused() {
    server.on(
        TABLE + "/metadata",
        (ex, n) -> {
          ndjsonHeaders(ex, "1", n == 1 ? "responseformat=delta" : null);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(line(new Protocol(2)));
            out.write(line(META));
          }
        });
    assertThatThrownBy(() -> client.getMetadata(REF, null, null, RequestOptions.NONE))
        .hasMessageContaining("answered in response format delta")
        .hasMessageContaining("did not accept");
    assertThatThrownBy(() -> client.getMetadata(REF, null, null, RequestOptions.NONE))
        .hasMessageContaining("reader version 2")
        .hasMessageContaining("upgrade");
  }

  @Test
  void deltaFormatAnswersAreReadWhenTheRequestAcceptedThem() {
    io.lakeshare.protocol.model.DeltaProtocol protocol =
        new io.lakeshare.protocol.model.DeltaProtocol(
            3, 7, List.of("deletionVectors"), List.of("deletionVectors"), null);
    io.lakeshare.protocol.model.DeltaMetadata metadata =
        new io.lakeshare.protocol.model.DeltaMetadata(
            "id", null, null, null, "{}", List.of(), Map.of(), 1L, null, 10L, 1L);
    server.on(
        TABLE + "/metadata",
        (ex, n) -> {
          // a legacy server answers the third request without the header: parquet
          ndjsonHeaders(ex, "1", n == 3 ? null : "responseformat=delta");
          try (OutputStream out = ex.getResponseBody()) {
            if (n == 3) {
              out.write(line(new Protocol(1)));
              out.write(line(META));
            } else {
              out.write(line(protocol));
              out.write(line(metadata));
            }
          }
        });
    MetadataResponse both =
        client.getMetadata(
            REF, null, null, new RequestOptions("responseformat=parquet,delta", null));
    assertThat(both.respondedFormat()).isEqualTo("delta");
    assertThat(both.protocol()).isEqualTo(protocol);
    assertThat(both.metadata()).isEqualTo(metadata);
    MetadataResponse delta =
        client.getMetadata(REF, null, null, new RequestOptions("responseformat=delta", null));
    assertThat(delta.protocol().minReaderVersion()).isEqualTo(3);
    MetadataResponse legacy =
        client.getMetadata(REF, null, null, new RequestOptions("responseformat=delta", null));
    assertThat(legacy.respondedFormat()).isEqualTo("parquet");
    assertThat(legacy.metadata()).isEqualTo(META);
  }

  @Test
  void queryPostsTheBodyAndHeadersAndVerifiesTheFileIdHashEcho() {
    server.on(
        TABLE + "/query",
        (ex, n) -> {
          ex.getResponseHeaders().set("fileidhash", n == 1 ? "delta" : "parquet");
          ndjsonHeaders(ex, "9", "responseformat=parquet");
          try (OutputStream out = ex.getResponseBody()) {
            out.write(line(new Protocol(1)));
            out.write(line(META));
            out.write(line(file(0)));
          }
        });
    RequestOptions opts = new RequestOptions("responseformat=parquet", "DELTA");
    QueryTableRequest req = QueryTableRequest.builder().version(9L).maxFiles(10).build();
    try (QueryResponse r = client.queryTable(REF, req, opts)) {
      assertThat(r.tableVersion()).isEqualTo(9L);
      assertThat(r.header("FILEIDHASH")).isEqualTo("delta");
      assertThat(r.respondedCapabilities().responseFormats()).containsExactly("parquet");
      assertThat(r).toIterable().containsExactly(new Protocol(1), META, file(0));
    }
    ScriptedServer.Seen seen = server.seen.get(0);
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.body()).isEqualTo("{\"version\":9,\"maxFiles\":10}");
    assertThat(seen.header("Content-Type")).startsWith("application/json");
    assertThat(seen.header("fileidhash")).isEqualTo("DELTA");
    assertThatThrownBy(() -> client.queryTable(REF, null, opts))
        .isInstanceOf(DeltaSharingException.class)
        .hasMessageContaining("fileidhash 'delta' but the server echoed 'parquet'");
    assertThat(server.seen.get(1).body()).isEqualTo("{}");
  }

  @Test
  void getChangesSendsTheRangeAsQueryParametersAndStreamsChangeLines() {
    FileAction cdf =
        new FileAction(FileAction.Kind.CDF, "https://store/c", "c", Map.of(), 7, null, 3L, 30L, 9L);
    FileAction remove =
        new FileAction(
            FileAction.Kind.REMOVE, "https://store/r", "r", Map.of(), 8, null, 4L, 40L, 9L);
    server.on(
        TABLE + "/changes",
        (ex, n) -> {
          ndjsonHeaders(ex, "2", "responseformat=parquet");
          try (OutputStream out = ex.getResponseBody()) {
            out.write(line(new Protocol(1)));
            out.write(line(META.withVersion(2L)));
            out.write(line(cdf));
            out.write(line(META.withVersion(4L)));
            out.write(line(remove));
            out.write(line(new EndStreamAction(null, "next=", 9L, null, null)));
          }
        });
    ChangesRequest req =
        ChangesRequest.builder()
            .startingTimestamp("2022-01-01T00:00:00+01:00")
            .endingVersion(4L)
            .includeHistoricalMetadata(true)
            .maxFiles(2)
            .pageToken("a/b=")
            .build();
    try (QueryResponse r = client.getChanges(REF, req, RequestOptions.NONE)) {
      assertThat(r.tableVersion()).isEqualTo(2L);
      assertThat(r)
          .toIterable()
          .containsExactly(
              new Protocol(1),
              META.withVersion(2L),
              cdf,
              META.withVersion(4L),
              remove,
              new EndStreamAction(null, "next=", 9L, null, null));
    }
    ScriptedServer.Seen seen = server.seen.get(0);
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.rawQuery())
        .isEqualTo(
            "startingTimestamp=2022-01-01T00%3A00%3A00%2B01%3A00&endingVersion=4"
                + "&includeHistoricalMetadata=true&maxFiles=2&pageToken=a%2Fb%3D");
    assertThat(req.toBuilder().pageToken(null).build().pageToken()).isNull();
  }

  @Test
  void firstLineIsAvailableBeforeTheServerFinishesWriting() throws Exception {
    CountDownLatch firstLineRead = new CountDownLatch(1);
    AtomicBoolean releasedInTime = new AtomicBoolean();
    server.on(
        TABLE + "/query",
        (ex, n) -> {
          ndjsonHeaders(ex, "3", null);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(line(new Protocol(1)));
            out.flush();
            releasedInTime.set(firstLineRead.await(10, TimeUnit.SECONDS));
            out.write(line(META));
            for (int i = 0; i < 3; i++) {
              out.write(line(file(i)));
            }
          }
        });
    try (QueryResponse r = client.queryTable(REF, QueryTableRequest.EMPTY, RequestOptions.NONE)) {
      assertThat(r.next()).isEqualTo(new Protocol(1));
      firstLineRead.countDown();
      int rest = 0;
      while (r.hasNext()) {
        r.next();
        rest++;
      }
      assertThat(rest).isEqualTo(4);
    }
    assertThat(releasedInTime).isTrue();
  }

  @Test
  void streamsALargeAnswer() {
    int files = 200_000;
    server.on(
        TABLE + "/query",
        (ex, n) -> {
          ndjsonHeaders(ex, "1", "responseformat=parquet;includeendstreamaction=true");
          try (OutputStream out = ex.getResponseBody()) {
            out.write(line(new Protocol(1)));
            out.write(line(META));
            for (int i = 0; i < files; i++) {
              out.write(line(file(i)));
            }
            out.write(line(new EndStreamAction(null, null, 42L, null, null)));
          }
        });
    long count = 0;
    ResponseAction last = null;
    try (QueryResponse r = client.queryTable(REF, null, RequestOptions.NONE)) {
      while (r.hasNext()) {
        last = r.next();
        count++;
      }
    }
    assertThat(count).isEqualTo(files + 3);
    assertThat(last).isEqualTo(new EndStreamAction(null, null, 42L, null, null));
  }

  @Test
  void closingEarlyDoesNotWaitForTheRestOfTheAnswer() throws Exception {
    CountDownLatch testDone = new CountDownLatch(1);
    server.on(
        TABLE + "/query",
        (ex, n) -> {
          ndjsonHeaders(ex, "1", null);
          OutputStream out = ex.getResponseBody();
          out.write(line(new Protocol(1)));
          out.flush();
          testDone.await(20, TimeUnit.SECONDS);
        });
    long start = System.nanoTime();
    QueryResponse r = client.queryTable(REF, null, RequestOptions.NONE);
    assertThat(r.next()).isEqualTo(new Protocol(1));
    r.close();
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
    assertThat(r.hasNext()).isFalse();
    testDone.countDown();
  }

  @Test
  void endStreamActionWithErrorMessageFailsTheQuery() {
    server.on(
        TABLE + "/query",
        (ex, n) -> {
          ndjsonHeaders(ex, "1", null);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(line(new Protocol(1)));
            out.write(line(new EndStreamAction(null, null, null, "storage unavailable", 503)));
          }
        });
    try (QueryResponse r = client.queryTable(REF, null, RequestOptions.NONE)) {
      assertThat(r.next()).isEqualTo(new Protocol(1));
      assertThatThrownBy(r::next)
          .isInstanceOfSatisfying(
              DeltaSharingException.class,
              e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "POST " + TABLE + "/query failed while streaming: storage unavailable");
              });
    }
  }

  @Test
  void promisedEndStreamActionThatIsMissingFailsAtTheEnd() {
    server.on(
        TABLE + "/query",
        (ex, n) -> {
          ndjsonHeaders(ex, "1", "responseformat=parquet;includeendstreamaction=true");
          try (OutputStream out = ex.getResponseBody()) {
            out.write(line(new Protocol(1)));
            out.write(line(META));
          }
        });
    try (QueryResponse r = client.queryTable(REF, null, RequestOptions.NONE)) {
      r.next();
      r.next();
      assertThatThrownBy(r::hasNext)
          .isInstanceOf(DeltaSharingException.class)
          .hasMessageContaining("no EndStreamAction");
    }
  }

  @Test
  void malformedLineFailsWithThePath() {
    server.on(
        TABLE + "/query",
        (ex, n) -> {
          ndjsonHeaders(ex, "1", null);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(line(new Protocol(1)));
            out.write("{\"file\":{\"url\":\"u\"}}\n".getBytes(StandardCharsets.UTF_8));
          }
        });
    try (QueryResponse r = client.queryTable(REF, null, RequestOptions.NONE)) {
      r.next();
      assertThatThrownBy(r::next)
          .isInstanceOf(DeltaSharingException.class)
          .hasMessage(
              "POST "
                  + TABLE
                  + "/query: malformed answer: Line 2: Missing required field id of file");
    }
  }

  @Test
  void queryIsRetriedOn502BeforeTheStreamStarts() {
    server.on(
        TABLE + "/query",
        (ex, n) -> {
          if (n == 1) {
            send(ex, 502, null, "");
            return;
          }
          ndjsonHeaders(ex, "4", null);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(line(new Protocol(1)));
          }
        });
    try (QueryResponse r = client.queryTable(REF, null, RequestOptions.NONE)) {
      assertThat(r.tableVersion()).isEqualTo(4L);
      assertThat(r).toIterable().containsExactly(new Protocol(1));
    }
    assertThat(server.calls(TABLE + "/query")).isEqualTo(2);
    assertThat(server.seen.get(1).body()).isEqualTo("{}");
  }
}
