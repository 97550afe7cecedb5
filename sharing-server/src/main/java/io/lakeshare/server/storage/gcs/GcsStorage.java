package io.lakeshare.server.storage.gcs;

import com.google.api.core.ApiClock;
import com.google.auth.ServiceAccountSigner;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.DownscopedCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.CloudStorage;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.ObjectStore;
import io.lakeshare.server.storage.StorageAccessException;
import io.lakeshare.server.storage.V4QuerySigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cloud Storage client of one credential (a service-account key, or the application-default
 * credentials) and its V4 URL signer. Creating it makes no network call when a key is given;
 * application-default credentials may be looked up on the metadata server.
 */
public final class GcsStorage implements CloudStorage {
  private static final Logger LOG = LoggerFactory.getLogger(GcsStorage.class);

  /** The Hadoop GCS connector's key-file settings, honoured for tables without a storage entry. */
  private static final String[] HADOOP_KEY_FILE = {
    "fs.gs.auth.service.account.json.keyfile", "google.cloud.auth.service.account.json.keyfile"
  };

  private static final String GOOGLE_ENDPOINT = "https://storage.googleapis.com";

  private final String label;
  private final StorageOptions options;
  private final Storage storage;
  private final ServiceAccountSigner signer;
  private final V4QuerySigner hmac;
  private final String endpoint;
  private final GcsObjectStore store;
  private final GoogleCredentials credentials;
  private final boolean directoryAccess;
  private volatile HttpTransportFactory stsTransport;

  private GcsStorage(
      String label,
      GoogleCredentials credentials,
      String endpoint,
      String project,
      String hmacAccessId,
      String hmacSecret,
      boolean directoryAccess) {
    this.label = label;
    this.credentials = credentials;
    this.directoryAccess = directoryAccess;
    this.endpoint = endpoint;
    this.hmac =
        hmacAccessId == null
            ? null
            : new V4QuerySigner(
                V4QuerySigner.Dialect.GOOG4_HMAC,
                hmacAccessId,
                hmacSecret,
                "auto",
                URI.create(endpoint == null ? GOOGLE_ENDPOINT : endpoint));
    HttpStorageOptions.Builder b = StorageOptions.http().setCredentials(credentials);
    if (endpoint != null) {
      b.setHost(endpoint);
    }
    String projectId = project;
    if (projectId == null && credentials instanceof ServiceAccountCredentials sa) {
      projectId = sa.getProjectId();
    }
    if (projectId != null) {
      // Without it the library would look for a default project, possibly over the network.
      b.setProjectId(projectId);
    }
    this.options = b.build();
    this.storage = options.getService();
    this.signer = credentials instanceof ServiceAccountSigner s ? s : null;
    if (hmac == null && signer != null && !(credentials instanceof ServiceAccountCredentials)) {
      LOG.warn(
          "{} signs URLs through the IAM signBlob API ({}): every signed URL costs a network"
              + " call; give it a service-account key to sign locally",
          label,
          credentials.getClass().getSimpleName());
    }
    String account = signer == null ? null : safeAccount(signer);
    this.store = new GcsObjectStore(storage, new GcsErrors(label, account, endpoint));
  }

  /** For a {@code type: gcs} storage entry. */
  public static GcsStorage of(StorageConfig.Gcs c) {
    String label = "storage '" + c.name() + "'";
    GoogleCredentials credentials;
    if (c.serviceAccountKeyFile() != null) {
      credentials = keyFile(Path.of(c.serviceAccountKeyFile()), label, "serviceAccountKeyFile");
    } else if (c.serviceAccountKey() != null) {
      credentials =
          key(
              new ByteArrayInputStream(c.serviceAccountKey().getBytes(StandardCharsets.UTF_8)),
              label,
              "'serviceAccountKey'");
    } else {
      credentials = applicationDefault(label);
    }
    GcsStorage gcs =
        new GcsStorage(
            label,
            credentials,
            c.endpoint(),
            c.projectId(),
            c.hmacAccessId(),
            c.hmacSecret(),
            c.directoryAccess());
    if (c.stsEndpoint() != null) {
      gcs.stsTransport(StsTransport.at(c.stsEndpoint()));
    }
    return gcs;
  }

  /**
   * For tables without a storage entry: the Hadoop GCS connector's key file setting, then the
   * application-default credentials.
   */
  public static GcsStorage fromHadoop(Configuration conf) {
    String label = "the Hadoop fs.gs settings";
    for (String k : HADOOP_KEY_FILE) {
      String file = conf.getTrimmed(k);
      if (file != null && !file.isEmpty()) {
        return new GcsStorage(
            label,
            keyFile(Path.of(file), label, k),
            null,
            conf.getTrimmed("fs.gs.project.id"),
            null,
            null,
            false);
      }
    }
    return new GcsStorage(
        label,
        applicationDefault(label),
        null,
        conf.getTrimmed("fs.gs.project.id"),
        null,
        null,
        false);
  }

  @Override
  public boolean vendsCredentials(String tableRoot) {
    return directoryAccess;
  }

