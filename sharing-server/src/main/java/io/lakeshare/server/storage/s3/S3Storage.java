package io.lakeshare.server.storage.s3;

import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.CloudStorage;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.ObjectStore;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 client and presigner for one set of {@link S3Settings}: tables that share settings share
 * one instance. Creating it makes no network call; credentials are first used on the first read.
 */
public final class S3Storage implements CloudStorage {
  private final S3Settings settings;
  private final S3Client client;
  private final S3Presigner presigner;
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
    var presignerBuilder =
        S3Presigner.builder()
            .region(settings.region())
            .credentialsProvider(settings.credentials())
            .serviceConfiguration(s3);
    if (settings.endpoint() != null) {
      clientBuilder.endpointOverride(settings.endpoint());
      presignerBuilder.endpointOverride(settings.endpoint());
    }
    this.client = clientBuilder.build();
    this.presigner = presignerBuilder.build();
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
    return new S3FileSigner(presigner, BlobPath.parse(tableRoot), validity);
  }

  @Override
  public String label() {
    return settings.label();
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }
}
