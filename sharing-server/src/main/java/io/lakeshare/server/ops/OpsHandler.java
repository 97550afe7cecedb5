package io.lakeshare.server.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeshare.server.http.RequestBodies;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Metrics and health: {@code GET <metricsPath>} (the Prometheus text exposition), {@code GET
 * /health/live} (200 while the server runs) and {@code GET /health/ready} (200 when the
 * configuration is loaded, the start-up warm-up has ended and every table's log can be read, else
 * 503). Failing tables are checked at most every {@link #READY_CACHE_NANOS} so that probes cost
 * nothing. On the server's own port the readiness answer only counts the failing tables (a table's
 * name is for its recipients); on the separate metrics port it names them with the reason.
 */
public final class OpsHandler extends Handler.Abstract {
  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";
  private static final long READY_CACHE_NANOS = 10_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerMetrics metrics;
  private final String metricsPath;
  private final Supplier<Map<String, String>> failingTables;
  private final BooleanSupplier warming;
  private final boolean detailed;
  private volatile Map<String, String> lastFailures;
  private volatile long checkedAt;

  /**
   * @param metrics the metrics, or null when they are off
   * @param failingTables each table whose log cannot be read now, with the reason
   * @param warming whether the start-up warm-up still holds readiness back
   * @param detailed whether readiness names the failing tables
   */
  public OpsHandler(
      ServerMetrics metrics,
      String metricsPath,
      Supplier<Map<String, String>> failingTables,
      BooleanSupplier warming,
      boolean detailed) {
    this.metrics = metrics;
    this.metricsPath = metricsPath;
    this.failingTables = failingTables;
    this.warming = warming;
    this.detailed = detailed;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    boolean isMetrics = metrics != null && path != null && path.equals(metricsPath);
    if (!isMetrics && !LIVE.equals(path) && !READY.equals(path)) {
      return false;
    }
    RequestBodies.drain(request, response);
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      send(response, callback, 405, "application/json", "{\"status\":\"METHOD_NOT_ALLOWED\"}");
      return true;
    }
    if (isMetrics) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
      metrics.scrape(out);
      send(response, callback, 200, metrics.contentType(), out.toByteArray());
      return true;
    }
    if (LIVE.equals(path)) {
      send(response, callback, 200, "application/json", "{\"status\":\"UP\"}");
      return true;
    }
    if (warming.getAsBoolean()) {
      send(response, callback, 503, "application/json", "{\"status\":\"WARMING\"}");
      return true;
    }
    Map<String, String> failures = failures();
    ObjectNode body = JSON.createObjectNode();
    body.put("status", failures.isEmpty() ? "UP" : "DOWN");
    if (!failures.isEmpty()) {
      body.put("failingTables", failures.size());
      if (detailed) {
        ArrayNode list = body.putArray("failures");
        failures.forEach((t, why) -> list.addObject().put("table", t).put("error", why));
      }
    }
    send(
        response,
        callback,
        failures.isEmpty() ? 200 : 503,
        "application/json",
        JSON.writeValueAsBytes(body));
    return true;
  }

  private synchronized Map<String, String> failures() {
    long now = System.nanoTime();
    if (lastFailures == null || now - checkedAt > READY_CACHE_NANOS) {
      lastFailures = Map.copyOf(failingTables.get());
      checkedAt = System.nanoTime();
    }
    return lastFailures;
  }

  private static void send(
      Response response, Callback callback, int status, String type, String body) {
    send(response, callback, status, type, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void send(
      Response response, Callback callback, int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
