package io.lakeshare.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lakeshare.protocol.model.ProtocolConstants;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served OpenAPI description: reachable without a token, YAML, OpenAPI 3, naming the configured
 * prefix, and listing exactly the routes the real server routes. Routes are found by probing the
 * server (a path it does not route answers 404 "No such endpoint."), so a route added without
 * documenting it fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiHandlerTest {
  private static final String PREFIX = "/lake/sharing";
  private static final String TOKEN = "openapi-test-token";
  private static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
  private static final String NOT_ROUTED = "No such endpoint.";
  private static final String FILES = "/files/";

  /** Values for path parameters: the configured share, schema and table. */
  private static final Map<String, String> NAMES =
      Map.of("share", "s1", "schema", "d1", "table", "t1");

  @TempDir static Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private SharingServer server;
  private String origin;
  private JsonNode doc;

  @BeforeAll
  void start() throws Exception {
    Path table = dir.resolve("t1");
    Files.createDirectories(table.resolve("_delta_log"));
    Files.writeString(
        table.resolve("_delta_log").resolve("00000000000000000000.json"),
        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
            + "{\"metaData\":{\"id\":\"0b6b2b9e-5a5f-4a3e-9f39-2f0b1c7a9d11\",\"format\":"
            + "{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"{\\\"type\\\":"
            + "\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\","
            + "\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\",\"partitionColumns\":[],"
            + "\"configuration\":{},\"createdTime\":1700000000000}}\n");
    String yaml =
        "version: 1\nhost: 127.0.0.1\nport: 0\nendpoint: "
            + PREFIX
            + "\nauthorization:\n  bearerToken: "
            + TOKEN
            + "\nshares:\n- name: s1\n  schemas:\n  - name: d1\n    tables:\n    - name: t1\n"
            + "      location: \""
            + table.toUri()
            + "\"\n      historyShared: true\n";
    server = SharingServer.start(ConfigLoader.parse(yaml, "openapi-test.yaml"));
    String endpointUrl = server.endpointUrl();
    origin = endpointUrl.substring(0, endpointUrl.length() - PREFIX.length());
    HttpResponse<String> r = send("GET", OpenApiHandler.PATH, false);
    assertThat(r.statusCode()).isEqualTo(200);
    doc = new ObjectMapper(new YAMLFactory()).readTree(r.body());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void servesOpenApi3YamlWithoutAuthentication() throws Exception {
    HttpResponse<String> r = send("GET", OpenApiHandler.PATH, false);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/yaml");
    assertThat(doc.isObject()).isTrue();
    assertThat(doc.path("openapi").asText()).startsWith("3.");
    assertThat(doc.path("info").path("title").asText()).isNotBlank();
    assertThat(doc.path("servers").path(0).path("url").asText()).isEqualTo(PREFIX);
    assertThat(doc.path("components").path("securitySchemes").path("bearerAuth").path("scheme"))
        .hasToString("\"bearer\"");
    assertThat(doc.path("paths").size()).isGreaterThan(5);

    HttpResponse<String> post = send("POST", OpenApiHandler.PATH, false);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    assertThat(post.body()).contains("\"errorCode\"");
  }

  @Test
  void rendersTheConfiguredPrefix() throws Exception {
    JsonNode atRoot = new ObjectMapper(new YAMLFactory()).readTree(OpenApiHandler.render(""));
    assertThat(atRoot.path("servers").path(0).path("url").asText()).isEqualTo("/");
    JsonNode standard =
        new ObjectMapper(new YAMLFactory())
            .readTree(OpenApiHandler.render(ProtocolConstants.DEFAULT_ENDPOINT_PREFIX));
    assertThat(standard.path("servers").path(0).path("url").asText())
        .isEqualTo(ProtocolConstants.DEFAULT_ENDPOINT_PREFIX);
  }

  @Test
  void everyErrorResponseUsesTheEnvelope() {
    List<String> problems = new ArrayList<>();
    documented()
        .forEach(
            (path, methods) -> {
              for (String method : methods) {
                JsonNode responses =
                    doc.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
                Iterator<Map.Entry<String, JsonNode>> it = responses.path("responses").fields();
                while (it.hasNext()) {
                  Map.Entry<String, JsonNode> e = it.next();
                  if (e.getKey().startsWith("2") || method.equals("HEAD")) {
                    continue;
                  }
                  JsonNode response = resolve(e.getValue());
                  JsonNode schema =
                      response.path("content").path("application/json").path("schema");
                  if (!schema.path("$ref").asText().equals("#/components/schemas/ErrorResponse")) {
                    problems.add(method + " " + path + " " + e.getKey());
                  }
                }
              }
            });
    assertThat(problems).as("error responses without the error envelope").isEmpty();
  }

  @Test
  void everyDocumentedOperationIsRouted() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : documented().entrySet()) {
      String path = instantiate(e.getKey());
      for (String method : e.getValue()) {
        HttpResponse<String> r = send(method, path, true);
        if (r.statusCode() == 405 || notRouted(r)) {
          problems.add(method + " " + e.getKey() + " -> " + r.statusCode() + " " + r.body());
        }
      }
    }
    assertThat(problems).as("documented operations the server does not serve").isEmpty();
  }

  @Test
  void everyRoutedPathAndMethodIsDocumented() throws Exception {
    Map<String, Set<String>> documented = documented();
    List<String> vocabulary = vocabulary(documented);
    Set<String> candidates = new LinkedHashSet<>();
    // every path of up to three segments over the vocabulary
    List<String> level = List.of("");
    for (int depth = 1; depth <= 3; depth++) {
      List<String> next = new ArrayList<>();
      for (String p : level) {
        for (String v : vocabulary) {
          next.add(p + "/" + v);
        }
      }
      candidates.addAll(next);
      level = next;
    }
    // every prefix of a documented path, and one segment added to it or swapped at its end
    for (String template : documented.keySet()) {
      String[] segments = instantiate(template).substring(1).split("/");
      for (int n = 1; n <= segments.length; n++) {
        String prefix = "/" + String.join("/", List.of(segments).subList(0, n));
        String parent = "/" + String.join("/", List.of(segments).subList(0, n - 1));
        for (String v : vocabulary) {
          candidates.add(prefix + "/" + v);
          candidates.add((parent.equals("/") ? "" : parent) + "/" + v);
        }
      }
    }
    List<String> problems = new ArrayList<>();
    Set<String> routed = new TreeSet<>();
    for (String path : candidates) {
      HttpResponse<String> get = send("GET", path, true);
      if (notRouted(get)) {
        continue;
      }
      String template = match(path, documented.keySet());
      if (template == null) {
        problems.add("GET " + path + " -> " + get.statusCode() + " is routed but not documented");
        continue;
      }
      routed.add(template);
      for (String method : METHODS) {
        HttpResponse<String> r = method.equals("GET") ? get : send(method, path, true);
        if (r.statusCode() != 405 && !notRouted(r) && !documented.get(template).contains(method)) {
          problems.add(method + " " + path + " -> " + r.statusCode() + " is not documented");
        }
      }
    }
    assertThat(problems).as("routes the server serves that openapi.yaml does not list").isEmpty();
    assertThat(routed).as("probing found every documented path").isEqualTo(documented.keySet());
  }

  @Test
  void everyProtocolPathSegmentIsDocumented() throws Exception {
    Set<String> literals = new TreeSet<>();
    for (String template : documented().keySet()) {
      for (String segment : template.substring(1).split("/")) {
        if (!segment.startsWith("{")) {
          literals.add(segment);
        }
      }
    }
    for (Field f : ProtocolConstants.class.getFields()) {
      if (f.getName().startsWith("PATH_") && Modifier.isStatic(f.getModifiers())) {
        assertThat(literals).as("openapi.yaml paths").contains((String) f.get(null));
      }
    }
  }

  /** Path template to upper-case methods, as the document lists them. */
  private Map<String, Set<String>> documented() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> p = paths.next();
      Set<String> methods = new TreeSet<>();
      for (String m : METHODS) {
        if (p.getValue().has(m.toLowerCase(Locale.ROOT))) {
          methods.add(m);
        }
      }
      out.put(p.getKey(), methods);
    }
    return out;
  }

  /** Path constants of the protocol, literal segments of the document, and the configured names. */
  private static List<String> vocabulary(Map<String, Set<String>> documented) throws Exception {
    Set<String> words = new LinkedHashSet<>();
    for (Field f : ProtocolConstants.class.getFields()) {
      if (f.getName().startsWith("PATH_") && Modifier.isStatic(f.getModifiers())) {
        words.add((String) f.get(null));
      }
    }
    for (String template : documented.keySet()) {
      for (String segment : template.substring(1).split("/")) {
        if (!segment.startsWith("{")) {
          words.add(segment);
        }
      }
    }
    words.addAll(NAMES.values());
    return List.copyOf(words);
  }

  private JsonNode resolve(JsonNode node) {
    String ref = node.path("$ref").asText();
    if (ref.isEmpty()) {
      return node;
    }
    JsonNode target = doc;
    for (String part : ref.substring(2).split("/")) {
      target = target.path(part);
    }
    return target;
  }

  private static String instantiate(String template) {
    StringBuilder b = new StringBuilder();
    for (String segment : template.substring(1).split("/")) {
      b.append('/');
      if (segment.startsWith("{")) {
        b.append(NAMES.getOrDefault(segment.substring(1, segment.length() - 1), "x"));
      } else {
        b.append(segment);
      }
    }
    return b.toString();
  }

  /** The documented template a concrete path falls under, or null. */
  private static String match(String path, Set<String> templates) {
    for (String template : templates) {
      // The file route owns its whole subtree: every path below it is answered (403 unless signed).
      if (template.startsWith(FILES) && path.startsWith(FILES)) {
        return template;
      }
      String[] t = template.substring(1).split("/");
      String[] p = path.substring(1).split("/");
      if (t.length != p.length) {
        continue;
      }
      boolean same = true;
      for (int i = 0; i < t.length && same; i++) {
        same = t[i].startsWith("{") || t[i].equals(p[i]);
      }
      if (same) {
        return template;
      }
    }
    return null;
  }

  /** SharingHandler's answer to a path it has no route for (HEAD has no body to tell). */
  private static boolean notRouted(HttpResponse<String> r) {
    return r.statusCode() == 404 && r.body().contains(NOT_ROUTED);
  }

  private HttpResponse<String> send(String method, String path, boolean auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + PREFIX + path));
    if (auth) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString("{}"));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
