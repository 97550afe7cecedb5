package io.lakeshare.spark;

import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.protocol.profile.Profile;
import io.lakeshare.spark.read.DirectAccess;
import io.lakeshare.spark.read.FileUrl;
import io.lakeshare.spark.read.UrlRefresher;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory-access scan's credentials (E11): travels with the scan's partitions to executors,
 * where it opens the table's directory with a Hadoop file system of its own and asks the sharing
 * server for new credentials before the current ones expire. Its file paths never expire, so there
 * are no URLs to refresh.
 */
final class DirectoryRefresher implements UrlRefresher, DirectAccess {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryRefresher.class);

  /** Credentials closer to their expiry than this are renewed before a file is opened. */
  static final long RENEW_MARGIN_MS = 5 * 60 * 1000L;

  /** A replaced file system is closed this long after, so reads already open can finish. */
  private static final long RETIRE_DELAY_MS = 10 * 60 * 1000L;

  private static final ScheduledExecutorService RETIRED =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lakeshare-directory-fs-close");
            t.setDaemon(true);
            return t;
          });

  /** Asks for the table's directory credentials again (the sharing server, in a read). */
  @FunctionalInterface
  interface Issuer extends java.io.Serializable {
    DirectoryCredentials issue();
  }

  private final Issuer issuer;
  private final String tableName;
  private final Map<String, String> baseSettings;
  private volatile DirectoryCredentials credentials;
  private transient FileSystem fs;
  private transient DirectoryCredentials fsCredentials;

  /**
   * @param baseSettings the recipient's own Hadoop settings for the file system (endpoint, region,
   *     path style...), without secrets
   */
  DirectoryRefresher(
      Profile profile,
      ConnectorConf conf,
      String callerOrg,
      TableRef table,
      String tableName,
      Map<String, String> baseSettings,
      DirectoryCredentials credentials) {
    this(
        () -> fetch(profile, conf, callerOrg, table, tableName),
        tableName,
        baseSettings,
        credentials);
  }

  /** With another source of credentials (tests). */
  DirectoryRefresher(
      Issuer issuer,
      String tableName,
      Map<String, String> baseSettings,
      DirectoryCredentials credentials) {
    this.issuer = issuer;
    this.tableName = tableName;
    this.baseSettings = Map.copyOf(baseSettings);
    this.credentials = credentials;
  }

  private record CacheKey(Profile profile, String callerOrg, TableRef table) {}

  /**
   * The credentials last issued per recipient and table in this JVM: the queries of a dashboard
   * reuse them while they have more than {@link #RENEW_MARGIN_MS} to live, instead of costing the
   * server an STS call (or a SAS signature) each.
   */
  private static final Map<CacheKey, DirectoryCredentials> ISSUED = new ConcurrentHashMap<>();

  /**
   * Makes {@code c} the credentials this JVM holds for a table until they near their expiry: how
   * the integration tests read local fixture tables through their directories, for which the
   * sharing server never vends credentials.
   */
  static void remember(TableLocation loc, String callerOrg, DirectoryCredentials c) {
    ISSUED.put(new CacheKey(loc.profile(), callerOrg, loc.table()), c);
  }

  /** Drops what {@link #remember} or an issuance left for the table. */
  static void forget(TableLocation loc, String callerOrg) {
    ISSUED.remove(new CacheKey(loc.profile(), callerOrg, loc.table()));
  }

  /** Credentials for the table's directory: recently issued ones, else new ones from the server. */
  static DirectoryCredentials fetch(
      Profile profile, ConnectorConf conf, String callerOrg, TableRef table, String tableName) {
    CacheKey key = new CacheKey(profile, callerOrg, table);
    DirectoryCredentials known = ISSUED.get(key);
    if (known != null && known.expiresAtMillis() - RENEW_MARGIN_MS > System.currentTimeMillis()) {
      return known;
    }
    TemporaryCredentials c =
        SharingClients.get(profile, conf, callerOrg).generateTemporaryTableCredential(table, null);
    DirectoryCredentials fresh = DirectoryCredentials.of(c, tableName);
    ISSUED.put(key, fresh);
    return fresh;
  }

  /**
   * The table's directory access as its read options ask: null for {@code accessMode url}, and for
   * {@code auto} when the server does not vend credentials for this table (the read then goes
   * through URLs); fails for {@code dir} when the server refuses or this Spark cannot read the log.
   */
  static DirectoryRefresher forTable(DeltaSharingTable table) {
    ReadOptions opts = table.readOptions();
    if (opts.accessMode() == ReadOptions.AccessMode.URL) {
      return null;
    }
    boolean auto = opts.accessMode() == ReadOptions.AccessMode.AUTO;
    if (!DirectoryListing.supported()) {
      if (auto) {
        return null;
      }
      throw DirectoryListing.unsupported(table.name());
    }
    TableLocation loc = table.location();
    DirectoryCredentials c;
    try {
      c = fetch(loc.profile(), table.conf(), opts.callerOrg(), loc.table(), table.name());
    } catch (DeltaSharingException e) {
      int status = e.status();
      if (auto && status >= 400 && status < 500 && status != 401 && status != 429) {
        LOG.info(
            "Delta Sharing table {}: no directory access ({}: {}); reading through URLs",
            table.name(),
            status,
            e.serverMessage());
        return null;
      }
      throw ConnectorErrors.server(
          table.name(), "asking for temporary credentials of the table's directory", e);
    } catch (IllegalArgumentException e) {
      if (auto) {
        LOG.info("{}; reading through URLs", e.getMessage());
        return null;
      }
      throw e;
    }
    return new DirectoryRefresher(
        loc.profile(),
        table.conf(),
        opts.callerOrg(),
        loc.table(),
        table.name(),
        DirectorySettings.fromSession(),
        c);
  }

  DirectoryCredentials credentials() {
    return credentials;
  }

  @Override
  public Map<String, FileUrl> refreshAll() {
    return Map.of(); // cloud paths do not expire; the credentials are renewed on use
  }

  @Override
  public boolean covers(String path) {
    return credentials.covers(path);
  }

  @Override
  public synchronized FileSystem fileSystem() throws IOException {
    DirectoryCredentials c = credentials;
    if (c.expiresAtMillis() - RENEW_MARGIN_MS <= System.currentTimeMillis()) {
      try {
        c = issuer.issue();
      } catch (DeltaSharingException e) {
        throw new IOException(
            ConnectorErrors.server(tableName, "renewing the directory credentials", e).getMessage(),
            e);
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage(), e); // a location this connector cannot read
      }
      if (!c.root().equals(credentials.root())) {
        throw new IOException(
            "The sharing server moved Delta Sharing table "
                + tableName
                + " from "
                + credentials.root()
                + " to "
                + c.root()
                + " during the read; run the query again");
      }
      credentials = c;
      LOG.info("Renewed the directory credentials of Delta Sharing table {}", tableName);
    }
    if (fs != null && fsCredentials == c) {
      return fs;
    }
    FileSystem old = fs;
    fs = open(c, baseSettings, tableName);
    fsCredentials = c;
    if (old != null) {
      retire(old);
    }
    return fs;
  }

  @Override
  public synchronized void release() {
    if (fs != null) {
      retire(fs);
      fs = null;
      fsCredentials = null;
    }
  }

  private static void retire(FileSystem old) {
    RETIRED.schedule(
        () -> {
          try {
            old.close();
          } catch (IOException | RuntimeException e) {
            LOG.debug("Closing a directory file system failed: {}", e.toString());
          }
        },
        RETIRE_DELAY_MS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * A file system of its own (never Hadoop's shared cache: no other reader in this JVM gets the
   * credentials, and no cached instance with other credentials is used) for the directory.
   */
  static FileSystem open(DirectoryCredentials c, Map<String, String> base, String tableName)
      throws IOException {
    Configuration hadoop = new Configuration();
    base.forEach(hadoop::set);
    c.settings().forEach(hadoop::set);
    URI root = URI.create(c.root());
    try {
      return FileSystem.newInstance(root, hadoop);
    } catch (UnsupportedFileSystemException e) {
      throw new IOException(missingFileSystem(root.getScheme(), tableName), e);
    } catch (NoClassDefFoundError e) {
      throw new IOException(missingFileSystem(root.getScheme(), tableName), e);
    } catch (RuntimeException e) {
      if (e.getCause() instanceof ClassNotFoundException) {
        throw new IOException(missingFileSystem(root.getScheme(), tableName), e);
      }
      throw e;
    }
  }

  static String missingFileSystem(String scheme, String tableName) {
    String module =
        scheme.startsWith("s3")
            ? "hadoop-aws (org.apache.hadoop:hadoop-aws of Spark's Hadoop version, with the AWS SDK)"
            : "hadoop-azure (org.apache.hadoop:hadoop-azure of Spark's Hadoop version)";
    return "Delta Sharing table "
        + tableName
        + " is read through its "
        + scheme
        + ":// directory (accessMode dir), but this Spark has no Hadoop file system for "
        + scheme
        + "://: add "
        + module
        + " to the classpath, or read with accessMode url";
  }

  @Override
  public String toString() {
    return "DirectoryRefresher[" + tableName + ", " + credentials + "]";
  }
}
