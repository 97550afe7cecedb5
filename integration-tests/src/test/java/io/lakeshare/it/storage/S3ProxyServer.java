package io.lakeshare.it.storage;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One in-process s3proxy per JVM (in-memory store, SigV4 signatures checked), with one bucket;
 * setup as in DEPENDENCIES.md §5(c).
 */
public final class S3ProxyServer {
  private static S3Endpoint endpoint;

  private S3ProxyServer() {}

  /** Starts the store on first use; it stops with the JVM. */
  public static synchronized S3Endpoint get() {
    if (endpoint == null) {
      endpoint = start();
    }
    return endpoint;
  }

  private static S3Endpoint start() {
    String accessKey = "AKIDLAKESHARETEST";
    String secretKey = "s3proxy-secret-0123456789abcdef";
    try {
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(new TransientNio2BlobStore())
              .endpoint(URI.create("http://127.0.0.1:0"))
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
              .build();
      proxy.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        Thread.sleep(20);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(proxy)));
      S3Endpoint e =
          new S3Endpoint(
              "s3proxy",
              URI.create("http://127.0.0.1:" + proxy.getPort()),
              accessKey,
              secretKey,
              "lake-proxy",
              "us-east-1");
      try (S3Client c = client(e)) {
        c.createBucket(b -> b.bucket(e.bucket()));
      }
      return e;
    } catch (Exception ex) {
      throw new IllegalStateException("cannot start s3proxy", ex);
    }
  }

  /** A plain SDK client on the endpoint, for setting up and inspecting objects. */
  static S3Client client(S3Endpoint e) {
    return S3Client.builder()
        .endpointOverride(e.uri())
        .region(Region.of(e.region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(e.accessKey(), e.secretKey())))
        .build();
  }

  private static void stopQuietly(S3Proxy proxy) {
    try {
      proxy.stop();
    } catch (Exception e) {
      // JVM exit
    }
  }
}
