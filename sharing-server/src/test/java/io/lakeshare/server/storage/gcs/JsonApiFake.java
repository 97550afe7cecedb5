package io.lakeshare.server.storage.gcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Just enough of the Cloud Storage JSON API (object list with prefix, delimiter and startOffset;
 * object metadata; ranged media downloads), of the OAuth token endpoint and of the Security Token
 * Service's downscoped-token exchange for one bucket, over real HTTP, so the production transport
 * of google-cloud-storage is exercised. Records every request line.
 *
 * <p>With {@link #enforceTokens()}, object requests need a bearer token: the service account's
 * ({@value #ACCOUNT_TOKEN}) reads the whole bucket, a downscoped token only what the condition of
 * its access boundary allows (the object-name prefix), as Cloud Storage enforces it.
 */
public final class JsonApiFake implements AutoCloseable {
  /** The access token the OAuth endpoint gives the service account. */
  public static final String ACCOUNT_TOKEN = "fake-token";

  private static final String UPDATED = "2026-01-02T03:04:05.678Z";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LIST_PREFIX =
      Pattern.compile("objectListPrefix', ''\\)\\.startsWith\\('([^']*)'\\)");

  final String bucket;
  final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  /** Objects' {@code updated} times that differ from the fixed one (e.g. a local file's mtime). */
  private final Map<String, String> updated = new ConcurrentHashMap<>();

  /** Downscoped tokens issued so far, each with the object-name prefix it reads ("" = bucket). */
  private final Map<String, String> downscoped = new ConcurrentHashMap<>();

  private final AtomicInteger issued = new AtomicInteger();
  private volatile boolean enforce;
  private volatile int pageSize = 1000;
  private final HttpServer server;

  public JsonApiFake(String bucket) throws IOException {
    this.bucket = bucket;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * A service-account JSON key with a fresh RSA key whose token endpoint is this fake's: what a
   * {@code type: gcs} storage entry's {@code serviceAccountKey} takes.
   */
  public String serviceAccountKey() {
    KeyPairGenerator g;
    try {
      g = KeyPairGenerator.getInstance("RSA");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    g.initialize(2048);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(g.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return JSON.createObjectNode()
        .put("type", "service_account")
        .put("project_id", "lakeshare-test")
        .put("private_key_id", "0123456789abcdef")
        .put("private_key", pem)
        .put("client_email", "sharing@lakeshare-test.iam.gserviceaccount.com")
        .put("client_id", "100000000000000000001")
        .put("token_uri", endpoint() + "/token")
        .toString();
  }

  /** Lists at most {@code size} objects and prefixes per page (the API's default is 1,000). */
  public JsonApiFake pageSize(int size) {
    pageSize = size;
    return this;
  }

  /** From now on, object requests need a token that covers them. */
  public JsonApiFake enforceTokens() {
    enforce = true;
    return this;
  }

  /**
   * Stores every file under {@code dir} as an object named {@code prefix/<relative path>}, updated
   * at the file's modification time (so Delta commit timestamps stay those of the local table).
   */
  public void putTree(String prefix, Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        String name =
            prefix + "/" + dir.relativize(p).toString().replace(java.io.File.separatorChar, '/');
        objects.put(name, Files.readAllBytes(p));
        updated.put(
            name,
            Files.getLastModifiedTime(p).toInstant().truncatedTo(ChronoUnit.MILLIS).toString());
      }
    }
  }

  /** The request lines received so far ("METHOD /path?query"). */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** The downscoped tokens issued so far, each with the object-name prefix it reads. */
  public Map<String, String> downscopedTokens() {
    return Map.copyOf(downscoped);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      Map<String, String> query = query(ex.getRequestURI().getRawQuery());
      requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
      if (path.equals("/token")) {
        send(
            ex,
            200,
            "{\"access_token\":\""
                + ACCOUNT_TOKEN
                + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
        return;
      }
      if (path.equals("/v1/token") && ex.getRequestMethod().equals("POST")) {
        exchange(ex);
        return;
      }
      String listPath = "/storage/v1/b/" + bucket + "/o";
      if (path.equals(listPath)) {
        if (allowed(ex, query.getOrDefault("prefix", ""))) {
          list(ex, query);
        }
        return;
      }
      String objectPrefix =
          path.startsWith("/download") ? "/download" + listPath + "/" : listPath + "/";
      if (!path.startsWith(objectPrefix)) {
        send(ex, 404, error(404, "The specified bucket does not exist."));
        return;
      }
      String name =
          URLDecoder.decode(path.substring(objectPrefix.length()), StandardCharsets.UTF_8);
      if (!allowed(ex, name)) {
        return;
      }
      byte[] data = objects.get(name);
      if (data == null) {
        send(ex, 404, error(404, "No such object: " + bucket + "/" + name));
      } else if ("media".equals(query.get("alt"))) {
        media(ex, data);
      } else {
        send(ex, 200, resource(name, data));
      }
    }
  }

  /**
   * Whether the request's token may read objects named {@code name} (or listed with that prefix);
   * answers 401 or 403 when not.
   */
  private boolean allowed(HttpExchange ex, String name) throws IOException {
    if (!enforce) {
      return true;
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    if (ACCOUNT_TOKEN.equals(token)) {
      return true;
    }
    String prefix = token == null ? null : downscoped.get(token);
    if (prefix == null) {
      send(ex, 401, error(401, "Invalid Credentials"));
      return false;
    }
    if (!name.startsWith(prefix)) {
      send(ex, 403, error(403, "The access boundary does not allow " + name));
      return false;
    }
    return true;
  }

  /**
   * The Security Token Service's exchange of the account's token for one limited by a Credential
   * Access Boundary: one read-only rule on this bucket, optionally conditioned on an object-name
   * prefix.
   */
  private void exchange(HttpExchange ex) throws IOException {
    Map<String, String> form =
        query(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (!"urn:ietf:params:oauth:grant-type:token-exchange".equals(form.get("grant_type"))
        || !ACCOUNT_TOKEN.equals(form.get("subject_token"))) {
      send(ex, 401, "{\"error\":\"invalid_grant\"}");
      return;
    }
    JsonNode rules = JSON.readTree(form.get("options")).at("/accessBoundary/accessBoundaryRules");
    JsonNode rule = rules.path(0);
    if (rules.size() != 1
        || !rule.path("availableResource")
            .asText()
            .equals("//storage.googleapis.com/projects/_/buckets/" + bucket)
        || !rule.path("availablePermissions")
            .toString()
            .equals("[\"inRole:roles/storage.objectViewer\"]")) {
      send(ex, 400, "{\"error\":\"invalid_request\",\"error_description\":\"boundary\"}");
      return;
    }
    String prefix = "";
    if (rule.has("availabilityCondition")) {
      Matcher m = LIST_PREFIX.matcher(rule.at("/availabilityCondition/expression").asText());
      if (!m.find()) {
        send(ex, 400, "{\"error\":\"invalid_request\",\"error_description\":\"condition\"}");
        return;
      }
      prefix = m.group(1);
    }
    String token = "downscoped-" + issued.incrementAndGet();
    downscoped.put(token, prefix);
    send(
        ex,
        200,
        "{\"access_token\":\""
            + token
            + "\",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\","
            + "\"token_type\":\"Bearer\",\"expires_in\":1800}");
  }

  private void list(HttpExchange ex, Map<String, String> q) throws IOException {
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.get("delimiter");
    String start = q.get("startOffset");
    String after = q.get("pageToken");
    int limit = pageSize;
    if (q.containsKey("maxResults")) {
      limit = Math.min(limit, Integer.parseInt(q.get("maxResults")));
    }
    // one entry per object or per common prefix, in name order, as the API pages them
    TreeMap<String, String> entries = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : objects.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(prefix) || (start != null && name.compareTo(start) < 0)) {
        continue;
      }
      int cut = delimiter == null ? -1 : name.indexOf(delimiter, prefix.length());
      if (cut >= 0) {
        entries.putIfAbsent(name.substring(0, cut + 1), null);
      } else {
        entries.put(name, resource(name, e.getValue()));
      }
    }
    List<String> items = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String next = null;
    for (Map.Entry<String, String> e :
        (after == null ? entries : entries.tailMap(after, false)).entrySet()) {
      if (items.size() + prefixes.size() == limit) {
        next = items.isEmpty() && prefixes.isEmpty() ? null : entries.lowerKey(e.getKey());
        break;
      }
      if (e.getValue() == null) {
        prefixes.add("\"" + e.getKey() + "\"");
      } else {
        items.add(e.getValue());
      }
    }
    StringBuilder json = new StringBuilder("{\"kind\":\"storage#objects\",\"items\":[");
    json.append(String.join(",", items)).append("],\"prefixes\":[");
    json.append(String.join(",", prefixes)).append("]");
    if (next != null) {
      json.append(",\"nextPageToken\":\"").append(next).append("\"");
    }
    send(ex, 200, json.append("}").toString());
  }

  private void media(HttpExchange ex, byte[] data) throws IOException {
    String range = ex.getRequestHeaders().getFirst("Range");
    int from = 0;
    int to = data.length - 1;
    if (range != null && range.startsWith("bytes=")) {
      String[] parts = range.substring(6).split("-", -1);
      from = Integer.parseInt(parts[0]);
      if (!parts[1].isEmpty()) {
        to = Math.min(to, Integer.parseInt(parts[1]));
      }
    }
    ex.getResponseHeaders().add("x-goog-generation", "1");
    ex.getResponseHeaders().add("x-goog-stored-content-length", String.valueOf(data.length));
    if (from > to) {
      ex.sendResponseHeaders(416, -1);
      return;
    }
    if (range != null) {
      ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + data.length);
    }
    ex.sendResponseHeaders(range != null ? 206 : 200, to - from + 1);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(data, from, to - from + 1);
    }
  }

  private String resource(String name, byte[] data) {
    return "{\"kind\":\"storage#object\",\"bucket\":\""
        + bucket
        + "\",\"name\":\""
        + name
        + "\",\"generation\":\"1\",\"metageneration\":\"1\",\"size\":\""
        + data.length
        + "\",\"updated\":\""
        + updated.getOrDefault(name, UPDATED)
        + "\"}";
  }

  private static String error(int code, String message) {
    return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\"}}";
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new TreeMap<>();
    if (raw == null) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
