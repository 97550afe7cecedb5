package io.lakeshare.it.storage;

import java.net.URI;

/**
 * An S3-compatible store the tests write to and the server reads from.
 *
 * @param name shown in test names and logs
 * @param uri e.g. {@code http://127.0.0.1:41234}
 * @param bucket an existing bucket reserved for these tests
 */
public record S3Endpoint(
    String name, URI uri, String accessKey, String secretKey, String bucket, String region) {

  /**
   * Hadoop S3A settings for this bucket only, so other buckets of the shared session keep theirs.
   */
  java.util.Map<String, String> hadoopSettings() {
    String p = "fs.s3a.bucket." + bucket + ".";
    return java.util.Map.of(
        p + "endpoint",
        uri.toString(),
        p + "endpoint.region",
        region,
        p + "path.style.access",
        "true",
        p + "connection.ssl.enabled",
        "false",
        p + "access.key",
        accessKey,
        p + "secret.key",
        secretKey,
        p + "aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
  }
}
