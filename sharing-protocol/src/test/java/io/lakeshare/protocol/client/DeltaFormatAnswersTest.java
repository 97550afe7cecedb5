package io.lakeshare.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.ChangesRequest;
import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.DeltaMetadata;
import io.lakeshare.protocol.model.DeltaProtocol;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.protocol.profile.Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Response-format negotiation on the client side (CONFORMANCE §2.2): delta answers are read only
 * when the request accepted them, parquet answers always, and only the sharing protocol's own
 * reader version is checked.
 */
class DeltaFormatAnswersTest {
  private static final String TABLE = "/delta-sharing/shares/s/schemas/sc/tables/t";
  private static final TableRef REF = TableRef.parse("s.sc.t");
  private static final RequestOptions PARQUET = new RequestOptions("responseformat=parquet", null);
  private static final RequestOptions DELTA = new RequestOptions("responseformat=delta", null);
  private static final RequestOptions EITHER =
      new RequestOptions("responseformat=delta,parquet", null);

  private static final DeltaProtocol DELTA_PROTOCOL =
      new DeltaProtocol(3, 7, List.of("deletionVectors"), List.of("deletionVectors"), null);
  private static final DeltaMetadata DELTA_METADATA =
      new DeltaMetadata(
          "tid",
          "t",
          null,
          null,
          "{\"type\":\"struct\",\"fields\":[]}",
          List.of("p"),
          Map.of("delta.enableDeletionVectors", "true"),
          1700000000000L,
          null,
          null,
          null);
  private static final Metadata PARQUET_METADATA =
      new Metadata("tid", null, null, null, "{}", null, null, null, null, null);
  private static final FileAction PARQUET_FILE =
      new FileAction(FileAction.Kind.FILE, "https://h/f", "f", Map.of(), 1, null, null, null, null);

  private ScriptedServer server;
  private DeltaSharingClient client;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedServer();
    client = DeltaSharingClientTest.clientFor(Profile.bearer(server.endpoint(), "tok", null), 0);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static DeltaFileAction deltaFile(DeltaFileAction.Kind kind, String id, Long version) {
    boolean add = kind == DeltaFileAction.Kind.ADD;
    return new DeltaFileAction(
        kind,
        id,
        add ? "dv-" + id : null,
        version,
        version == null ? null : 1700000000000L + version,
        1700000360000L,
        "https://h/" + id + ".parquet?sig=1",
        Map.of("p", "1"),
        100,
        add ? 1699999999000L : null,
        kind != DeltaFileAction.Kind.CDC,
        add ? "{\"numRecords\":3}" : null,
        null,
        add ? new DeletionVector("p", "https://h/dv.bin?sig=2", 1, 34, 2, null) : null,
        null,
        null,
        kind == DeltaFileAction.Kind.REMOVE ? 1700000000500L : null,
        null);
  }

