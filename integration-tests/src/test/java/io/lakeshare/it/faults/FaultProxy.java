package io.lakeshare.it.faults;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 (port 0) in front of one upstream port, which injects {@link
 * Fault}s into chosen exchanges. One exchange per client connection: every answer says {@code
 * Connection: close}. Answers are buffered whole from the upstream and then re-framed with a
 * Content-Length (or cut, reset or stalled), which is fine for test tables.
 */
final class FaultProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);

  /** The longest a stall holds a connection when nobody releases it. */
  private static final long MAX_STALL_MS = 90_000;

  /** One request as the proxy saw it. */
  record Request(String method, String path) {
    boolean isQuery() {
      return method.equals("POST") && path.endsWith("/query");
    }

    boolean isFile() {
      return method.equals("GET") && path.contains("/files/");
    }

    boolean isChanges() {
      return method.equals("GET") && path.endsWith("/changes");
    }

    boolean isMetadata() {
      return method.equals("GET") && path.endsWith("/metadata");
    }

    boolean isVersion() {
      return path.endsWith("/version");
    }
  }

  /** A fault for the next {@code times} requests that {@code match}. */
  static final class Rule {
    private final String name;
    private final Predicate<Request> match;
    private final Fault fault;
    private final AtomicInteger left;
    private final AtomicInteger fired = new AtomicInteger();

    Rule(String name, Predicate<Request> match, Fault fault, int times) {
      this.name = name;
      this.match = match;
      this.fault = fault;
      this.left = new AtomicInteger(times);
    }

    private boolean take(Request r) {
      if (!match.test(r)) {
        return false;
      }
      while (true) {
        int n = left.get();
        if (n <= 0) {
          return false;
        }
        if (left.compareAndSet(n, n - 1)) {
          fired.incrementAndGet();
          return true;
        }
      }
    }

    /** How many requests this rule has hit. */
    int fired() {
      return fired.get();
    }

    @Override
    public String toString() {
      return name + " " + fault;
    }
  }

  private final ServerSocket listener;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger stalled = new AtomicInteger();
  private volatile int upstreamPort = -1;
  private volatile long releaseGeneration;
  private volatile boolean closed;

  private FaultProxy(ServerSocket listener) {
    this.listener = listener;
  }

  /** Starts a proxy on a free loopback port; set the upstream before the first request. */
  static FaultProxy start() throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    FaultProxy p = new FaultProxy(s);
    Thread t = new Thread(p::acceptLoop, "fault-proxy-accept-" + s.getLocalPort());
    t.setDaemon(true);
    t.start();
    return p;
  }

  int port() {
    return listener.getLocalPort();
  }

  void upstream(int port) {
    upstreamPort = port;
  }

  /** Adds a rule behind the existing ones; the first rule that takes a request applies. */
  Rule rule(String name, Predicate<Request> match, Fault fault, int times) {
    Rule r = new Rule(name, match, fault, times);
    rules.add(r);
    return r;
  }

  /** Adds a rule in front of the existing ones. */
  Rule ruleFirst(String name, Predicate<Request> match, Fault fault, int times) {
    Rule r = new Rule(name, match, fault, times);
    rules.add(0, r);
    return r;
  }

  /** Drops every rule and the log and ends every stall; later requests pass untouched. */
  void reset() {
    rules.clear();
    release();
    log.clear();
  }

  /** Ends the stalls in progress (their connections are reset). */
  void release() {
    releaseGeneration++;
  }

  /** Exchanges currently held by a stall. */
  int stalledNow() {
    return stalled.get();
  }

  /** One line per exchange, in the order they ended: {@code METHOD path -> outcome}. */
  List<String> log() {
    return new ArrayList<>(log);
  }

  /** The last {@code n} lines of the log, one per line, for assertion messages. */
  String tail(int n) {
    List<String> all = log();
    return "\n  " + String.join("\n  ", all.subList(Math.max(0, all.size() - n), all.size()));
  }

  /** Requests seen so far that {@code match}. */
  long count(Predicate<String> match) {
    return log.stream().filter(match).count();
  }

  @Override
  public void close() {
    closed = true;
    release();
    try {
      listener.close();
    } catch (IOException e) {
      LOG.debug("closing the listener", e);
    }
    for (Socket s : open) {
      resetQuietly(s);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("fault proxy accept failed", e);
        }
        return;
      }
      open.add(client);
      Thread t = new Thread(() -> serve(client), "fault-proxy-" + client.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket client) {
    String outcome = "?";
    Request req = null;
    try {
      client.setSoTimeout(60_000);
      InputStream in = new BufferedInputStream(client.getInputStream());
      HttpWire.Head head = HttpWire.readHead(in);
      if (head == null) {
        outcome = "empty connection";
        return;
      }
      byte[] body = HttpWire.readRequestBody(in, head);
      String target = head.target();
      int q = target.indexOf('?');
      req = new Request(head.method(), q < 0 ? target : target.substring(0, q));
      Fault fault = null;
      for (Rule r : rules) {
        if (r.take(req)) {
          fault = r.fault;
          outcome = r.name;
          break;
        }
      }
      outcome = exchange(client, in, head, body, fault, outcome);
    } catch (IOException | RuntimeException e) {
      outcome = outcome + " (" + e + ")";
      resetQuietly(client);
    } finally {
      if (req != null) {
        log.add(req.method() + " " + req.path() + " -> " + outcome);
      }
      open.remove(client);
      closeQuietly(client);
    }
  }

  private String exchange(
      Socket client, InputStream in, HttpWire.Head head, byte[] body, Fault fault, String name)
      throws IOException {
    OutputStream out = client.getOutputStream();
    if (fault instanceof Fault.Status s) {
      byte[] err =
          ("{\"errorCode\":\"INTERNAL_ERROR\",\"message\":\"injected HTTP " + s.status() + "\"}")
              .getBytes(StandardCharsets.UTF_8);
      List<String> extra = new ArrayList<>(List.of("Content-Type", "application/json"));
      if (s.retryAfter() != null) {
        extra.addAll(List.of("Retry-After", s.retryAfter()));
      }
      extra.addAll(List.of("Content-Length", Integer.toString(err.length), "Connection", "close"));
      HttpWire.writeHead(
          out,
          new HttpWire.Head("HTTP/1.1 " + s.status() + " Injected", List.of()),
          extra.toArray(new String[0]));
      out.write(err);
      out.flush();
      client.shutdownOutput();
      return name;
    }
    if (fault instanceof Fault.Hook h) {
      h.before().run();
    }
    if (fault instanceof Fault.Delay d) {
      sleep(d.millis());
    }
    if (fault instanceof Fault.StallAfter s && s.bodyBytes() < 0) {
      stall(client, in);
      resetQuietly(client);
      return name;
    }
    Upstream up;
    try {
      up = forward(head, body);
    } catch (IOException e) {
      // the server is down: the client sees a dead connection, as it would without a proxy
      resetQuietly(client);
      return (name.equals("?") ? "pass" : name) + " (upstream down: " + e.getMessage() + ")";
    }
    boolean headRequest = head.method().equals("HEAD");
    String length =
        headRequest
            ? String.valueOf(up.head.header("Content-Length"))
            : Integer.toString(up.body.length);
    if (fault instanceof Fault.Truncate t) {
      int cut = Math.min(up.body.length, t.cut().at().applyAsInt(up.body));
      if (t.fullLength()) {
        HttpWire.writeHead(out, up.head, "Content-Length", length, "Connection", "close");
      } else {
        HttpWire.writeHead(out, up.head, "Connection", "close");
      }
      out.write(up.body, 0, cut);
      out.flush();
      client.shutdownOutput();
      return name + " (" + cut + " of " + up.body.length + " bytes, status " + up.status() + ")";
    }
    HttpWire.writeHead(out, up.head, "Content-Length", length, "Connection", "close");
    if (fault instanceof Fault.ResetAfter r) {
      out.write(up.body, 0, Math.min(r.bodyBytes(), up.body.length));
      out.flush();
      resetQuietly(client);
      return name + " (status " + up.status() + ", " + up.body.length + " bytes)";
    }
    if (fault instanceof Fault.StallAfter s) {
      out.write(up.body, 0, Math.min(s.bodyBytes(), up.body.length));
      out.flush();
      stall(client, in);
      resetQuietly(client);
      return name + " (status " + up.status() + ")";
    }
    out.write(up.body);
    out.flush();
    client.shutdownOutput();
    return (name.equals("?") ? "pass" : name) + " " + up.status();
  }

  private record Upstream(HttpWire.Head head, byte[] body) {
    int status() {
      return head.status();
    }
  }

  private Upstream forward(HttpWire.Head head, byte[] body) throws IOException {
    int port = upstreamPort;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      boolean hasBody = body.length > 0 || !head.method().equals("GET");
      if (hasBody && !head.method().equals("HEAD")) {
        HttpWire.writeHead(
            out, head, "Content-Length", Integer.toString(body.length), "Connection", "close");
      } else {
        HttpWire.writeHead(out, head, "Connection", "close");
      }
      out.write(body);
      out.flush();
      InputStream in = new BufferedInputStream(s.getInputStream());
      HttpWire.Head resp = HttpWire.readHead(in);
      if (resp == null) {
        throw new IOException("the server closed without answering");
      }
      return new Upstream(resp, HttpWire.readResponseBody(in, resp, head.method().equals("HEAD")));
    }
  }

  /** Holds the connection until the client leaves, the proxy releases it, or a long bound. */
  private void stall(Socket client, InputStream in) {
    long generation = releaseGeneration;
    long deadline = System.currentTimeMillis() + MAX_STALL_MS;
    stalled.incrementAndGet();
    try {
      client.setSoTimeout(100);
      while (!closed && generation == releaseGeneration && System.currentTimeMillis() < deadline) {
        try {
          if (in.read() < 0) {
            return; // the client closed its side: it gave up
          }
        } catch (SocketTimeoutException e) {
          // still there, still waiting
        }
      }
    } catch (IOException e) {
      // the client reset the connection
    } finally {
      stalled.decrementAndGet();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void resetQuietly(Socket s) {
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
