package io.lakeshare.server.storage.s3;

import io.lakeshare.server.config.StorageConfig;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Everything needed to talk to one S3 endpoint with one credential, resolved from a {@code storage}
 * entry or, for tables without one, from the Hadoop S3A keys ({@code fs.s3a.*}, with per-bucket
 * {@code fs.s3a.bucket.<bucket>.*} overrides) and then the AWS default chains.
 *
 * @param label how messages name the source of these settings, e.g. {@code storage 'lake'}
 * @param keyId access key id shown in messages (not secret), or null when unknown yet
 * @param roleArn the role assumed for temporary table credentials (directory access), or null
 * @param stsEndpoint the STS endpoint for that role, or null for the region's
 */
record S3Settings(
    String label,
    Region region,
    URI endpoint,
    boolean pathStyle,
    AwsCredentialsProvider credentials,
    String keyId,
    String roleArn,
    URI stsEndpoint) {

  /** Settings of a {@code type: s3} storage entry. */
  static S3Settings of(StorageConfig.S3 c) {
    String label = "storage '" + c.name() + "'";
    URI endpoint = c.endpoint() == null ? null : URI.create(c.endpoint());
    AwsCredentialsProvider credentials =
        switch (c.credentials()) {
          case STATIC -> staticCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
          case ENVIRONMENT -> EnvironmentVariableCredentialsProvider.create();
          case DEFAULT -> DefaultCredentialsProvider.builder().build();
        };
    return new S3Settings(
        label,
        region(c.region(), endpoint, label),
        endpoint,
        c.pathStyleAccess() != null ? c.pathStyleAccess() : endpoint != null,
        credentials,
        c.accessKeyId(),
        c.roleArn(),
        c.stsEndpoint() == null ? null : URI.create(c.stsEndpoint()));
  }

  /** Settings for {@code bucket} from Hadoop S3A keys, falling back to the AWS default chains. */
  static S3Settings fromHadoop(Configuration conf, String bucket) {
    String label = "the Hadoop fs.s3a settings of bucket '" + bucket + "'";
    String keyId = secret(conf, bucket, "access.key");
    String secret = secret(conf, bucket, "secret.key");
    String token = secret(conf, bucket, "session.token");
    String endpointText = get(conf, bucket, "endpoint");
    URI endpoint = null;
    if (endpointText != null) {
      boolean ssl = !"false".equalsIgnoreCase(get(conf, bucket, "connection.ssl.enabled"));
      endpoint =
          URI.create(
              endpointText.contains("://")
                  ? endpointText
                  : (ssl ? "https://" : "http://") + endpointText);
      if (endpoint.getHost() != null && endpoint.getHost().equals("s3.amazonaws.com")) {
        endpoint = null;
      }
    }
    String pathStyle = get(conf, bucket, "path.style.access");
    AwsCredentialsProvider credentials =
        keyId != null && secret != null
            ? staticCredentials(keyId, secret, token)
            : DefaultCredentialsProvider.builder().build();
    return new S3Settings(
        label,
        region(get(conf, bucket, "endpoint.region"), endpoint, label),
        endpoint,
        pathStyle != null ? Boolean.parseBoolean(pathStyle.trim()) : endpoint != null,
        credentials,
        keyId,
        null,
        null);
  }

  private static AwsCredentialsProvider staticCredentials(String id, String secret, String token) {
    return StaticCredentialsProvider.create(
        token == null
            ? AwsBasicCredentials.create(id, secret)
            : AwsSessionCredentials.create(id, secret, token));
  }

  private static Region region(String configured, URI endpoint, String label) {
    if (configured != null && !configured.isBlank()) {
      return Region.of(configured.trim().toLowerCase(Locale.ROOT));
    }
    if (endpoint != null) {
      // S3-compatible stores (MinIO, s3proxy) accept any region; us-east-1 is their default.
      return Region.US_EAST_1;
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "No AWS region for "
              + label
              + ": set 'region' in the storage entry (or fs.s3a.endpoint.region), or AWS_REGION"
              + " in the server's environment",
          e);
    }
  }

  private static String get(Configuration conf, String bucket, String suffix) {
    String v = conf.getTrimmed("fs.s3a.bucket." + bucket + "." + suffix);
    if (v == null || v.isEmpty()) {
      v = conf.getTrimmed("fs.s3a." + suffix);
    }
    return v == null || v.isEmpty() ? null : v;
  }

  /** Reads through Hadoop credential providers (JCEKS files) as S3A does. */
  private static String secret(Configuration conf, String bucket, String suffix) {
    for (String key : new String[] {"fs.s3a.bucket." + bucket + "." + suffix, "fs.s3a." + suffix}) {
      try {
        char[] v = conf.getPassword(key);
        if (v != null && v.length > 0) {
          return new String(v).trim();
        }
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read " + key + " from the Hadoop configuration", e);
      }
    }
    return null;
  }

  /** Never prints the credential itself. */
  @Override
  public String toString() {
    return "S3Settings[" + label + ", region=" + region + ", endpoint=" + endpoint + "]";
  }
}