  /** Scripts {@code path} to answer every call with these lines and this capabilities header. */
  private void answer(String path, String capabilities, ResponseAction... lines) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (ResponseAction a : lines) {
      body.writeBytes(WireJson.actionBytes(a));
      body.write('\n');
    }
    server.on(
        TABLE + path,
        (ex, n) -> {
          headers(ex, capabilities);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body.toByteArray());
          }
        });
  }

  private static void headers(HttpExchange ex, String capabilities) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/x-ndjson; charset=utf-8");
    ex.getResponseHeaders().set("Delta-Table-Version", "4");
    if (capabilities != null) {
      ex.getResponseHeaders().set("delta-sharing-capabilities", capabilities);
    }
    ex.sendResponseHeaders(200, 0);
  }

  private static List<ResponseAction> drain(QueryResponse r) {
    try (r) {
      List<ResponseAction> out = new java.util.ArrayList<>();
      r.forEachRemaining(out::add);
      return out;
    }
  }

  @Test
  void deltaAnswerToARequestForParquetOrForNothingFailsNamingBothFormats() {
    answer(
        "/query",
        "responseformat=delta",
        DELTA_PROTOCOL,
        DELTA_METADATA,
        deltaFile(DeltaFileAction.Kind.ADD, "a", null));
    answer("/metadata", "responseformat=delta", DELTA_PROTOCOL, DELTA_METADATA);
    answer("/changes", "responseformat=delta", DELTA_PROTOCOL, DELTA_METADATA);
    String expected =
        "the server answered in response format delta, which the request did not accept"
            + " (it accepted parquet); ask for responseformat=delta to read such answers";
    assertThatThrownBy(() -> client.queryTable(REF, null, PARQUET))
        .isInstanceOf(DeltaSharingException.class)
        .hasMessage("POST " + TABLE + "/query: " + expected);
    assertThatThrownBy(() -> client.queryTable(REF, null, RequestOptions.NONE))
        .isInstanceOf(DeltaSharingException.class)
        .hasMessage("POST " + TABLE + "/query: " + expected);
    assertThatThrownBy(() -> client.getMetadata(REF, null, null, PARQUET))
        .isInstanceOf(DeltaSharingException.class)
        .hasMessage("GET " + TABLE + "/metadata: " + expected);
    assertThatThrownBy(
            () ->
                client.getChanges(REF, ChangesRequest.builder().startingVersion(0L).build(), null))
        .isInstanceOf(DeltaSharingException.class)
        .hasMessage("GET " + TABLE + "/changes: " + expected);
  }

  @Test
  void deltaAnswerToARequestForDeltaOrParquetIsReadAsDeltaRecords() {
    DeltaFileAction add = deltaFile(DeltaFileAction.Kind.ADD, "a", null);
    DeltaFileAction other = deltaFile(DeltaFileAction.Kind.ADD, "b", null);
    EndStreamAction end = new EndStreamAction(null, null, 1700000360000L, null, null);
    answer(
        "/query",
        "responseformat=delta;includeendstreamaction=true",
        DELTA_PROTOCOL,
        DELTA_METADATA,
        add,
        other,
        end);
    try (QueryResponse r = client.queryTable(REF, null, EITHER)) {
      assertThat(r.respondedFormat()).isEqualTo("delta");
      assertThat(r.tableVersion()).isEqualTo(4L);
      // minReaderVersion 3 is Delta's reader version, not the sharing protocol's: not refused
      assertThat(drain(r)).containsExactly(DELTA_PROTOCOL, DELTA_METADATA, add, other, end);
    }
    assertThat(server.seen.get(0).header("delta-sharing-capabilities"))
        .isEqualTo("responseformat=delta,parquet");
  }

  @Test
  void deltaMetadataAnswerIsParsedAndItsDeltaReaderVersionIsNotRefused() {
    DeltaProtocol readerFeatures =
        new DeltaProtocol(3, 7, List.of("deletionVectors", "columnMapping"), List.of("x"), null);
    answer("/metadata", "responseformat=delta", readerFeatures, DELTA_METADATA.withVersion(4L));
    for (RequestOptions options : List.of(DELTA, EITHER)) {
      MetadataResponse m = client.getMetadata(REF, 4L, null, options);
      assertThat(m.respondedFormat()).isEqualTo("delta");
      assertThat(m.tableVersion()).isEqualTo(4L);
      assertThat(m.protocol()).isEqualTo(readerFeatures);
      assertThat(m.protocol().minReaderVersion()).isEqualTo(3);
      assertThat(m.metadata()).isEqualTo(DELTA_METADATA.withVersion(4L));
      assertThat(m.metadata().configuration())
          .containsExactly(Map.entry("delta.enableDeletionVectors", "true"));
    }
  }

  @Test
  void requestForDeltaAcceptsAParquetAnswerWithOrWithoutTheHeader() {
    server.on(
        TABLE + "/query",
        (ex, n) -> {
          // first a legacy server (no header), then one that says parquet explicitly
          headers(ex, n == 1 ? null : "responseformat=parquet");
          try (OutputStream out = ex.getResponseBody()) {
            for (ResponseAction a : List.of(new Protocol(1), PARQUET_METADATA, PARQUET_FILE)) {
              out.write(WireJson.actionBytes(a));
              out.write('\n');
            }
          }
        });
    for (int i = 0; i < 2; i++) {
      QueryResponse r = client.queryTable(REF, null, DELTA);
      assertThat(r.respondedFormat()).isEqualTo("parquet");
      assertThat(drain(r)).containsExactly(new Protocol(1), PARQUET_METADATA, PARQUET_FILE);
    }
    answer("/metadata", null, new Protocol(1), PARQUET_METADATA);
    MetadataResponse m = client.getMetadata(REF, null, null, DELTA);
    assertThat(m.respondedFormat()).isEqualTo("parquet");
    assertThat(m.protocol()).isEqualTo(new Protocol(1));
    assertThat(m.metadata()).isEqualTo(PARQUET_METADATA);
  }

  @Test
  void parquetProtocolWithATooNewSharingReaderVersionIsStillRefused() {
    answer("/query", null, new Protocol(2), PARQUET_METADATA);
    try (QueryResponse r = client.queryTable(REF, null, EITHER)) {
      assertThatThrownBy(r::next)
          .isInstanceOf(DeltaSharingException.class)
          .hasMessageContaining("sharing-protocol reader version 2");
    }
  }

  @Test
  void deltaChangesAnswerStreamsAddRemoveCdcAndHistoricalProtocols() {
    DeltaProtocol head = new DeltaProtocol(1, 2, null, null, 1L);
    DeltaProtocol upgraded =
        new DeltaProtocol(3, 7, List.of("deletionVectors"), List.of("deletionVectors"), 3L);
    DeltaFileAction add = deltaFile(DeltaFileAction.Kind.ADD, "a", 2L);
    DeltaFileAction remove = deltaFile(DeltaFileAction.Kind.REMOVE, "r", 3L);
    DeltaFileAction cdc = deltaFile(DeltaFileAction.Kind.CDC, "c", 3L);
    answer(
        "/changes",
        "responseformat=delta",
        head,
        DELTA_METADATA.withVersion(1L),
        add,
        upgraded,
        remove,
        cdc);
    QueryResponse r =
        client.getChanges(REF, ChangesRequest.builder().startingVersion(1L).build(), DELTA);
    assertThat(r.respondedFormat()).isEqualTo("delta");
    assertThat(drain(r))
        .containsExactly(head, DELTA_METADATA.withVersion(1L), add, upgraded, remove, cdc);
  }
}
