package io.lakeshare.server.storage.s3;

import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.CloudStorage;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.ObjectStore;
import io.lakeshare.server.storage.StorageAccessException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The S3 client and URL signer for one set of {@link S3Settings}: tables that share settings share
 * one instance. Creating it makes no network call; credentials are first used on the first read.
 */
public final class S3Storage implements CloudStorage {
  private final S3Settings settings;
  private final S3Client client;
  private final S3ObjectStore store;
  private volatile StsClient sts;

  private S3Storage(S3Settings settings) {
    this.settings = settings;
    S3Configuration s3 =
        S3Configuration.builder()
            .pathStyleAccessEnabled(settings.pathStyle())
            // Delta logs are read whole or by range; response checksums only cost CPU here.
            .checksumValidationEnabled(false)
            .build();
    var clientBuilder =
        S3Client.builder()
            .region(settings.region())
            .credentialsProvider(settings.credentials())
            .serviceConfiguration(s3)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    if (settings.endpoint() != null) {
      clientBuilder.endpointOverride(settings.endpoint());
    }
    this.client = clientBuilder.build();
    this.store = new S3ObjectStore(client, settings);
  }

  /** For a {@code type: s3} storage entry. */
  public static S3Storage of(StorageConfig.S3 config) {
    return new S3Storage(S3Settings.of(config));
  }

  /** For tables in {@code bucket} without a storage entry: Hadoop S3A keys, then AWS defaults. */
  public static S3Storage fromHadoop(Configuration conf, String bucket) {
    return new S3Storage(S3Settings.fromHadoop(conf, bucket));
  }

  /** Whether a lower-case URI scheme names S3. */
  public static boolean isS3Scheme(String scheme) {
    return scheme.equals("s3") || scheme.equals("s3a") || scheme.equals("s3n");
  }

  @Override
  public ObjectStore store() {
    return store;
  }

  @Override
  public FileSigner signer(String tableRoot, Duration validity) {
    return signer(tableRoot, validity, Clock.systemUTC());
  }

  /** As {@link #signer(String, Duration)} with the clock that dates signatures. */
  public FileSigner signer(String tableRoot, Duration validity, Clock clock) {
    return new S3FileSigner(
        settings.credentials(),
        settings.region().id(),
        settings.endpoint(),
        settings.pathStyle(),
        BlobPath.parse(tableRoot),
        validity,
        clock);
  }

  @Override
  public boolean vendsCredentials(String tableRoot) {
    return settings.roleArn() != null;
  }

  /** Shortest and longest session STS grants with AssumeRole. */
  static final Duration MIN_SESSION = Duration.ofMinutes(15);

  static final Duration MAX_SESSION = Duration.ofHours(12);

  /**
   * Assumes the entry's {@code roleArn} with an inline session policy that reads only {@code
   * location} ({@link S3SessionPolicy}); the session lasts {@code validity}, within the 15 minutes
   * to 12 hours STS allows (the role's own maximum may be lower, and STS then refuses).
   */
  @Override
  public TemporaryCredentials temporaryCredentials(String location, Duration validity) {
    if (settings.roleArn() == null) {
      throw new UnsupportedOperationException(label() + " has no roleArn");
    }
    BlobPath where = BlobPath.parse(location);
    String prefix = where.key();
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    String partition = settings.roleArn().split(":", 3)[1];
    String policy = S3SessionPolicy.readOnly(partition, where.authority(), prefix);
    long seconds =
        Math.max(MIN_SESSION.toSeconds(), Math.min(MAX_SESSION.toSeconds(), validity.toSeconds()));
    AssumeRoleResponse r;
    try {
      r =
          sts()
              .assumeRole(
                  AssumeRoleRequest.builder()
                      .roleArn(settings.roleArn())
                      .roleSessionName(sessionName(where))
                      .policy(policy)
                      .durationSeconds((int) seconds)
                      .build());
    } catch (SdkException e) {
      throw new UncheckedIOException(
          new StorageAccessException(
              label()
                  + " could not assume role "
                  + settings.roleArn()
                  + " for "
                  + where.authority()
                  + ": "
                  + (e instanceof AwsServiceException a && a.awsErrorDetails() != null
                      ? a.awsErrorDetails().errorCode() + " " + a.awsErrorDetails().errorMessage()
                      : e.getMessage()),
              e));
    }
    Credentials c = r.credentials();
    return new TemporaryCredentials(
        location,
        new TemporaryCredentials.AwsTempCredentials(
            c.accessKeyId(), c.secretAccessKey(), c.sessionToken()),
        null,
        null,
        c.expiration().toEpochMilli());
  }

  /** A session name operators can trace in CloudTrail: the bucket, 64 characters at most. */
  private static String sessionName(BlobPath where) {
    String name = "lakeshare-" + where.authority().replaceAll("[^\\w+=,.@-]", "-");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  private StsClient sts() {
    StsClient s = sts;
    if (s == null) {
      synchronized (this) {
        s = sts;
        if (s == null) {
          var b =
              StsClient.builder()
                  .region(settings.region())
                  .credentialsProvider(settings.credentials())
                  .httpClientBuilder(UrlConnectionHttpClient.builder());
          if (settings.stsEndpoint() != null) {
            b.endpointOverride(settings.stsEndpoint());
          }
          s = b.build();
          sts = s;
        }
      }
    }
    return s;
  }

  @Override
  public String label() {
    return settings.label();
  }

  @Override
  public void close() {
    client.close();
    synchronized (this) {
      if (sts != null) {
        sts.close();
      }
    }
  }
}
