package io.lakeshare.it.storage;

/** The S3 suite on the in-process s3proxy store, which checks SigV4 signatures. */
class S3ProxyStorageTest extends S3StorageSuite {
  @Override
  S3Endpoint endpoint() {
    return S3ProxyServer.get();
  }
}
