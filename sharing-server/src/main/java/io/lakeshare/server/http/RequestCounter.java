package io.lakeshare.server.http;

import io.lakeshare.protocol.model.ProtocolConstants;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts the requests reaching the handlers it wraps, by method and protocol endpoint (such as
 * {@code POST query} or {@code GET files}), with their handling time. Keys come from a fixed set,
 * so arbitrary paths cannot grow the map.
 */
public final class RequestCounter extends Handler.Wrapper {
  private static final Set<String> TABLE_ACTIONS =
      Set.of(
          ProtocolConstants.PATH_VERSION,
          ProtocolConstants.PATH_METADATA,
          ProtocolConstants.PATH_QUERY,
          ProtocolConstants.PATH_CHANGES,
          ProtocolConstants.PATH_TEMPORARY_CREDENTIALS);
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST");

  /** A completed request, as the audit log and the metrics see it. */
  public record Completed(
      RequestRecord record,
      String method,
      String endpoint,
      int status,
      boolean aborted,
      long durationNanos,
      String peer,
      String forwardedFor,
      String userAgent) {}

  /** Told of every completed request, on the thread that completed it; must not throw. */
  public interface Listener {
    void completed(Completed request);
  }

  private final String prefix;
  private final Map<String, Counts> counts = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final String idPrefix;
  private final java.util.concurrent.atomic.AtomicLong ids =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param prefix the endpoint prefix, e.g. {@code /delta-sharing}
   */
  public RequestCounter(String prefix, Handler handler) {
    super(handler);
    this.prefix = prefix;
    byte[] random = new byte[6];
    new java.security.SecureRandom().nextBytes(random);
    this.idPrefix = java.util.HexFormat.of().formatHex(random) + "-";
  }

  /** Adds a listener told of every request once it completes. */
  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String endpoint = endpoint(request.getMethod(), request.getHttpURI().getPath());
    Counts c = counts.computeIfAbsent(endpoint, k -> new Counts());
    long start = System.nanoTime();
    RequestRecord record =
        new RequestRecord(idPrefix + ids.incrementAndGet(), start, System.currentTimeMillis());
    request.setAttribute(RequestRecord.ATTRIBUTE, record);
    response.getHeaders().put("X-Request-Id", record.id());
    Callback done =
        new Callback() {
          @Override
          public void succeeded() {
            finish(false);
            callback.succeeded();
          }

          @Override
          public void failed(Throwable x) {
            finish(true);
            callback.failed(x);
          }

          @Override
          public InvocationType getInvocationType() {
            return callback.getInvocationType();
          }

          private void finish(boolean aborted) {
            c.add(start);
            report(request, response, endpoint, record, aborted);
          }
        };
    boolean handled = super.handle(request, response, done);
    if (!handled) {
      c.add(start);
      report(request, response, endpoint, record, false);
    }
    return handled;
  }

  private void report(
      Request request, Response response, String endpoint, RequestRecord record, boolean aborted) {
    if (listeners.isEmpty()) {
      return;
    }
    int status = response.getStatus() == 0 ? 404 : response.getStatus();
    Completed done =
        new Completed(
            record,
            request.getMethod(),
            endpoint,
            status,
            aborted,
            System.nanoTime() - record.startNanos,
            Request.getRemoteAddr(request),
            request.getHeaders().get(org.eclipse.jetty.http.HttpHeader.X_FORWARDED_FOR),
            request.getHeaders().get(org.eclipse.jetty.http.HttpHeader.USER_AGENT));
    for (Listener l : listeners) {
      try {
        l.completed(done);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(RequestCounter.class)
            .warn("A request listener failed: {}", e.toString());
      }
    }
  }

  /** The counts so far, by endpoint key in alphabetical order. */
  public Map<String, RequestStats> snapshot() {
    Map<String, RequestStats> out = new TreeMap<>();
    counts.forEach((k, c) -> out.put(k, new RequestStats(c.count.sum(), c.nanos.sum())));
    return out;
  }

  /** {@code "<METHOD> <endpoint>"}, e.g. {@code "POST query"}; unknown paths are "other". */
  String endpoint(String method, String rawPath) {
    String m = METHODS.contains(method) ? method : "OTHER";
    return m + " " + route(rawPath);
  }

  private String route(String rawPath) {
    if (rawPath != null && rawPath.startsWith(prefix + "/files/")) {
      return "files";
    }
    Route r;
    try {
      r = Route.parse(rawPath, prefix);
    } catch (IllegalArgumentException e) {
      return "other"; // a malformed escape; the handler answers it
    }
    if (r == null || !r.is(0, ProtocolConstants.PATH_SHARES)) {
      return "other";
    }
    boolean tablePath =
        r.is(2, ProtocolConstants.PATH_SCHEMAS) && r.is(4, ProtocolConstants.PATH_TABLES);
    return switch (r.size()) {
      case 1 -> "shares";
      case 2 -> "share";
      case 3 ->
          r.is(2, ProtocolConstants.PATH_SCHEMAS) || r.is(2, ProtocolConstants.PATH_ALL_TABLES)
              ? r.get(2)
              : "other";
      case 5 -> tablePath ? "tables" : "other";
      case 6 -> tablePath ? "version" : "other";
      case 7 -> tablePath && TABLE_ACTIONS.contains(r.get(6)) ? r.get(6) : "other";
      default -> "other";
    };
  }

  private static final class Counts {
    final LongAdder count = new LongAdder();
    final LongAdder nanos = new LongAdder();

    void add(long startNanos) {
      nanos.add(System.nanoTime() - startNanos);
      count.increment();
    }
  }
}
