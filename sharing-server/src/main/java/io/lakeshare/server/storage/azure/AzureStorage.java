package io.lakeshare.server.storage.azure;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.sas.SasProtocol;
import com.azure.storage.file.datalake.DataLakeDirectoryClient;
import com.azure.storage.file.datalake.DataLakePathClientBuilder;
import com.azure.storage.file.datalake.sas.DataLakeServiceSasSignatureValues;
import com.azure.storage.file.datalake.sas.PathSasPermission;
import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.CloudStorage;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.ObjectStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Blob API client of one Azure storage account with one credential (account key, SAS token or
 * service principal). Creating it makes no network call.
 */
public final class AzureStorage implements CloudStorage {
  private static final Logger LOG = LoggerFactory.getLogger(AzureStorage.class);

  /** A user-delegation key is fetched for this long and reused until it nears its end. */
  private static final Duration DELEGATION_KEY_LIFETIME = Duration.ofDays(6);

  enum Mode {
    SHARED_KEY,
    SAS_TOKEN,
    SERVICE_PRINCIPAL
  }

  private final String label;
  private final String account;
  private final Mode mode;
  private final BlobServiceClient service;
  private final AzureObjectStore store;
  private final boolean https;
  private final String fixedSas;
  private final long fixedSasExpiry;
  private UserDelegationKey delegationKey;
  private final String accountKey;
  private final boolean directoryAccess;

  private AzureStorage(
      String label,
      String account,
      String endpoint,
      String accountKey,
      String sasToken,
      ClientSecretCredential principal,
      boolean directoryAccess) {
    this.label = label;
    this.account = account;
    this.accountKey = accountKey;
    this.directoryAccess = directoryAccess;
    String url = endpoint != null ? endpoint : "https://" + account + ".blob.core.windows.net";
    this.https = url.toLowerCase(Locale.ROOT).startsWith("https:");
    HttpClient http = new JdkHttpClientBuilder().build();
    BlobServiceClientBuilder b = new BlobServiceClientBuilder().endpoint(url).httpClient(http);
    if (accountKey != null) {
      mode = Mode.SHARED_KEY;
      b.credential(new StorageSharedKeyCredential(account, accountKey));
    } else if (sasToken != null) {
      mode = Mode.SAS_TOKEN;
      b.credential(new AzureSasCredential(sasToken));
      LOG.warn(
          "{} authenticates with a SAS token: signed URLs carry that token, so recipients get"
              + " its scope and lifetime rather than one blob for one hour; use 'accountKey' or a"
              + " service principal for per-file SAS",
          label);
    } else {
      mode = Mode.SERVICE_PRINCIPAL;
      b.credential(principal);
    }
    this.service = b.buildClient();
    this.store = new AzureObjectStore(service, label);
    this.fixedSas = sasToken;
    this.fixedSasExpiry = sasToken == null ? Long.MAX_VALUE : sasExpiry(sasToken);
  }

  /** For a {@code type: azure} storage entry and a table location in its account. */
  public static AzureStorage of(StorageConfig.Azure c, String location) {
    String account = c.accountName() != null ? c.accountName() : accountOf(location);
    ClientSecretCredential principal =
        c.clientId() == null
            ? null
            : new ClientSecretCredential(
                c.authorityHost(), c.tenantId(), c.clientId(), c.clientSecret());
    return new AzureStorage(
        "storage '" + c.name() + "'",
        account,
        c.endpoint(),
        c.accountKey(),
        c.sasToken(),
        principal,
        c.directoryAccess());
  }

  /** For tables without a storage entry: the account key in the Hadoop configuration. */
  public static AzureStorage fromHadoop(Configuration conf, String location) {
    String host = hostOf(location);
    String account = accountOf(location);
    String key = null;
    for (String h :
        new String[] {
          host, account + ".dfs.core.windows.net", account + ".blob.core.windows.net"
        }) {
      key = key != null ? key : conf.getTrimmed("fs.azure.account.key." + h);
    }
    if (key == null || key.isEmpty()) {
      throw new IllegalStateException(
          "no credential for Azure account '"
              + account
              + "': add a 'storage' entry of type azure (accountKey, sasToken or a service"
              + " principal) and reference it from the table, or set fs.azure.account.key."
              + host
              + " in the Hadoop configuration");
    }
    return new AzureStorage(
        "the Hadoop fs.azure settings of account '" + account + "'",
        account,
        null,
        key,
        null,
        null,
        false);
  }

  /** Whether a lower-case URI scheme names Azure storage. */
  public static boolean isAzureScheme(String scheme) {
    return scheme.equals("abfss")
        || scheme.equals("abfs")
        || scheme.equals("wasbs")
        || scheme.equals("wasb");
  }

  /** The storage account a location names: the host's first label after {@code container@}. */
  public static String accountOf(String location) {
    String host = hostOf(location);
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }

  private static String hostOf(String location) {
    String authority = BlobPath.parse(location).authority();
    int at = authority.indexOf('@');
    if (at < 0) {
      throw new IllegalStateException(
          "an Azure location must look like abfss://<container>@<account>.dfs.core.windows.net/"
              + "<path>");
    }
    return authority.substring(at + 1);
  }

  /** The account this client talks to. */
  public String account() {
    return account;
  }

  @Override
  public ObjectStore store() {
    return store;
  }

  @Override
  public FileSigner signer(String tableRoot, Duration validity) {
    return signer(tableRoot, validity, Clock.systemUTC());
  }

