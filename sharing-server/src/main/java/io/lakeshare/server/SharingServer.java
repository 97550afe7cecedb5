package io.lakeshare.server;

import io.lakeshare.server.auth.Authenticator;
import io.lakeshare.server.auth.LastUse;
import io.lakeshare.server.catalog.SharedCatalog;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.config.OpsConfig;
import io.lakeshare.server.config.RecipientConfig;
import io.lakeshare.server.config.ServerConfig;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.http.JsonErrorHandler;
import io.lakeshare.server.http.OpenApiHandler;
import io.lakeshare.server.http.RequestCounter;
import io.lakeshare.server.http.RequestStats;
import io.lakeshare.server.http.SharingHandler;
import io.lakeshare.server.ops.AuditLog;
import io.lakeshare.server.ops.OpsHandler;
import io.lakeshare.server.ops.RateLimiter;
import io.lakeshare.server.ops.ServerMetrics;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
import org.eclipse.jetty.server.handler.GracefulHandler;
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

  /** How long a storage client replaced by a reload stays open for requests still using it. */
  private static final Duration RETIRED_CLIENT_GRACE = Duration.ofMinutes(2);

  private final Server jetty;
  private final ServerConnector connector;
  private final String scheme;
  private final String host;
  private final String endpoint;
  private final Live live;
  private final RequestCounter requests;
  private final SharingHandler sharing;
  private volatile Path configFile;
  private volatile Thread watcher;
  private AuditLog audit;
  private ServerConnector adminConnector;
  private WarmUp warmUp;

  /**
   * Waits up to {@code timeout} for the start-up warm-up (see {@code warmUp} in the configuration)
   * to end.
   *
   * @return whether it ended
   */
  public boolean awaitWarmUp(long timeout, java.util.concurrent.TimeUnit unit)
      throws InterruptedException {
    return warmUp.await(timeout, unit);
  }

  /**
   * The port of the separate metrics and health listener ({@code metrics.port}), or -1 when there
   * is none.
   */
  public int metricsPort() {
    return adminConnector == null ? -1 : adminConnector.getLocalPort();
  }

  /** Each shared table whose latest snapshot cannot be read now, with the reason. */
  private static Map<String, String> failingTables(Served served) {
    Map<String, String> failing = new java.util.TreeMap<>();
    for (SharedTable t : served.catalog.allTables()) {
      try {
        served.deltaTables.forTable(t.config()).latest();
      } catch (RuntimeException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        failing.put(t.fullName(), why.length() > 300 ? why.substring(0, 300) : why);
      }
    }
    return failing;
  }

  /**
   * The first handler of every request: on the metrics port only metrics and health; on the
   * server's port health (and metrics when they have no port of their own), then the protocol.
   */
  private static final class Front extends Handler.Wrapper {
    private final OpsHandler mainOps;
    private final ServerConnector admin;
    private final OpsHandler adminOps;

    Front(RequestCounter requests, OpsHandler mainOps, ServerConnector admin, OpsHandler adminOps) {
      super(requests);
      this.mainOps = mainOps;
      this.admin = admin;
      this.adminOps = adminOps;
      addBean(mainOps);
      addBean(adminOps);
    }

    @Override
    public void setServer(Server server) {
      super.setServer(server);
      mainOps.setServer(server);
      adminOps.setServer(server);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (admin != null && request.getConnectionMetaData().getConnector() == admin) {
        if (!adminOps.handle(request, response, callback)) {
          Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        }
        return true;
      }
      if (mainOps.handle(request, response, callback)) {
        return true;
      }
      return super.handle(request, response, callback);
    }
  }

  private SharingServer(
      Server jetty,
      ServerConnector connector,
      String scheme,
      String host,
      String endpoint,
      Live live,
      RequestCounter requests,
      SharingHandler sharing) {
    this.sharing = sharing;
    this.live = live;
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

    String scheme = config.ssl() != null ? "https" : "http";
    String urlHost = urlHost(bindHost);
    UrlBase urlBase = new UrlBase(config.publicBaseUrl(), scheme, urlHost, config.endpoint());
    Live live = new Live(key, urlBase, hadoopConf, clock);
    Served served = live.build(config, null);
    live.served = served;
    live.stores.set(served.storages);
    LocalFileHandler files =
        new LocalFileHandler(
            key, config.endpoint() + "/files/", () -> live.served.localRoots, clock);
    jetty.setErrorHandler(new JsonErrorHandler());
    SharingHandler sharing =
        new SharingHandler(config.endpoint(), Authenticator.of(config, clock), served.services);
    RequestCounter requests =
        new RequestCounter(
            config.endpoint(),
            new Handler.Sequence(
                files,
                new OpenApiHandler(config.endpoint()),
                new SlowClientGuard(
                    new AnswerLimit(sharing, config.endpoint()), SLOW_CLIENT_LIMITS)));
    OpsConfig ops = config.ops();
    ServerMetrics metrics =
        ops.metricsPath() == null
            ? null
            : new ServerMetrics(
                () -> live.served.deltaTables,
                () -> live.served.catalog.allTables().size(),
                () -> new long[] {live.signed.sum(), live.signingNanos.sum()});
    if (metrics != null) {
      requests.addListener(metrics);
    }
    AuditLog audit = null;
    if (ops.auditFile() != null) {
      audit =
          AuditLog.open(Path.of(ops.auditFile()), ops.auditMaxFileSizeMb(), ops.auditMaxFiles());
      requests.addListener(audit);
    }
    if (ops.rateLimitPerSecond() > 0) {
      sharing.rateLimit(
          new RateLimiter(ops.rateLimitPerSecond(), ops.rateLimitBurst()),
          metrics == null ? null : metrics::rateLimited);
    }
    ServerConnector adminConnector = null;
    if (ops.metricsPort() != null) {
      adminConnector = new ServerConnector(jetty, 1, 1);
      adminConnector.setHost(bindHost);
      adminConnector.setPort(ops.metricsPort());
      jetty.addConnector(adminConnector);
    }
    WarmUp warmUp =
        new WarmUp(ops.warmUpFileLists(), ops.warmUpReadyWaitSeconds(), () -> live.closed);
    OpsHandler mainOps =
        new OpsHandler(
            adminConnector == null ? metrics : null,
            ops.metricsPath(),
            () -> failingTables(live.served),
            warmUp::holdsReadiness,
            false);
    OpsHandler adminOps =
        new OpsHandler(
            metrics,
            ops.metricsPath(),
            () -> failingTables(live.served),
            warmUp::holdsReadiness,
            true);
    // stopping: no new connections, requests in flight (streamed answers too) may finish
    jetty.setHandler(new GracefulHandler(new Front(requests, mainOps, adminConnector, adminOps)));
    jetty.setStopTimeout(ops.shutdownGraceSeconds() * 1000L);
    try {
      jetty.start();
    } catch (Exception e) {
      served.storages.close();
      live.retirements.shutdownNow();
      if (audit != null) {
        audit.close();
      }
      throw e;
    }
    urlBase.port = connector.getLocalPort();
    warmUp.start(served.catalog.allTables(), served.deltaTables);
    sharing.recordLastUse(live.lastUse);
    SharingServer server =
        new SharingServer(
            jetty, connector, scheme, urlHost, config.endpoint(), live, requests, sharing);
    server.warmUp = warmUp;
    server.audit = audit;
    server.adminConnector = adminConnector;
    if (config.recipientsFile() != null) {
      server.startWatching();
    }
    LOG.info(
        "Lakeshare serving {} tables at {}",
        served.catalog.allTables().size(),
        server.endpointUrl());
    return server;
  }

  /** How many tables the configuration in force shares. */
  public int tableCount() {
    return live.served.catalog.allTables().size();
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

  /** What one configuration serves; a reload builds the next one and swaps it in whole. */
  private static final class Served {
    final ServerConfig config;
    final SharedCatalog catalog;
    final TableStorages storages;
    final DeltaTables deltaTables;
    final Duration refresh;
    final List<Path> localRoots;
    final Map<String, SharingServices> services;

    Served(
        ServerConfig config,
        SharedCatalog catalog,
        TableStorages storages,
        DeltaTables deltaTables,
        Duration refresh,
        List<Path> localRoots,
        Map<String, SharingServices> services) {
      this.config = config;
      this.catalog = catalog;
      this.storages = storages;
      this.deltaTables = deltaTables;
      this.refresh = refresh;
      this.localRoots = localRoots;
      this.services = services;
    }

    Set<String> locations() {
      Set<String> l = new HashSet<>();
      for (SharedTable t : catalog.allTables()) {
        l.add(DeltaTables.normalizeLocation(t.config().location()));
      }
      return l;
    }
  }

  /** What outlives a reload: the keys, the URL base, the clock and the configuration in force. */
  private static final class Live {
    private final byte[] key;
    private final UrlBase urlBase;
    private final Configuration hadoopConf;
    private final Clock clock;

    /** The storages that table reads go through; swapped together with {@link #served}. */
    private final AtomicReference<TableStorages> stores = new AtomicReference<>();

    private final ScheduledExecutorService retirements =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lakeshare-retire");
              t.setDaemon(true);
              return t;
            });

    private volatile Served served;

    private final LastUse lastUse;

    /** URLs signed and the time spent signing them, across reloads. */
    private final java.util.concurrent.atomic.LongAdder signed =
        new java.util.concurrent.atomic.LongAdder();

    private final java.util.concurrent.atomic.LongAdder signingNanos =
        new java.util.concurrent.atomic.LongAdder();

    Live(byte[] key, UrlBase urlBase, Configuration hadoopConf, Clock clock) {
      this.key = key;
      this.urlBase = urlBase;
      this.hadoopConf = hadoopConf;
      this.clock = clock;
      this.lastUse = new LastUse(clock);
    }

    /** Writes the recipients' last uses beside the recipients file, if there is one. */
    void flushLastUse() {
      String recipients = served.config.recipientsFile();
      if (recipients == null) {
        return;
      }
      try {
        lastUse.flush(LastUse.fileFor(Path.of(recipients)));
      } catch (java.io.IOException | RuntimeException e) {
        LOG.warn("Cannot write the recipients' last use beside {}: {}", recipients, e.toString());
      }
    }

    /**
     * Builds what {@code c} serves. A reload ({@code previous} not null) keeps the storage clients
     * whose entry did not change and, while the snapshot refresh interval is the same, the table
     * handles with their cached snapshots.
     */
    Served build(ServerConfig c, Served previous) {
      SharedCatalog catalog = new SharedCatalog(c);
      TableStorages storages =
          new TableStorages(
              catalog.allTables(),
              c.storage(),
              hadoopConf,
              previous == null ? null : previous.storages);
      try {
        Duration refresh = c.stalenessAcceptable() ? Duration.ofSeconds(30) : Duration.ZERO;
        DeltaTables deltaTables =
            previous != null && previous.refresh.equals(refresh)
                ? previous.deltaTables
                : new DeltaTables(hadoopConf, refresh, loc -> stores.get().storeFor(loc));
        Signers signers =
            new Signers(
                key,
                urlBase,
                Duration.ofSeconds(c.preSignedUrlTimeoutSeconds()),
                clock,
                storages,
                signed,
                signingNanos);
        List<Path> localRoots = new ArrayList<>();
        for (SharedTable t : catalog.allTables()) {
          String loc = DeltaTables.normalizeLocation(t.config().location());
          if (loc.startsWith("file:")) {
            localRoots.add(Path.of(URI.create(loc)));
          }
        }
        Map<String, SharingServices> services = services(c, catalog, deltaTables, signers);
        return new Served(
            c, catalog, storages, deltaTables, refresh, List.copyOf(localRoots), services);
      } catch (RuntimeException e) {
        storages.closeCreated();
        throw e;
      }
    }

    /**
     * One set of services per recipient over the catalog its grants open, each with its own key for
     * page and refresh tokens, so a token minted for one recipient is refused for another.
     */
    private Map<String, SharingServices> services(
        ServerConfig c, SharedCatalog catalog, DeltaTables deltaTables, Signers signers) {
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

    /** Closes the clients a reload replaced, once requests that started before it are done. */
    void retire(List<CloudStorage> replaced, DeltaTables deltaTables) {
      if (replaced.isEmpty()) {
        return;
      }
      Runnable close =
          () -> {
            deltaTables.forgetStores(replaced.stream().map(CloudStorage::store).toList());
            TableStorages.closeAll(replaced);
          };
      try {
        retirements.schedule(close, RETIRED_CLIENT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        close.run();
      }
    }

    /** Set when the server stops; warm-ups end at the next table. */
    volatile boolean closed;

    void close() {
      closed = true;
      flushLastUse();
      for (Runnable pending : retirements.shutdownNow()) {
        pending.run();
      }
      served.storages.close();
    }
  }

  /**
   * Makes the server follow its configuration file: when the file (or the recipients file it names)
   * changes, or on {@link #reload()}, the whole configuration is read again and applied without a
   * restart. Settings of the listener itself ({@code host}, {@code port}, {@code endpoint}, {@code
   * ssl}, {@code fileSigningKey}, {@code publicBaseUrl}, {@code requestTimeoutSeconds}) keep their
   * running values, with a warning, until a restart.
   */
  public void followConfigFile(Path file) {
    configFile = file.toAbsolutePath().normalize();
    startWatching();
  }

  /** Kept for callers of the recipients-only reload; same as {@link #reload()}. */
  public boolean reloadRecipients() {
    return reload();
  }

  /**
   * Reads the configuration again (the config file this server follows, or else only its {@code
   * recipientsFile}) and, when it is valid, switches every later request to it at once: requests in
   * flight finish with what they started with. Tables added or removed, grants, tokens and limits
   * apply; a removed table's cached snapshot is dropped and its local files are no longer served,
   * even to URLs signed before. An invalid file is logged and the configuration in force kept. Also
   * called on SIGHUP and when a followed file changes.
   *
   * @return whether the new configuration is in force
   */
  public synchronized boolean reload() {
    Served current = live.served;
    Path file = configFile;
    String source;
    ServerConfig next;
    Served built;
    Authenticator authenticator;
    try {
      if (file != null) {
        source = file.toString();
        next = keepListener(ConfigLoader.load(file), current.config);
      } else if (current.config.recipientsFile() != null) {
        source = current.config.recipientsFile();
        next = ConfigLoader.reloadRecipients(current.config);
      } else {
        return false;
      }
      // the authenticator first: it holds no resources, so a failure leaves nothing to close
      authenticator = Authenticator.of(next, live.clock);
      built = live.build(next, current);
    } catch (RuntimeException e) {
      LOG.error(
          "Keeping the configuration in force: {} is invalid: {}",
          file != null ? file : current.config.recipientsFile(),
          e.getMessage());
      return false;
    }
    live.stores.set(built.storages);
    sharing.replaceAccess(authenticator, built.services);
    live.served = built;
    if (built.deltaTables == current.deltaTables) {
      Set<String> shared = built.locations();
      built.deltaTables.evict(
          loc ->
              !shared.contains(loc)
                  || current.storages.storeFor(loc) != built.storages.storeFor(loc));
      built.deltaTables.retainParquet(
          built.catalog.allTables().stream().map(SharedTable::config).toList());
    }
    live.retire(current.storages.notUsedBy(built.storages), current.deltaTables);
    if (file != null) {
      Set<String> before = current.locations();
      new WarmUp(current.config.ops().warmUpFileLists(), 0, () -> live.closed)
          .start(
              built.catalog.allTables().stream()
                  .filter(
                      t -> !before.contains(DeltaTables.normalizeLocation(t.config().location())))
                  .toList(),
              built.deltaTables);
    }
    LOG.info(
        "Reloaded {}: {} tables, {} recipients",
        source,
        built.catalog.allTables().size(),
        next.recipients().size());
    return true;
  }

  /** {@code next} with the running listener settings, which only a restart can change. */
  private static ServerConfig keepListener(ServerConfig next, ServerConfig running) {
    List<String> changed = new ArrayList<>();
    if (!next.host().equals(running.host())) {
      changed.add("host");
    }
    if (next.port() != running.port()) {
      changed.add("port");
    }
    if (!next.endpoint().equals(running.endpoint())) {
      changed.add("endpoint");
    }
    if (!java.util.Objects.equals(next.ssl(), running.ssl())) {
      changed.add("ssl");
    }
    if (!java.util.Objects.equals(next.fileSigningKey(), running.fileSigningKey())) {
      changed.add("fileSigningKey");
    }
    if (!java.util.Objects.equals(next.publicBaseUrl(), running.publicBaseUrl())) {
      changed.add("publicBaseUrl");
    }
    if (next.requestTimeoutSeconds() != running.requestTimeoutSeconds()) {
      changed.add("requestTimeoutSeconds");
    }
    if (!next.ops().equals(running.ops())) {
      changed.add("audit, metrics and rateLimit");
    }
    if (!changed.isEmpty()) {
      LOG.warn(
          "Reload keeps the running {} (changed in the file): restart the server to apply them",
          String.join(", ", changed));
    }
    return next.withListenerOf(running);
  }

  /** How often the recipients' last uses are written beside the recipients file. */
  private static final int LAST_USE_FLUSH_SECONDS = 5;

  /** Writes the recipients' last uses now (also done every few seconds and on close). */
  public void flushLastUse() {
    live.flushLastUse();
  }

  private void startWatching() {
    if (watcher != null) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              String seen = stamps();
              for (long tick = 1; !Thread.currentThread().isInterrupted(); tick++) {
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
                if (tick % LAST_USE_FLUSH_SECONDS == 0) {
                  live.flushLastUse();
                }
                String now = stamps();
                if (!now.equals(seen)) {
                  seen = now;
                  reload();
                  // a reload may name another recipients file: watch that one from now on
                  seen = stamps();
                }
              }
            },
            "lakeshare-config-watch");
    t.setDaemon(true);
    watcher = t;
    t.start();
  }

  /**
   * The followed files' change stamps (editors often replace a file by renaming: a poll sees it).
   */
  private String stamps() {
    Path file = configFile;
    String recipients = live.served.config.recipientsFile();
    return (file == null ? "" : stamp(file))
        + "|"
        + (recipients == null ? "" : stamp(Path.of(recipients)));
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
      live.close();
      if (audit != null) {
        audit.close();
      }
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
    private final java.util.concurrent.atomic.LongAdder signed;
    private final java.util.concurrent.atomic.LongAdder signingNanos;

    Signers(
        byte[] key,
        UrlBase urlBase,
        Duration validity,
        Clock clock,
        TableStorages storages,
        java.util.concurrent.atomic.LongAdder signed,
        java.util.concurrent.atomic.LongAdder signingNanos) {
      this.signed = signed;
      this.signingNanos = signingNanos;
      this.key = key;
      this.urlBase = urlBase;
      this.validity = validity;
      this.clock = clock;
      this.storages = storages;
    }

    @Override
    public FileSigner signerFor(SharedTable table, String location) {
      FileSigner signer = untimedSignerFor(table, location);
      return uri -> {
        long start = System.nanoTime();
        try {
          return signer.sign(uri);
        } finally {
          signingNanos.add(System.nanoTime() - start);
          signed.increment();
        }
      };
    }

    @Override
    public boolean vendsCredentials(SharedTable table, String root) {
      return vending(root) != null;
    }

    /** The cloud storage of a table root when it can issue directory credentials, else null. */
    private CloudStorage vending(String root) {
      CloudStorage cloud = root.startsWith("file:") ? null : storages.forLocation(root);
      return cloud != null && cloud.vendsCredentials(root) ? cloud : null;
    }

    @Override
    public io.lakeshare.protocol.model.TemporaryCredentials credentialsFor(
        SharedTable table, String root, String location, Duration validity) {
      CloudStorage cloud = vending(root);
      if (cloud == null) {
        return SignerProvider.super.credentialsFor(table, root, location, validity);
      }
      try {
        return cloud.temporaryCredentials(location, validity);
      } catch (IllegalArgumentException e) {
        throw io.lakeshare.server.service.ServerErrors.unsupported(
            "Directory access to table '"
                + table.fullName()
                + "' is not available for this location: "
                + e.getMessage()
                + ".");
      } catch (java.io.UncheckedIOException e) {
        LOG.error(
            "Issuing temporary credentials for table {} failed: {}",
            table.fullName(),
            e.getCause().getMessage());
        throw io.lakeshare.server.service.ServerErrors.internal();
      }
    }

    /** Signed URLs remembered per table location for reuse (about 400 bytes each). */
    private static final int REUSED_URLS_PER_TABLE = 200_000;

    private FileSigner reusing(FileSigner signer) {
      return new io.lakeshare.server.storage.ReusingSigner(
          signer, validity, clock, REUSED_URLS_PER_TABLE);
    }

    private FileSigner untimedSignerFor(SharedTable table, String location) {
      CloudStorage cloud = storages.forLocation(location);
      if (cloud != null) {
        return byLocation.computeIfAbsent(location, loc -> reusing(cloud.signer(loc, validity)));
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
              reusing(
                  new LocalFileSigner(
                      key, Path.of(URI.create(loc)), urlBase.get(), validity, clock)));
    }
  }
}
