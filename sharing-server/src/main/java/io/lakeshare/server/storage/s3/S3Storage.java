package io.lakeshare.server.storage.s3;

import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.CloudStorage;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The S3 client and URL signer for one set of {@link S3Settings}: tables that share settings share
 * one instance. Creating it makes no network call; credentials are first used on the first read.
 */
public final class S3Storage implements CloudStorage {
  private final S3Settings settings;
  private final S3Client client;
  private final S3ObjectStore store;

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
  public String label() {
    return settings.label();
  }

  @Override
  public void close() {
    client.close();
  }
}
