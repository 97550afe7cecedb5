package io.lakeshare.server.storage.gcs;

import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.SignedUrl;
import io.lakeshare.server.storage.V4QuerySigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Signs the data files of one table with {@code GOOG4-HMAC-SHA256} query-string URLs from a Cloud
 * Storage HMAC key, in this process: one SHA-256 and one HMAC per URL.
 */
final class GcsHmacSigner implements FileSigner {
  private final V4QuerySigner v4;
  private final String bucket;
  private final String rootKey;
  private final Duration validity;
  private final Clock clock;

  GcsHmacSigner(V4QuerySigner v4, BlobPath tableRoot, Duration validity, Clock clock) {
    this.v4 = v4;
    this.bucket = tableRoot.authority();
    this.rootKey = tableRoot.key();
    this.validity = GcsUrlSigner.capped(validity);
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
    BlobPath p = GcsUrlSigner.fileInside(fileUri, bucket, rootKey);
    // signatures are dated to the second: the URL lives from that second on
    long second = Math.floorDiv(clock.millis(), 1000L);
    String url = v4.presign(bucket, p.key(), Instant.ofEpochSecond(second), validity.toSeconds());
    return new SignedUrl(url, (second + validity.toSeconds()) * 1000L);
  }
}
