package io.lakeshare.it.storage;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/**
 * The S3 suite on MinIO (Testcontainers); skipped with the reason logged where Docker is absent.
 */
class MinioStorageTest extends S3StorageSuite {

  @BeforeAll
  static void requireDocker() {
    String reason = MinioServer.unavailableReason();
    assumeTrue(reason == null, reason);
  }

  @Override
  S3Endpoint endpoint() {
    return MinioServer.get();
  }
}
