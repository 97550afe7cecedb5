package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The temporary-table-credentials endpoint (E11) over HTTP: every refusal, in the documented order,
 * with the protocol's envelope. The S3 tables' storage assumes a role through an STS endpoint
 * nothing listens on, so issuing itself fails as a 500 whose log line names no secret; the refusals
 * before it need no network. Issuing against an STS emulator is tested by the Python suite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemporaryCredentialsTest {
  private static final String TOKEN = "credentials-token";
  private static final String SECRET = "s3-secret-never-logged";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private SharingServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<LogEvent> events = new CopyOnWriteArrayList<>();
  private AbstractAppender appender;

  @BeforeAll
  void start() throws Exception {
    new SyntheticLog(dir.resolve("local")).create(true).commit(SyntheticLog.adds("p", 1));
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort(); // closed again: connections to it are refused
    }
    String sts = "http://127.0.0.1:" + dead;
    String yaml =
        "version: 1\nhost: 127.0.0.1\nport: 0\nauthorization:\n  bearerToken: "
            + TOKEN
            + "\nstorage:\n- name: lake\n  type: s3\n  region: us-east-1\n  endpoint: "
            + sts
            + "\n  accessKeyId: AKIDEXAMPLE\n  secretAccessKey: "
            + SECRET
            + "\n  roleArn: arn:aws:iam::123456789012:role/sharing-reader\n  stsEndpoint: "
            + sts
            + "\n- name: plain\n  type: s3\n  region: us-east-1\n  endpoint: "
            + sts
            + "\n  accessKeyId: AKIDEXAMPLE\n  secretAccessKey: "
            + SECRET
            + "\nshares:\n- name: s\n  schemas:\n  - name: d\n    tables:\n"
            + "    - name: local\n      location: \""
            + dir.resolve("local").toUri()
            + "\"\n      historyShared: true\n"
            + "    - name: nohist\n      location: s3a://lake/warehouse/nohist\n"
            + "      storage: lake\n"
            + "    - name: s3t\n      location: s3a://lake/warehouse/sales\n"
            + "      storage: lake\n      historyShared: true\n"
            + "    - name: norole\n      location: s3a://lake/warehouse/norole\n"
            + "      storage: plain\n      historyShared: true\n"
            + "    - name: filtered\n      location: s3a://lake/warehouse/filtered\n"
            + "      storage: lake\n      historyShared: true\n"
            + "      partitionFilter: \"country = 'NL'\"\n"
            + "    - name: later\n      location: s3a://lake/warehouse/later\n"
            + "      storage: lake\n      historyShared: true\n      startVersion: 3\n";
    server = SharingServer.start(ConfigLoader.parse(yaml, "credentials.yaml"));
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    appender =
        new AbstractAppender("credentials-capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            events.add(event.toImmutable());
          }
        };
    appender.start();
    ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    ctx.updateLoggers();
  }

  @AfterAll
  void stop() throws Exception {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
    ctx.updateLoggers();
    if (server != null) {
      server.close();
    }
  }

  private record Answer(int status, String allow, JsonNode body) {}

  private Answer send(String method, String table, String body) throws Exception {
    URI uri =
        URI.create(
            server.endpointUrl()
                + "/shares/s/schemas/d/tables/"
                + table
                + "/temporary-table-credentials");
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + TOKEN)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        r.statusCode(),
        r.headers().firstValue("allow").orElse(null),
        r.body().isEmpty() ? null : JSON.readTree(r.body()));
  }

  private static void assertError(Answer a, int status, String code, String... fragments) {
    assertThat(a.status()).isEqualTo(status);
    assertThat(a.body().path("errorCode").asText()).isEqualTo(code);
    for (String f : fragments) {
      assertThat(a.body().path("message").asText()).contains(f);
    }
  }

  @Test
  void unknownTablesAre404() throws Exception {
    assertError(send("POST", "missing", "{}"), 404, "RESOURCE_DOES_NOT_EXIST", "s/d/missing");
  }

  @Test
  void tablesWithoutSharedHistoryAreRefusedLikeTheReferenceServer() throws Exception {
    assertError(
        send("POST", "nohist", "{}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Temporary table credentials are not supported because history sharing is not enabled on"
            + " table: s.d.nohist");
  }

  @Test
  void storageThatCannotScopeCredentialsIsUnsupported() throws Exception {
    for (String table : List.of("local", "norole")) {
      Answer a = send("POST", table, "{}");
      assertError(
          a, 400, "UNSUPPORTED_OPERATION", "s.d." + table, "not available", "query endpoint");
    }
    assertThat(send("POST", "local", "").body().path("message").asText()).contains("'file'");
    assertThat(send("POST", "norole", null).body().path("message").asText()).contains("'s3a'");
  }

  @Test
  void locationsOutsideTheRootAre400() throws Exception {
    for (String location :
        List.of(
            "s3a://other-bucket/some/path",
            "s3a://lake/warehouse/sales-other",
            "s3://lake/warehouse/sales/../filtered",
            "s3://lake/warehouse")) {
      assertError(
          send("POST", "s3t", JSON.writeValueAsString(java.util.Map.of("location", location))),
          400,
          "INVALID_PARAMETER_VALUE",
          "must be the same as or under this table's configured storage location");
    }
    assertError(
        send("POST", "s3t", "{\"location\": 12}"),
        400,
        "MALFORMED_REQUEST",
        "location must be a string");
  }

  @Test
  void tablesSharedWithLessThanTheirDirectoryAre403() throws Exception {
    assertError(
        send("POST", "filtered", "{}"), 403, "PERMISSION_DENIED", "s.d.filtered", "partition");
    assertError(
        send("POST", "later", "{}"), 403, "PERMISSION_DENIED", "s.d.later", "start version");
  }

  @Test
  void theTableListAnnouncesDirectoryAccessExactlyWhereItIsGranted() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.endpointUrl() + "/shares/s/schemas/d/tables"))
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    java.util.Map<String, JsonNode> items = new java.util.TreeMap<>();
    JSON.readTree(r.body()).path("items").forEach(i -> items.put(i.path("name").asText(), i));
    assertThat(items.keySet())
        .containsExactly("filtered", "later", "local", "nohist", "norole", "s3t");
    assertThat(items.get("s3t").path("accessModes").toString()).isEqualTo("[\"url\",\"dir\"]");
    assertThat(items.get("s3t").path("location").asText()).isEqualTo("s3a://lake/warehouse/sales");
    for (String other : List.of("filtered", "later", "local", "nohist", "norole")) {
      // no location (a server path) and no accessModes: URL access only
      assertThat(items.get(other).has("accessModes")).as(other).isFalse();
      assertThat(items.get(other).has("location")).as(other).isFalse();
    }
  }

  @Test
  void onlyPostIsServed() throws Exception {
    Answer a = send("GET", "s3t", null);
    assertThat(a.status()).isEqualTo(405);
    assertThat(a.allow()).isEqualTo("POST");
  }

  @Test
  void aStsFailureIsA500WhoseLogNamesNoSecret() throws Exception {
    events.clear();
    // lenient body: not JSON means the root, which the storage then fails to issue for
    Answer a = send("POST", "s3t", "not json");
    assertError(a, 500, "INTERNAL_ERROR");
    assertThat(a.body().path("message").asText())
        .doesNotContain("127.0.0.1")
        .doesNotContain("role");
    List<String> lines =
        events.stream()
            .filter(e -> e.getLevel() == Level.ERROR)
            .map(e -> e.getMessage().getFormattedMessage())
            .toList();
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("s.d.s3t")
                    .contains("arn:aws:iam::123456789012:role/sharing-reader"));
    assertThat(String.join("\n", lines)).doesNotContain(SECRET);
  }
}
