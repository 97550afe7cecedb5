package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input from a client is a 4xx with the protocol's error envelope naming what was wrong, never
 * a 500, and never a stack trace in the log: malformed percent-encoding, timestamps and numbers out
 * of range, ambiguous credentials, methods a route does not serve, and Delta logs naming files
 * outside the table's root. Requests are sent as raw bytes, so nothing is normalised on the way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  private static final String TOKEN = "bad-input-token";
  private static final String PREFIX = "/delta-sharing";
  private static final String T = PREFIX + "/shares/s/schemas/d/tables/good";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private SharingServer server;
  private final List<LogEvent> events = new CopyOnWriteArrayList<>();
  private AbstractAppender appender;

  @BeforeAll
  void start() throws Exception {
    Path tables = dir.resolve("tables");
    SyntheticLog good = new SyntheticLog(tables.resolve("good")).create(true);
    good.commit(SyntheticLog.adds("part", 2));
    good.commit(
        SyntheticLog.commitInfo("DELETE", null),
        SyntheticLog.remove("part-0.parquet", true),
        SyntheticLog.cdc("c-0.parquet"));
    Map<String, String[]> escaping = new LinkedHashMap<>();
    escaping.put("rel", new String[] {SyntheticLog.add("../good/part-1.parquet", true)});
    escaping.put("up", new String[] {SyntheticLog.add("../../../../../../etc/passwd", true)});
    escaping.put("abs", new String[] {SyntheticLog.add("file:/etc/passwd", true)});
    escaping.put("abs_plain", new String[] {SyntheticLog.add("/etc/passwd", true)});
    escaping.put("enc", new String[] {SyntheticLog.add("%2E%2E/good/part-1.parquet", true)});
    for (Map.Entry<String, String[]> e : escaping.entrySet()) {
      new SyntheticLog(tables.resolve("esc_" + e.getKey())).create(true).commit(e.getValue());
    }
    // a change query over a remove and a cdc file that leave the root
    new SyntheticLog(tables.resolve("esc_changes"))
        .create(true)
        .commit(SyntheticLog.adds("p", 1))
        .commit(
            SyntheticLog.commitInfo("DELETE", null),
            SyntheticLog.remove("../good/part-1.parquet", true),
            SyntheticLog.cdc("../../good/part-1.parquet"));
    // absolute URIs inside the table's own root (a shallow-clone layout) are served
    Path inside = tables.resolve("inside_abs");
    new SyntheticLog(inside)
        .create(true)
        .commit(
            SyntheticLog.add(inside.toAbsolutePath().toUri().toString() + "part-0.parquet", true));
    Files.writeString(inside.resolve("part-0.parquet"), "not really parquet");

    // a large answer (about 9 MB) for a client that hangs up while reading it
    String[] many = SyntheticLog.adds("a-much-longer-file-name-to-make-the-answer-larger", 30_000);
    new SyntheticLog(tables.resolve("big")).create(false).commit(many);

    StringBuilder yaml =
        new StringBuilder(
            "version: 1\nhost: 127.0.0.1\nport: 0\nauthorization:\n  bearerToken: "
                + TOKEN
                + "\nshares:\n- name: s\n  schemas:\n  - name: d\n    tables:\n");
    List<String> names = new ArrayList<>(List.of("good", "esc_changes", "inside_abs", "big"));
    escaping.keySet().forEach(k -> names.add("esc_" + k));
    for (String name : names) {
      yaml.append("    - name: ")
          .append(name)
          .append("\n      location: \"")
          .append(tables.resolve(name).toUri())
          .append("\"\n      historyShared: true\n");
    }
    server = SharingServer.start(ConfigLoader.parse(yaml.toString(), "bad-input.yaml"));

    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    appender =
        new AbstractAppender("bad-input-capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            events.add(event.toImmutable());
          }
        };
    appender.start();
    config.getRootLogger().addAppender(appender, Level.ALL, null);
    LoggerConfig handlerLogger =
        new LoggerConfig("io.lakeshare.server.http.SharingHandler", Level.DEBUG, true);
    config.addLogger(handlerLogger.getName(), handlerLogger);
    ctx.updateLoggers();
  }

  @AfterAll
  void stop() throws Exception {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
    ctx.getConfiguration().removeLogger("io.lakeshare.server.http.SharingHandler");
    ctx.updateLoggers();
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void clearLog() {
    events.clear();
  }

  // ---- malformed percent-encoding ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/shares?%",
        "/shares?maxResults=%FF",
        "/shares?maxResults=%4",
        "/shares?maxResults=%G1",
        "/shares?max%ZZResults=1",
        "/shares?maxResults=1&pageToken=%C0%80",
        "/shares/s/schemas/d/tables/good/metadata?version=%",
        "/shares/s/schemas/d/tables/good/changes?maxFiles=%C0%80&pageToken=1.5",
        "/shares/s/schemas/d/tables/good/version?startingTimestamp=%ED%A0%80",
      })
  void malformedEscapesInTheQueryAre400NamingTheParameter(String target) throws Exception {
    Answer a = send("GET", PREFIX + target, auth(), null);
    assertThat(a.status).as(target).isEqualTo(400);
    JsonNode e = a.envelope();
    assertThat(e.path("errorCode").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
    assertThat(e.path("message").asText()).containsAnyOf("query string", "query parameter '");
    if (target.contains("maxResults=%")) {
      assertThat(e.path("message").asText()).contains("'maxResults'");
    }
    assertNoStackTraces();
  }

  @Test
  void plusAndEscapesStillDecode() throws Exception {
    // '+' is a space in a query: the timestamp parses after trimming
    Answer a =
        send(
            "GET",
            T + "/version?startingTimestamp=+2023-11-14T22:13:20Z",
            auth(),
            null); // T0 of SyntheticLog, version 0
    assertThat(a.status).isEqualTo(200);
    assertThat(a.headers.get("delta-table-version")).isEqualTo("0");
    Answer b = send("GET", T + "/version?startingTimestamp=2023-11-14T22%3A13%3A21Z", auth(), null);
    assertThat(b.status).isEqualTo(200);
    assertThat(b.headers.get("delta-table-version")).isEqualTo("1");
  }

  // ---- timestamps and numbers out of range ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/version?startingTimestamp=%2B292278994-08-17T07:12:55.808Z",
        "/version?startingTimestamp=+292278994-08-17T07:12:55.808Z",
        "/version?startingTimestamp=%2B999999999-12-31T23:59:59Z",
        "/version?startingTimestamp=-999999999-01-01T00:00:00Z",
        "/metadata?timestamp=%2B999999999-12-31T23:59:59Z",
        "/metadata?timestamp=-292278994-08-17T07:12:55.808Z",
        "/changes?startingTimestamp=-999999999-01-01T00:00:00Z",
        "/changes?startingVersion=0&endingTimestamp=%2B999999999-12-31T23:59:59Z",
        "/metadata?version=99999999999999999999",
        "/metadata?version=-1",
        "/changes?startingVersion=-1",
        "/changes?startingVersion=9223372036854775807",
        "/changes?startingVersion=0&endingVersion=-5",
        "/changes?startingVersion=0&maxFiles=99999999999",
        "/../../../shares?maxResults=",
        "/../../../shares?maxResults=-1",
        "/../../../shares?maxResults=1e3",
      })
  void outOfRangeValuesAre400(String tail) throws Exception {
    String target = tail.startsWith("/../../../") ? PREFIX + tail.substring(9) : T + tail;
    Answer a = send("GET", target, auth(), null);
    assertThat(a.status).as(tail).isEqualTo(400);
    assertThat(a.envelope().path("errorCode").asText())
        .isIn("INVALID_PARAMETER_VALUE", "MALFORMED_REQUEST");
    assertThat(a.envelope().path("message").asText()).isNotBlank();
    assertNoStackTraces();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"timestamp\": \"+999999999-12-31T23:59:59Z\"}",
        "{\"timestamp\": \"-999999999-01-01T00:00:00Z\"}",
        "{\"version\": 99999999999999999999}",
        "{\"version\": -1}",
        "{\"maxFiles\": 2147483648}",
        "{\"limitHint\": {\"a\": 1}}",
        "{\"startingVersion\": 0, \"endingVersion\": -3}",
        "{\"version\": ",
        "[]",
        "\"x\"",
      })
  void badQueryBodiesAre400(String body) throws Exception {
    Answer a = send("POST", T + "/query", auth(), body);
    assertThat(a.status).as(body).isEqualTo(400);
    assertThat(a.envelope().path("errorCode").asText())
        .isIn("INVALID_PARAMETER_VALUE", "MALFORMED_REQUEST");
    assertNoStackTraces();
  }

  @Test
  void offsetsBeyondEighteenHoursAreRfc3339AndAccepted() throws Exception {
    // 2023-11-15T22:13:21+24h... : +23:59 is allowed by RFC 3339 but not by java.time
    Answer wide = send("GET", T + "/version?startingTimestamp=2023-11-15T22:12:21%2B23:59", auth());
    Answer utc = send("GET", T + "/version?startingTimestamp=2023-11-14T22:13:21Z", auth());
    assertThat(wide.status).isEqualTo(200);
    assertThat(wide.headers.get("delta-table-version"))
        .isEqualTo(utc.headers.get("delta-table-version"))
        .isEqualTo("1");
    Answer west = send("GET", T + "/version?startingTimestamp=2023-11-13T22:14:21-23:59", auth());
    assertThat(west.headers.get("delta-table-version")).isEqualTo("1");
  }

  // ---- credentials and methods ----

  @Test
  void severalAuthorizationHeadersAreRefusedWhateverTheirOrder() throws Exception {
    for (List<String> headers :
        List.of(
            List.of("Authorization: Bearer " + TOKEN, "Authorization: Bearer wrong"),
            List.of("Authorization: Bearer wrong", "Authorization: Bearer " + TOKEN),
            List.of("Authorization: Bearer " + TOKEN, "Authorization: Bearer " + TOKEN))) {
      Answer a = send("GET", PREFIX + "/shares", headers, null);
      assertThat(a.status).as(headers.toString()).isEqualTo(400);
      assertThat(a.envelope().path("errorCode").asText()).isEqualTo("MALFORMED_REQUEST");
      assertThat(a.body).doesNotContain("\"items\"");
    }
    // one header with either case of the scheme is fine
    assertThat(send("GET", PREFIX + "/shares", List.of("Authorization: bearer " + TOKEN)).status)
        .isEqualTo(200);
    Answer empty = send("GET", PREFIX + "/shares", List.of("Authorization: Bearer "));
    assertThat(empty.status).isEqualTo(401);
    assertThat(empty.headers.get("www-authenticate")).isEqualTo("Bearer");
  }

  @Test
  void methodsARouteDoesNotServeAre405WithAllow() throws Exception {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("TRACE " + PREFIX + "/shares", "GET");
    cases.put("DELETE " + PREFIX + "/shares/s", "GET");
    cases.put("PUT " + T + "/query", "POST");
    cases.put("GET " + T + "/query", "POST");
    cases.put("POST " + T + "/metadata", "GET");
    cases.put("GET " + T, "HEAD");
    cases.put("QUERY " + T + "/changes", "GET");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String[] mt = c.getKey().split(" ");
      Answer a = send(mt[0], mt[1], auth(), null);
      assertThat(a.status).as(c.getKey()).isEqualTo(405);
      assertThat(a.headers.get("allow")).as(c.getKey()).isEqualTo(c.getValue());
      assertThat(a.envelope().path("errorCode").asText()).isEqualTo("MALFORMED_REQUEST");
    }
  }

  // ---- Delta logs naming files outside the table ----

  @ParameterizedTest
  @ValueSource(strings = {"esc_rel", "esc_up", "esc_abs", "esc_abs_plain", "esc_enc"})
  void filesOutsideTheRootAreRefusedNamingTheTable(String table) throws Exception {
    String path = PREFIX + "/shares/s/schemas/d/tables/" + table + "/query";
    for (String caps : List.of("responseformat=parquet", "responseformat=delta")) {
      List<String> headers = new ArrayList<>(auth());
      headers.add("delta-sharing-capabilities: " + caps);
      Answer a = send("POST", path, headers, "{}");
      assertRefusedNamingTable(a, "s.d." + table, caps);
    }
    assertNoStackTraces();
  }

  @Test
  void changeQueriesOverFilesOutsideTheRootAreRefused() throws Exception {
    for (String caps : List.of("responseformat=parquet", "responseformat=delta")) {
      List<String> headers = new ArrayList<>(auth());
      headers.add("delta-sharing-capabilities: " + caps);
      Answer a =
          send(
              "GET",
              PREFIX + "/shares/s/schemas/d/tables/esc_changes/changes?startingVersion=2",
              headers,
              null);
      assertRefusedNamingTable(a, "s.d.esc_changes", caps);
    }
    // the versions before the escaping commit are still answered
    Answer before =
        send(
            "GET",
            PREFIX
                + "/shares/s/schemas/d/tables/esc_changes/changes?startingVersion=0&endingVersion=1",
            auth(),
            null);
    assertThat(before.status).isEqualTo(200);
    assertThat(before.body).contains("\"add\"").contains("p-0.parquet");
    assertNoStackTraces();
  }

  @Test
  void absolutePathsInsideTheRootAreServed() throws Exception {
    Answer a = send("POST", PREFIX + "/shares/s/schemas/d/tables/inside_abs/query", auth(), "{}");
    assertThat(a.status).isEqualTo(200);
    String url = null;
    for (String line : a.body.split("\n")) {
      JsonNode n = JSON.readTree(line);
      if (n.has("file")) {
        url = n.path("file").path("url").asText();
      }
    }
    assertThat(url).isNotNull().doesNotContain(dir.toString()).contains("part-0.parquet");
    String target = url.substring(url.indexOf(PREFIX));
    Answer file = send("GET", target, List.of(), null);
    assertThat(file.status).isEqualTo(200);
    assertThat(file.body).isEqualTo("not really parquet");
  }

  // ---- request bodies a route has no use for ----

  /**
   * A body that arrives after the headers (as from clients that write them separately) and that the
   * route never reads must not make the server close a kept-alive connection under the client's
   * feet: a pooled client would send its next request down it and get no answer at all.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "POST /shares 405",
        "PUT /shares/s 405",
        "PATCH /shares/s/schemas/d/tables/good/metadata 405",
        "POST /shares/s/schemas/d/tables/good/version 405",
        "DELETE /shares/s/schemas/d/tables/good/query 405",
        "POST /shares/s/schemas/d/tables/nope/query 404",
        "GET /shares 200",
        "POST /openapi.yaml 405",
        "GET /openapi.yaml 200",
        "PUT file 405",
        "GET file 200",
      })
  void aBodyTheRouteIgnoresDoesNotCostTheConnection(String testCase) throws Exception {
    String[] c = testCase.split(" ");
    String target = c[1].equals("file") ? fileUrlPath() : PREFIX + c[1];
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      String body = "{\"predicateHints\":[]}";
      String head =
          c[0]
              + " "
              + target
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + TOKEN
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread.sleep(300); // the answer is ready before the body arrives
      out.write(body.getBytes(StandardCharsets.ISO_8859_1));
      out.write(
          ("GET "
                  + PREFIX
                  + "/shares HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + TOKEN
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      List<String> statusLines = new ArrayList<>();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("HTTP/1\\.1 (\\d{3}) ").matcher(all);
      while (m.find()) {
        statusLines.add(m.group(1));
      }
      assertThat(statusLines).as(testCase + "\n" + all).containsExactly(c[2], "200");
      assertThat(all).as(testCase).endsWith("]}");
    }
    assertNoStackTraces();
  }

  /** The path and query of a signed URL the server hands out for one of its files. */
  private String fileUrlPath() throws Exception {
    Answer a = send("POST", PREFIX + "/shares/s/schemas/d/tables/inside_abs/query", auth(), "{}");
    assertThat(a.status).as(a.body).isEqualTo(200);
    for (String line : a.body.split("\n")) {
      JsonNode file = JSON.readTree(line).path("file");
      if (file.has("url")) {
        java.net.URI u = java.net.URI.create(file.path("url").asText());
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
      }
    }
    throw new AssertionError("no file in " + a.body);
  }

  // ---- log amplification ----

  @Test
  void aHundredBadRequestsLogNoStackTraceAndAtMostOneLineEach() throws Exception {
    for (int i = 0; i < 100; i++) {
      send("GET", PREFIX + "/shares?maxResults=%" + (i % 10), auth(), null);
    }
    assertNoStackTraces();
    long warnOrWorse =
        events.stream().filter(e -> e.getLevel().isMoreSpecificThan(Level.WARN)).count();
    assertThat(warnOrWorse).isZero();
    assertThat(events.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void clientsHangingUpMidAnswerAreCountedNotLoggedAsErrors() throws Exception {
    long before = server.clientDisconnects();
    for (int i = 0; i < 3; i++) {
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.setSoLinger(true, 0); // close with a reset
        s.setReceiveBufferSize(4096);
        String body = "{}";
        String req =
            "POST "
                + PREFIX
                + "/shares/s/schemas/d/tables/big/query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n"
                + body;
        s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
        byte[] first = s.getInputStream().readNBytes(1024);
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
      }
    }
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (server.clientDisconnects() < before + 3 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(server.clientDisconnects() - before).isEqualTo(3);
    assertNoStackTraces();
    assertThat(events.stream().filter(e -> e.getLevel().isMoreSpecificThan(Level.WARN))).isEmpty();
  }

  private void assertRefusedNamingTable(Answer a, String fullName, String caps) throws Exception {
    if (a.status == 200) {
      // refused after the answer started streaming: the final line carries the error
      String[] lines = a.body.split("\n");
      JsonNode end = JSON.readTree(lines[lines.length - 1]).path("endStreamAction");
      assertThat(end.path("httpStatusCode").asInt()).as(caps).isEqualTo(403);
      assertThat(end.path("errorMessage").asText()).contains(fullName);
      assertThat(a.body).doesNotContain("passwd").doesNotContain(dir.toString());
      return;
    }
    assertThat(a.status).as(caps + " " + a.body).isEqualTo(403);
    assertThat(a.envelope().path("errorCode").asText()).isEqualTo("PERMISSION_DENIED");
    assertThat(a.envelope().path("message").asText())
        .contains("'" + fullName + "'")
        .doesNotContain(dir.toString())
        .doesNotContain("passwd");
  }

  private void assertNoStackTraces() {
    List<String> withStacks = new ArrayList<>();
    for (LogEvent e : events) {
      if (e.getThrown() != null || e.getLevel().isMoreSpecificThan(Level.ERROR)) {
        withStacks.add(e.getLevel() + " " + e.getMessage().getFormattedMessage());
      }
    }
    assertThat(withStacks).as("log events with a stack trace or at ERROR").isEmpty();
  }

  private static List<String> auth() {
    return List.of("Authorization: Bearer " + TOKEN);
  }

  private Answer send(String method, String target, List<String> headers) throws IOException {
    return send(method, target, headers, null);
  }

  /** One request on its own connection, written byte for byte. */
  private Answer send(String method, String target, List<String> headers, String body)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      StringBuilder req = new StringBuilder();
      req.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      req.append("Host: 127.0.0.1\r\nConnection: close\r\n");
      for (String h : headers) {
        req.append(h).append("\r\n");
      }
      byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        req.append("Content-Type: application/json\r\nContent-Length: ")
            .append(bytes.length)
            .append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      return Answer.read(s.getInputStream(), method);
    }
  }

  /** A parsed HTTP/1.1 answer (body de-chunked). */
  private record Answer(int status, Map<String, String> headers, String body) {
    JsonNode envelope() throws IOException {
      JsonNode n = JSON.readTree(body);
      assertThat(n.isObject()).as(body).isTrue();
      assertThat(n.size()).as(body).isEqualTo(2);
      return n;
    }

    static Answer read(InputStream in, String method) throws IOException {
      byte[] all = in.readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int split = text.indexOf("\r\n\r\n");
      String[] head = text.substring(0, split).split("\r\n");
      int status = Integer.parseInt(head[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        headers.put(
            head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            head[i].substring(colon + 1).trim());
      }
      byte[] rest = java.util.Arrays.copyOfRange(all, split + 4, all.length);
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        rest = dechunk(rest);
      }
      return new Answer(
          status, headers, "HEAD".equals(method) ? "" : new String(rest, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] raw) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int i = 0;
      while (i < raw.length) {
        int eol = i;
        while (eol + 1 < raw.length && !(raw[eol] == '\r' && raw[eol + 1] == '\n')) {
          eol++;
        }
        String size = new String(raw, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0];
        int n = Integer.parseInt(size.trim(), 16);
        if (n == 0) {
          break;
        }
        out.write(raw, eol + 2, n);
        i = eol + 2 + n + 2;
      }
      return out.toByteArray();
    }
  }
}
