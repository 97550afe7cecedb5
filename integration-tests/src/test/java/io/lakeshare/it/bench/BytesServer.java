package io.lakeshare.it.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * The floor of a query answer's delivery: an HTTP server on 127.0.0.1 that answers every request
 * with the same bytes from memory (a saved answer of the sharing server), so that the benchmark can
 * put what it costs only to move those bytes through HTTP and the loopback socket next to what the
 * sharing server spends. Prints {@code port=<port>} and serves until killed.
 *
 * <p>Usage: {@code BytesServer <answer file>}.
 */
public final class BytesServer {
  private BytesServer() {}

  public static void main(String[] args) throws IOException {
    byte[] body = Files.readAllBytes(Path.of(args[0]));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
          // chunked, like the sharing server's streamed answers
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int off = 0; off < body.length; off += 64 * 1024) {
              out.write(body, off, Math.min(64 * 1024, body.length - off));
            }
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    System.out.println("port=" + server.getAddress().getPort());
    System.out.flush();
  }
}