  /**
   * How the token exchange reaches the Security Token Service: the entry's {@code stsEndpoint}, a
   * test's recording transport, or null for Google's own.
   */
  void stsTransport(HttpTransportFactory transport) {
    stsTransport = transport;
  }

  /**
   * A downscoped access token ({@link GcsAccessBoundary}) exchanged for the entry's credentials at
   * Google's Security Token Service. It expires with the source credentials' access token (at most
   * an hour), whatever {@code validity} asks.
   */
  @Override
  public TemporaryCredentials temporaryCredentials(String location, Duration validity) {
    if (!directoryAccess) {
      throw new UnsupportedOperationException(label + " has no directoryAccess");
    }
    BlobPath where = BlobPath.parse(location);
    String prefix = where.key();
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    DownscopedCredentials.Builder b =
        DownscopedCredentials.newBuilder()
            .setSourceCredential(credentials.createScoped(CLOUD_PLATFORM))
            .setCredentialAccessBoundary(GcsAccessBoundary.readOnly(where.authority(), prefix));
    HttpTransportFactory transport = stsTransport;
    if (transport != null) {
      b.setHttpTransportFactory(transport);
    }
    AccessToken token;
    try {
      token = b.build().refreshAccessToken();
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(
          new StorageAccessException(
              label
                  + " could not exchange a downscoped token for "
                  + where.authority()
                  + ": "
                  + e.getMessage(),
              e));
    }
    if (token == null || token.getExpirationTime() == null) {
      throw new UncheckedIOException(
          new StorageAccessException(
              label + " got a downscoped token without an expiry for " + where.authority(), null));
    }
    return new TemporaryCredentials(
        location,
        null,
        null,
        new TemporaryCredentials.GcpOauthToken(token.getTokenValue()),
        token.getExpirationTime().getTime());
  }

  private static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  /** Whether a lower-case URI scheme names Cloud Storage. */
  public static boolean isGcsScheme(String scheme) {
    return scheme.equals("gs");
  }

  private static GoogleCredentials keyFile(Path file, String label, String setting) {
    try (InputStream in = Files.newInputStream(file)) {
      return key(in, label, "the key file " + file + " ('" + setting + "')");
    } catch (NoSuchFileException e) {
      throw new IllegalStateException(
          "'" + setting + "' of " + label + " names " + file + ", which does not exist", e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot read '" + setting + "' of " + label + " (" + file + "): " + e.getMessage(), e);
    }
  }

  /** Reads a service-account JSON key; messages never quote the key. */
  private static GoogleCredentials key(InputStream in, String label, String what) {
    try {
      return ServiceAccountCredentials.fromStream(in);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          what
              + " of "
              + label
              + " is not a service-account JSON key (\"type\": \"service_account\" with"
              + " client_email and private_key); create one with 'gcloud iam service-accounts keys"
              + " create'",
          e);
    }
  }

  private static GoogleCredentials applicationDefault(String label) {
    try {
      return GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new IllegalStateException(
          "No Google credentials for "
              + label
              + ": set 'serviceAccountKeyFile' (or 'serviceAccountKey' as ${env:NAME}) in a storage"
              + " entry of type gcs, or provide application-default credentials"
              + " (GOOGLE_APPLICATION_CREDENTIALS) to the server",
          e);
    }
  }

  private static String safeAccount(ServiceAccountSigner s) {
    try {
      return s.getAccount();
    } catch (RuntimeException e) {
      return null; // the metadata server may be unreachable; the e-mail only decorates messages
    }
  }

  @Override
  public ObjectStore store() {
    return store;
  }

  @Override
  public FileSigner signer(String tableRoot, Duration validity) {
    return signer(tableRoot, validity, Clock.systemUTC());
  }

  /**
   * As {@link #signer(String, Duration)} with the clock that dates signatures.
   *
   * @throws IllegalStateException when the credential cannot sign (user credentials)
   */
  public FileSigner signer(String tableRoot, Duration validity, Clock clock) {
    if (hmac != null) {
      return new GcsHmacSigner(hmac, BlobPath.parse(tableRoot), validity, clock);
    }
    if (signer == null) {
      throw new IllegalStateException(
          label
              + " has credentials that cannot sign URLs: use a service-account key"
              + " ('serviceAccountKeyFile' or 'serviceAccountKey') or an HMAC key ('hmacAccessId'"
              + " and 'hmacSecret')");
    }
    Storage dated =
        clock.equals(Clock.systemUTC())
            ? storage
            : options.toBuilder().setClock(new ClockAdapter(clock)).build().getService();
    return new GcsUrlSigner(dated, signer, endpoint, BlobPath.parse(tableRoot), validity, clock);
  }

  /** Whether this credential signs URLs (service accounts do, user credentials do not). */
  public boolean canSign() {
    return hmac != null || signer != null;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public void close() {
    try {
      storage.close();
    } catch (Exception e) {
      LOG.debug("closing the Cloud Storage client of {} failed", label, e);
    }
  }

  /** The library's clock type over {@link Clock}. */
  private record ClockAdapter(Clock clock) implements ApiClock {
    @Override
    public long nanoTime() {
      return TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    @Override
    public long millisTime() {
      return clock.millis();
    }
  }
}
