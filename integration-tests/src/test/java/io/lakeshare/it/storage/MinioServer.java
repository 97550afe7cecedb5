package io.lakeshare.it.storage;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import software.amazon.awssdk.services.s3.S3Client;

/** MinIO in a Testcontainers container, one per JVM, when a Docker engine is reachable. */
final class MinioServer {
  private static final Logger LOG = LoggerFactory.getLogger(MinioServer.class);
  private static final String IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";

  private static S3Endpoint endpoint;
  private static String unavailable;

  private MinioServer() {}

  /** Why MinIO cannot run here, or null when it can. */
  static synchronized String unavailableReason() {
    if (endpoint == null && unavailable == null) {
      boolean docker;
      try {
        docker = DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        docker = false;
      }
      if (!docker) {
        unavailable =
            "no Docker engine is reachable (checked by Testcontainers), so the MinIO run of the"
                + " S3 suite is skipped; the s3proxy run covers the same checks";
        LOG.warn("Skipping MinIO tests: {}", unavailable);
      }
    }
    return unavailable;
  }

  /** Starts MinIO on first use; Testcontainers removes it at JVM exit. */
  static synchronized S3Endpoint get() {
    if (endpoint == null) {
      @SuppressWarnings("resource") // lives for the JVM; Ryuk reaps it
      MinIOContainer c = new MinIOContainer(IMAGE);
      c.start();
      S3Endpoint e =
          new S3Endpoint(
              "minio",
              URI.create(c.getS3URL()),
              c.getUserName(),
              c.getPassword(),
              "lake-minio",
              "us-east-1");
      try (S3Client s3 = S3ProxyServer.client(e)) {
        s3.createBucket(b -> b.bucket(e.bucket()));
      }
      endpoint = e;
    }
    return endpoint;
  }
}
