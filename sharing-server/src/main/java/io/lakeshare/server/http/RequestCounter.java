package io.lakeshare.server.http;

import io.lakeshare.protocol.model.ProtocolConstants;
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
          ProtocolConstants.PATH_CHANGES);
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST");

  private final String prefix;
  private final Map<String, Counts> counts = new ConcurrentHashMap<>();

  /**
   * @param prefix the endpoint prefix, e.g. {@code /delta-sharing}
   */
  public RequestCounter(String prefix, Handler handler) {
    super(handler);
    this.prefix = prefix;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Counts c =
        counts.computeIfAbsent(
            endpoint(request.getMethod(), request.getHttpURI().getPath()), k -> new Counts());
    long start = System.nanoTime();
    boolean handled = super.handle(request, response, Callback.from(callback, () -> c.add(start)));
    if (!handled) {
      c.add(start);
    }
    return handled;
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
