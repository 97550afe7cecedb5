package io.lakeshare.server;

import io.lakeshare.server.auth.Authenticator;
import io.lakeshare.server.catalog.SharedCatalog;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.config.RecipientConfig;
import io.lakeshare.server.config.ServerConfig;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.http.JsonErrorHandler;
import io.lakeshare.server.http.OpenApiHandler;
import io.lakeshare.server.http.RequestCounter;
import io.lakeshare.server.http.RequestStats;
import io.lakeshare.server.http.SharingHandler;
import io.lakeshare.server.service.ServerErrors;
import io.lakeshare.server.service.SharingServices;
import io.lakeshare.server.service.SignerProvider;
import io.lakeshare.server.storage.CloudStorage;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.LocalFileHandler;
import io.lakeshare.server.storage.LocalFileSigner;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Delta Sharing server: Jetty, the protocol services and the local file endpoint. */
public final class SharingServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharingServer.class);

  // Slow-client protection; README "Slow clients" explains the levers.
  /**
   * Request threads. A streamed answer holds one while it writes (the protocol handler writes with
   * blocking I/O), so there must be room for many answers plus the cheap requests beside them.
   */
  private static final int MAX_THREADS = 200;

  /** Open connections; beyond it Jetty stops accepting until one closes. */
  private static final int MAX_CONNECTIONS = 2048;

  /**
   * Answers streamed at once (query, changes, metadata): half the threads, so that slow readers of
   * answers can never take the threads that listings, versions and file downloads need. Further
   * answer requests wait without a thread, for at most {@link #MAX_ANSWER_WAIT}, then get a 503.
   */
  private static final int MAX_CONCURRENT_ANSWERS = MAX_THREADS / 2;

  private static final Duration MAX_ANSWER_WAIT = Duration.ofSeconds(30);

  /**
   * Bodies must arrive within 30 s; 4 MiB is the protocol handler's own body limit; at most 256 MiB
   * of bodies held at once; a response write may take 10 s, or longer for a write so large that it
   * needs more at 32 KiB/s.
   */
  static final SlowClientGuard.Limits SLOW_CLIENT_LIMITS =
      new SlowClientGuard.Limits(
          Duration.ofSeconds(30), 4 * 1024 * 1024, 256L << 20, Duration.ofSeconds(10), 32 * 1024);

  private final Server jetty;
  private final ServerConnector connector;
  private final String scheme;
  private final String host;
  private final String endpoint;
  private final TableStorages storages;
  private final RequestCounter requests;
  private final SharingHandler sharing;

  private SharingServer(
      Server jetty,
      ServerConnector connector,
      String scheme,
      String host,
      String endpoint,
      TableStorages storages,
      RequestCounter requests,
      SharingHandler sharing) {
    this.sharing = sharing;
    this.storages = storages;
    this.requests = requests;
    this.jetty = jetty;
    this.connector = connector;
    this.scheme = scheme;
    this.host = host;
    this.endpoint = endpoint;
  }

  /** Starts a server; {@code port: 0} binds any free port, see {@link #port()}. */
  public static SharingServer start(ServerConfig config) throws Exception {
    return start(config, new Configuration(), Clock.systemUTC());
  }

  public static SharingServer start(ServerConfig config, Configuration hadoopConf, Clock clock)
      throws Exception {
    if (config.open()) {
      LOG.warn(
          "No 'authorization' in the configuration: every request is accepted unauthenticated");
    }
    byte[] key =
        config.fileSigningKey() != null
            ? Base64.getDecoder().decode(config.fileSigningKey())
            : randomKey();
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
    threads.setName("lakeshare");
    Server jetty = new Server(threads);
    ServerConnector connector = Tls.connector(jetty, config);
    String bindHost = config.host();
    connector.setHost(bindHost);
    connector.setPort(config.port());
    if (config.requestTimeoutSeconds() > 0) {
      connector.setIdleTimeout(
          Duration.ofSeconds(Math.max(30, config.requestTimeoutSeconds())).toMillis());
    }
    jetty.addConnector(connector);
    jetty.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));

    SharedCatalog catalog = new SharedCatalog(config);
    Duration refresh = config.stalenessAcceptable() ? Duration.ofSeconds(30) : Duration.ZERO;
    TableStorages storages = new TableStorages(catalog.allTables(), config.storage(), hadoopConf);
    DeltaTables deltaTables = new DeltaTables(hadoopConf, refresh, storages::storeFor);
    String scheme = config.ssl() != null ? "https" : "http";
    String urlHost = urlHost(bindHost);
    UrlBase urlBase = new UrlBase(config.publicBaseUrl(), scheme, urlHost, config.endpoint());
    Signers signers =
        new Signers(
            key, urlBase, Duration.ofSeconds(config.preSignedUrlTimeoutSeconds()), clock, storages);
    List<Path> localRoots = new ArrayList<>();
    for (SharedTable t : catalog.allTables()) {
      String loc = DeltaTables.normalizeLocation(t.config().location());
      if (loc.startsWith("file:")) {
        localRoots.add(Path.of(URI.create(loc)));
      }
    }
    Recipients recipients = new Recipients(config, catalog, deltaTables, signers, key, clock);
    Map<String, SharingServices> services = recipients.services(config);
    LocalFileHandler files =
        new LocalFileHandler(key, config.endpoint() + "/files/", () -> localRoots, clock);
    jetty.setErrorHandler(new JsonErrorHandler());
    SharingHandler sharing =
        new SharingHandler(config.endpoint(), Authenticator.of(config, clock), services);
    RequestCounter requests =
        new RequestCounter(
            config.endpoint(),
            new Handler.Sequence(
                files,
                new OpenApiHandler(config.endpoint()),
                new SlowClientGuard(
                    new AnswerLimit(sharing, config.endpoint()), SLOW_CLIENT_LIMITS)));
    jetty.setHandler(requests);
    try {
      jetty.start();
    } catch (Exception e) {
      storages.close();
      throw e;
    }
    urlBase.port = connector.getLocalPort();
    warmUp(catalog, deltaTables);
    SharingServer server =
        new SharingServer(
            jetty, connector, scheme, urlHost, config.endpoint(), storages, requests, sharing);
    server.recipients = recipients;
    if (config.recipientsFile() != null) {
      server.watchRecipientsFile(Path.of(config.recipientsFile()));
    }
    LOG.info("Lakeshare serving {} tables at {}", catalog.allTables().size(), server.endpointUrl());
    return server;
  }

  /**
   * Loads every table's latest snapshot in the background, so that the first recipient request does
   * not pay for class loading, JIT and the first log replay (tens of seconds on a cold JVM with a
   * large log). Failures are only logged: the request that needs the table reports them.
   */
  private static void warmUp(SharedCatalog catalog, DeltaTables deltaTables) {
    Thread t =
        new Thread(
            () -> {
              for (SharedTable table : catalog.allTables()) {
                try {
                  deltaTables.forLocation(table.config().location()).latest();
                } catch (RuntimeException e) {
                  LOG.warn("Table {} cannot be read yet: {}", table.fullName(), e.getMessage());
                }
              }
            },
            "lakeshare-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** The bound port (the real one when the configuration asked for port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /**
   * Requests answered since the server started, by {@code "<METHOD> <endpoint>"} (e.g. {@code "POST
   * query"}, {@code "GET files"}), with their handling time; a snapshot, safe to call any time.
   */
  public Map<String, RequestStats> requestCounts() {
    return requests.snapshot();
  }

  /**
   * Protocol answers not delivered because the client went away (closed or reset the connection, or
   * stopped reading); logged at DEBUG, not as errors.
   */
  public long clientDisconnects() {
    return sharing.clientDisconnects();
  }

  /** The URL recipients put in their profile's {@code endpoint}. */
  public String endpointUrl() {
    return scheme + "://" + host + ":" + port() + endpoint;
  }

  /** What rebuilding each recipient's view needs; the current config is replaced on reload. */
  private static final class Recipients {
    private volatile ServerConfig config;
    private final SharedCatalog catalog;
    private final DeltaTables deltaTables;
    private final Signers signers;
    private final byte[] key;
    private final Clock clock;

    Recipients(
        ServerConfig config,
        SharedCatalog catalog,
        DeltaTables deltaTables,
        Signers signers,
        byte[] key,
        Clock clock) {
      this.config = config;
      this.catalog = catalog;
      this.deltaTables = deltaTables;
      this.signers = signers;
      this.key = key;
      this.clock = clock;
    }

    /**
     * One set of services per recipient over the catalog its grants open, each with its own key for
     * page and refresh tokens, so a token minted for one recipient is refused for another.
     */
    Map<String, SharingServices> services(ServerConfig c) {
      Map<String, SharingServices> services = new HashMap<>();
      if (c.authorization() != null || c.open()) {
        services.put(
            Authenticator.BEARER_TOKEN_RECIPIENT,
            SharingServices.create(c, catalog, deltaTables, signers, derive(key, "tokens"), clock));
      }
      for (RecipientConfig r : c.recipients()) {
        String name = r.name().toLowerCase(Locale.ROOT);
        services.put(
            name,
            SharingServices.create(
                c,
                catalog.forRecipient(r),
                deltaTables,
                signers,
                derive(key, "tokens/recipient/" + name),
                clock));
      }
      return services;
    }
  }

  private volatile Recipients recipients;
  private volatile Thread watcher;

  /**
   * Reads the {@code recipientsFile} again and, when it is valid, switches every later request to
   * it at once (requests in flight finish with what they started with). An invalid file is logged
   * and the recipients in force are kept. Also called on SIGHUP and when the file changes.
   *
   * @return whether the new recipients are in force
   */
  public synchronized boolean reloadRecipients() {
    Recipients r = recipients;
    if (r == null || r.config.recipientsFile() == null) {
      return false;
    }
    ServerConfig next;
    Map<String, SharingServices> services;
    Authenticator authenticator;
    try {
      next = ConfigLoader.reloadRecipients(r.config);
      services = r.services(next);
      authenticator = Authenticator.of(next, r.clock);
    } catch (RuntimeException e) {
      LOG.error(
          "Keeping the recipients in force: the recipients file {} is invalid: {}",
          r.config.recipientsFile(),
          e.getMessage());
      return false;
    }
    sharing.replaceAccess(authenticator, services);
    r.config = next;
    LOG.info("Reloaded {} recipients from {}", next.recipients().size(), next.recipientsFile());
    return true;
  }

  /** Polls the file once a second (editors often replace it by renaming, which a poll sees too). */
  private void watchRecipientsFile(Path file) {
    Thread t =
        new Thread(
            () -> {
              String seen = stamp(file);
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
                String now = stamp(file);
                if (!now.equals(seen)) {
                  seen = now;
                  reloadRecipients();
                }
              }
            },
            "lakeshare-recipients-watch");
    t.setDaemon(true);
    t.start();
    watcher = t;
  }

  private static String stamp(Path file) {
    try {
      java.nio.file.attribute.BasicFileAttributes a =
          java.nio.file.Files.readAttributes(
              file, java.nio.file.attribute.BasicFileAttributes.class);
      return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
    } catch (java.io.IOException e) {
      return "missing";
    }
  }

  @Override
  public void close() throws Exception {
    Thread w = watcher;
    if (w != null) {
      w.interrupt();
    }
    try {
      jetty.stop();
    } finally {
      storages.close();
    }
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  private static String urlHost(String bindHost) {
    if (bindHost == null || bindHost.isEmpty() || bindHost.equals("0.0.0.0")) {
      return "127.0.0.1";
    }
    if (bindHost.equals("::") || bindHost.equals("[::]")) {
      return "[::1]";
    }
    return bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
  }

  private static byte[] randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  private static byte[] derive(byte[] key, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Bounds the streamed answers in progress (Jetty's QoS handler: requests over the bound are
   * suspended without a thread, in arrival order, and refused with a 503 after a while).
   */
  private static final class AnswerLimit extends QoSHandler {
    @SuppressWarnings("unchecked")
    AnswerLimit(Handler next, String endpoint) {
      super(next);
      setMaxRequestCount(MAX_CONCURRENT_ANSWERS);
      setMaxSuspend(MAX_ANSWER_WAIT);
      String shares = endpoint + "/shares/";
      include(
          request -> {
            String path = request.getHttpURI().getPath();
            return path != null
                && path.startsWith(shares)
                && (path.endsWith("/query")
                    || path.endsWith("/changes")
                    || path.endsWith("/metadata"));
          });
    }

    @Override
    protected void reject(Request request, Response response, Callback callback, int status) {
      busy(response, callback);
    }

    @Override
    protected void failSuspended(
        Request request, Response response, Callback callback, int status, Throwable failure) {
      busy(response, callback);
    }

    private static void busy(Response response, Callback callback) {
      SlowClientGuard.sendError(
          response,
          callback,
          HttpStatus.SERVICE_UNAVAILABLE_503,
          "INTERNAL_ERROR",
          "The server is answering as many queries as it can; retry in a few seconds.");
    }
  }

  /** Where signed local-file URLs point; the port is known only once Jetty has bound it. */
  private static final class UrlBase {
    private final String publicBaseUrl;
    private final String scheme;
    private final String host;
    private final String endpoint;
    private volatile int port;

    UrlBase(String publicBaseUrl, String scheme, String host, String endpoint) {
      this.publicBaseUrl = publicBaseUrl;
      this.scheme = scheme;
      this.host = host;
      this.endpoint = endpoint;
    }

    String get() {
      if (publicBaseUrl != null) {
        String b = publicBaseUrl;
        while (b.endsWith("/")) {
          b = b.substring(0, b.length() - 1);
        }
        return b + endpoint;
      }
      return scheme + "://" + host + ":" + port + endpoint;
    }
  }

  /** One URL signer per table, chosen by the storage scheme of its location. */
  private static final class Signers implements SignerProvider {
    private final byte[] key;
    private final UrlBase urlBase;
    private final Duration validity;
    private final Clock clock;
    private final TableStorages storages;
    private final Map<String, FileSigner> byLocation = new ConcurrentHashMap<>();

    Signers(byte[] key, UrlBase urlBase, Duration validity, Clock clock, TableStorages storages) {
      this.key = key;
      this.urlBase = urlBase;
      this.validity = validity;
      this.clock = clock;
      this.storages = storages;
    }

    @Override
    public FileSigner signerFor(SharedTable table, String location) {
      CloudStorage cloud = storages.forLocation(location);
      if (cloud != null) {
        return byLocation.computeIfAbsent(location, loc -> cloud.signer(loc, validity));
      }
      if (!location.startsWith("file:")) {
        String scheme = location.substring(0, Math.max(0, location.indexOf(':')));
        throw ServerErrors.unsupported(
            "Table '"
                + table.fullName()
                + "' is stored on '"
                + scheme.toLowerCase(Locale.ROOT)
                + "' storage, which this server cannot sign URLs for yet.");
      }
      return byLocation.computeIfAbsent(
          location,
          loc ->
              new LocalFileSigner(key, Path.of(URI.create(loc)), urlBase.get(), validity, clock));
    }
  }
}
