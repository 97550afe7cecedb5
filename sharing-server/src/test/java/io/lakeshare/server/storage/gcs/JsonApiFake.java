package io.lakeshare.server.storage.gcs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Just enough of the Cloud Storage JSON API (object list with prefix, delimiter and startOffset;
 * object metadata; ranged media downloads) and of the OAuth token endpoint for one bucket, over
 * real HTTP, so the production transport of google-cloud-storage is exercised. Records every
 * request line.
 */
final class JsonApiFake implements AutoCloseable {
  private static final String UPDATED = "2026-01-02T03:04:05.678Z";

  final String bucket;
  final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  JsonApiFake(String bucket) throws IOException {
    this.bucket = bucket;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
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
            "{\"access_token\":\"fake-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
        return;
      }
      String listPath = "/storage/v1/b/" + bucket + "/o";
      if (path.equals(listPath)) {
        list(ex, query);
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

  private void list(HttpExchange ex, Map<String, String> q) throws IOException {
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.get("delimiter");
    String start = q.get("startOffset");
    List<String> items = new ArrayList<>();
    TreeSet<String> prefixes = new TreeSet<>();
    for (Map.Entry<String, byte[]> e : objects.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(prefix) || (start != null && name.compareTo(start) < 0)) {
        continue;
      }
      int cut = delimiter == null ? -1 : name.indexOf(delimiter, prefix.length());
      if (cut >= 0) {
        prefixes.add(name.substring(0, cut + 1));
      } else {
        items.add(resource(name, e.getValue()));
      }
    }
    StringBuilder json = new StringBuilder("{\"kind\":\"storage#objects\",\"items\":[");
    json.append(String.join(",", items)).append("],\"prefixes\":[");
    json.append(String.join(",", prefixes.stream().map(p -> "\"" + p + "\"").toList()));
    send(ex, 200, json.append("]}").toString());
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
        + UPDATED
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
