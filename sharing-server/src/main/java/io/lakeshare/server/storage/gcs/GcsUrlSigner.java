package io.lakeshare.server.storage.gcs;

import com.google.auth.ServiceAccountSigner;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.FileAccessException;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.SignedUrl;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Signs the data files of one table with V4 query-string URLs ({@code X-Goog-Signature}) through
 * the client library's {@code signUrl}, which signs with the service account's private key in this
 * process: no URL costs a network call.
 */
final class GcsUrlSigner implements FileSigner {
  /** V4 refuses signed URLs valid for longer than seven days. */
  static final Duration MAX_VALIDITY = Duration.ofDays(7);

  private final Storage storage;
  private final ServiceAccountSigner signer;
  private final String hostName;
  private final String bucket;
  private final String rootKey;
  private final Duration validity;
  private final Clock clock;

  /** {@code validity}, at most V4's seven days. */
  static Duration capped(Duration validity) {
    return validity.compareTo(MAX_VALIDITY) > 0 ? MAX_VALIDITY : validity;
  }

  /**
   * The parsed {@code gs://bucket/key} of a file of the table at {@code bucket/rootKey}.
   *
   * @throws FileAccessException if the file is in another bucket, outside the table root, or has
   *     {@code .}, {@code ..} or empty segments
   */
  static BlobPath fileInside(String fileUri, String bucket, String rootKey) {
    BlobPath p = BlobPath.parse(fileUri);
    if (!GcsStorage.isGcsScheme(p.scheme())
        || !p.authority().equals(bucket)
        || !BlobPath.isSafelyInside(rootKey, p.key())) {
      throw new FileAccessException(
          "Refusing to sign '" + BlobPath.tail(fileUri) + "': it lies outside the shared table");
    }
    return p;
  }

  /**
   * @param storage a client whose options carry {@code clock} (the library dates signatures with
   *     its options' clock)
   * @param hostName scheme and host of URLs for an emulator, or null for Google's
   */
  GcsUrlSigner(
      Storage storage,
      ServiceAccountSigner signer,
      String hostName,
      BlobPath tableRoot,
      Duration validity,
      Clock clock) {
    this.storage = storage;
    this.signer = signer;
    this.hostName = hostName;
    this.bucket = tableRoot.authority();
    this.rootKey = tableRoot.key();
    this.validity = capped(validity);
    this.clock = clock;
  }

  /**
   * Signs {@code gs://bucket/key}; the key is taken literally.
   *
   * @throws FileAccessException if the file is in another bucket, outside the table root, or has
   *     {@code .}, {@code ..} or empty segments
   */
  @Override
  public SignedUrl sign(String fileUri) {
    BlobPath p = fileInside(fileUri, bucket, rootKey);
    long now = clock.millis();
    Storage.SignUrlOption[] options =
        hostName == null
            ? new Storage.SignUrlOption[] {
              Storage.SignUrlOption.withV4Signature(),
              Storage.SignUrlOption.signWith(signer),
              Storage.SignUrlOption.withPathStyle()
            }
            : new Storage.SignUrlOption[] {
              Storage.SignUrlOption.withV4Signature(),
              Storage.SignUrlOption.signWith(signer),
              Storage.SignUrlOption.withPathStyle(),
              Storage.SignUrlOption.withHostName(hostName)
            };
    String url =
        storage
            .signUrl(
                BlobInfo.newBuilder(bucket, p.key()).build(),
                validity.toSeconds(),
                TimeUnit.SECONDS,
                options)
            .toString();
    // The library reads the same clock a moment later, so the URL never expires before this.
    return new SignedUrl(url, Math.floorDiv(now, 1000L) * 1000L + validity.toSeconds() * 1000L);
  }
}