  /** As {@link #signer(String, Duration)} with the clock that dates the SAS expiry. */
  public FileSigner signer(String tableRoot, Duration validity, Clock clock) {
    return new AzureSasSigner(this, service, BlobPath.parse(tableRoot), validity, clock);
  }

  /**
   * Directory access needs an entry with {@code directoryAccess: true} that can sign a SAS itself
   * (account key or service principal, not a SAS token) and a table on a hierarchical-namespace
   * location ({@code abfs}/{@code abfss}): only there can a SAS be scoped to a directory.
   */
  @Override
  public boolean vendsCredentials(String tableRoot) {
    if (!directoryAccess || mode == Mode.SAS_TOKEN) {
      return false;
    }
    String scheme = BlobPath.parse(tableRoot).scheme();
    return scheme.equals("abfs") || scheme.equals("abfss");
  }

  /** The longest SAS issued; a user-delegation key lives at most seven days. */
  static final Duration MAX_SAS = Duration.ofDays(7);

  /**
   * A directory SAS ({@code sr=d} with its depth, read and list) for {@code location}, signed with
   * the account key or a user-delegation key of the service principal.
   */
  @Override
  public TemporaryCredentials temporaryCredentials(String location, Duration validity) {
    if (!vendsCredentials(location)) {
      throw new UnsupportedOperationException(label + " cannot issue a directory SAS here");
    }
    Duration d = validity.compareTo(MAX_SAS) > 0 ? MAX_SAS : validity;
    OffsetDateTime expiry = OffsetDateTime.now(ZoneOffset.UTC).plus(d).withNano(0);
    UserDelegationKey key = mode == Mode.SERVICE_PRINCIPAL ? userDelegationKey(expiry) : null;
    String sas = directorySas(BlobPath.parse(location), expiry, key, null);
    return new TemporaryCredentials(
        location,
        null,
        new TemporaryCredentials.AzureUserDelegationSas(sas),
        null,
        expiry.toInstant().toEpochMilli());
  }

  /**
   * The SAS of one directory of a hierarchical-namespace account; with {@code key} a
   * user-delegation SAS, else an account-key SAS. {@code stringToSign} (tests) sees what was
   * signed.
   *
   * @throws IllegalArgumentException for the root of a container, where a directory SAS cannot
   *     apply
   */
  String directorySas(
      BlobPath where,
      OffsetDateTime expiry,
      UserDelegationKey key,
      java.util.function.Consumer<String> stringToSign) {
    String authority = where.authority();
    String container = authority.substring(0, authority.indexOf('@'));
    String dir = where.key();
    while (dir.endsWith("/")) {
      dir = dir.substring(0, dir.length() - 1);
    }
    if (dir.isEmpty()) {
      throw new IllegalArgumentException(
          "a table at the root of a container would need a container SAS; directory access is"
              + " issued for directories only");
    }
    DataLakeServiceSasSignatureValues values =
        new DataLakeServiceSasSignatureValues(
                expiry, new PathSasPermission().setReadPermission(true).setListPermission(true))
            .setProtocol(https ? SasProtocol.HTTPS_ONLY : SasProtocol.HTTPS_HTTP);
    DataLakePathClientBuilder b =
        new DataLakePathClientBuilder()
            .endpoint("https://" + account + ".dfs.core.windows.net")
            .fileSystemName(container)
            .pathName(dir);
    if (key == null) {
      b.credential(new StorageSharedKeyCredential(account, accountKey));
    }
    DataLakeDirectoryClient client = b.buildDirectoryClient();
    com.azure.core.util.Context none = com.azure.core.util.Context.NONE;
    if (key == null) {
      return client.generateSas(values, stringToSign, none);
    }
    com.azure.storage.file.datalake.models.UserDelegationKey k =
        new com.azure.storage.file.datalake.models.UserDelegationKey()
            .setSignedObjectId(key.getSignedObjectId())
            .setSignedTenantId(key.getSignedTenantId())
            .setSignedStart(key.getSignedStart())
            .setSignedExpiry(key.getSignedExpiry())
            .setSignedService(key.getSignedService())
            .setSignedVersion(key.getSignedVersion())
            .setValue(key.getValue());
    return client.generateUserDelegationSas(values, k, account, stringToSign, none);
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public void close() {}

  Mode mode() {
    return mode;
  }

  boolean https() {
    return https;
  }

  String fixedSas() {
    return fixedSas;
  }

  long fixedSasExpiry() {
    return fixedSasExpiry;
  }

  /** A user-delegation key valid until at least {@code until}; one network call per few days. */
  synchronized UserDelegationKey userDelegationKey(OffsetDateTime until) {
    if (delegationKey == null || delegationKey.getSignedExpiry().isBefore(until)) {
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      OffsetDateTime end = now.plus(DELEGATION_KEY_LIFETIME);
      if (end.isBefore(until)) {
        end = until;
      }
      delegationKey = service.getUserDelegationKey(now.minusMinutes(5), end);
    }
    return delegationKey;
  }

  /** The {@code se} (signed expiry) of a SAS token in epoch ms, or "never" when absent. */
  static long sasExpiry(String sas) {
    for (String part : sas.split("&")) {
      if (part.startsWith("se=")) {
        String v = URLDecoder.decode(part.substring(3), StandardCharsets.UTF_8);
        try {
          return OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
          return java.time.LocalDate.parse(v)
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant()
              .toEpochMilli();
        }
      }
    }
    return Long.MAX_VALUE;
  }
}
