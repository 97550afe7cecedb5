package io.lakeshare.spark.read;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-process HTTP server for one random file, with Range support and fault knobs. */
final class RangeServer implements AutoCloseable {

  /** What the server saw of one request. */
  record Request(String rawUri, String range, String acceptEncoding, int clientPort) {}

  private record Failure(int status, String body) {}

  /** Thrown inside the handler so that the JDK server drops the connection mid-body. */
  private static final class DropConnection extends RuntimeException {
    DropConnection() {
      super("dropping the connection on purpose", null, false, false);
    }
  }

  static {
    // Without it the JDK server's small writes wait for delayed ACKs (about 40 ms a response).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  final byte[] data;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final Set<String> revokedSignatures = ConcurrentHashMap.newKeySet();
  private final AtomicInteger dropAfter = new AtomicInteger(-1);
  private final AtomicBoolean ignoreRange = new AtomicBoolean();
  private final AtomicBoolean misreportStart = new AtomicBoolean();
  private final AtomicInteger maxRangeLength = new AtomicInteger(Integer.MAX_VALUE);

  RangeServer(int size, long seed) throws IOException {
    data = new byte[size];
    new Random(seed).nextBytes(data);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Base address, e.g. {@code http://127.0.0.1:1234}. */
  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A URL for the file signed with {@code signature}. */
  String url(String signature) {
    return base() + "/bucket/dir%2Fsub/file%20name.parquet?X-Amz-Signature=" + signature;
  }

  /** The next {@code count} requests fail with {@code status} and {@code body}. */
  synchronized void failNext(int count, int status, String body) {
    for (int i = 0; i < count; i++) {
      failures.add(new Failure(status, body));
    }
  }

  /** The next successful response announces its full length but stops after {@code bytes}. */
  void dropNextAfter(int bytes) {
    dropAfter.set(bytes);
  }

  /** Requests signed with {@code signature} get 403 from now on. */
  void revoke(String signature) {
    revokedSignatures.add(signature);
  }

  /** Answer 200 with the whole file regardless of any Range header. */
  void ignoreRange(boolean ignore) {
    ignoreRange.set(ignore);
  }

  /** Content-Range headers claim a start one byte later than the bytes sent. */
  void misreportStart(boolean misreport) {
    misreportStart.set(misreport);
  }

  /** Ranged answers carry at most this many bytes, as some stores cap ranges. */
  void maxRangeLength(int bytes) {
    maxRangeLength.set(bytes);
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  synchronized int requestCount() {
    return requests.size();
  }

  synchronized Request lastRequest() {
    return requests.get(requests.size() - 1);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String rawUri = exchange.getRequestURI().toString();
    String range = exchange.getRequestHeaders().getFirst("Range");
    Failure failure;
    synchronized (this) {
      requests.add(
          new Request(
              rawUri,
              range,
              exchange.getRequestHeaders().getFirst("Accept-Encoding"),
              exchange.getRemoteAddress().getPort()));
      failure = failures.poll();
    }
    boolean dropped = false;
    try {
      String query = exchange.getRequestURI().getRawQuery();
      String signature = query == null ? "" : query.replaceFirst(".*X-Amz-Signature=", "");
      if (failure == null && revokedSignatures.contains(signature)) {
        failure = new Failure(403, "<Error><Code>AccessDenied</Code></Error>");
      }
      if (failure != null) {
        byte[] body = failure.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(failure.status(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      long first = 0;
      long last = data.length - 1;
      int status = 200;
      if (range != null && !ignoreRange.get()) {
        String spec = range.substring("bytes=".length());
        int dash = spec.indexOf('-');
        first = Long.parseLong(spec.substring(0, dash));
        if (dash + 1 < spec.length()) {
          last = Math.min(last, Long.parseLong(spec.substring(dash + 1)));
        }
        last = Math.min(last, first + maxRangeLength.get() - 1);
        status = 206;
        long claimed = misreportStart.get() ? first + 1 : first;
        exchange
            .getResponseHeaders()
            .set("Content-Range", "bytes " + claimed + "-" + last + "/" + data.length);
      }
      int length = (int) (last - first + 1);
      exchange.sendResponseHeaders(status, length);
      OutputStream out = exchange.getResponseBody();
      int drop = dropAfter.getAndSet(-1);
      if (drop >= 0 && drop < length) {
        out.write(data, (int) first, drop);
        out.flush();
        dropped = true;
        // Propagating from the handler makes the JDK server close the socket without a close()
        // that would complain about the missing bytes.
        throw new DropConnection();
      }
      out.write(data, (int) first, length);
    } finally {
      if (!dropped) {
        exchange.close();
      }
    }
  }
}
