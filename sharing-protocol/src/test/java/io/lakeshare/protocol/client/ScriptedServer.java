package io.lakeshare.protocol.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A JDK HttpServer on 127.0.0.1:0 whose answers each test scripts per exact path. */
final class ScriptedServer implements AutoCloseable {
  /** What the server saw. */
  record Seen(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      String body,
      int clientPort) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  interface Handler {
    void handle(HttpExchange ex, int callNumber) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  final List<Seen> seen = new CopyOnWriteArrayList<>();

  ScriptedServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(pool);
    server.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getRawPath();
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          seen.add(
              new Seen(
                  ex.getRequestMethod(),
                  path,
                  ex.getRequestURI().getRawQuery(),
                  Map.copyOf(ex.getRequestHeaders()),
                  body,
                  ex.getRemoteAddress().getPort()));
          int n = counts.merge(path, 1, Integer::sum);
          Handler h = handlers.get(path);
          try {
            if (h == null) {
              json(
                  ex, 404, "{\"errorCode\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"no script\"}");
            } else {
              h.handle(ex, n);
            }
          } catch (IOException e) {
            throw e;
          } catch (Exception e) {
            throw new IOException(e);
          } finally {
            ex.close();
          }
        });
    server.start();
  }

  /** The endpoint to put into a profile. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/delta-sharing";
  }

  void on(String path, Handler h) {
    handlers.put(path, h);
  }

  int calls(String path) {
    return counts.getOrDefault(path, 0);
  }

  static void json(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "application/json; charset=utf-8", body);
  }

  static void send(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      ex.getResponseHeaders().set("Content-Type", contentType);
    }
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
