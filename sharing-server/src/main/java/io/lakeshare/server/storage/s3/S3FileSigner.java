package io.lakeshare.server.storage.s3;

import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.FileAccessException;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.SignedUrl;
import java.time.Duration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * Signs the data files of one table in S3 with SigV4 query-string URLs ({@code X-Amz-Signature}),
 * which the store itself verifies. Signing is local: the SDK caches the derived signing key per
 * day, region and credential, so no URL costs a network call.
 */
final class S3FileSigner implements FileSigner {
  /** SigV4 refuses presigned URLs valid for longer than seven days. */
  static final Duration MAX_VALIDITY = Duration.ofDays(7);

  private final S3Presigner presigner;
  private final String bucket;
  private final String rootKey;
  private final Duration validity;

  S3FileSigner(S3Presigner presigner, BlobPath tableRoot, Duration validity) {
    this.presigner = presigner;
    this.bucket = tableRoot.authority();
    this.rootKey = tableRoot.key();
    this.validity = validity.compareTo(MAX_VALIDITY) > 0 ? MAX_VALIDITY : validity;
  }

  /**
   * Signs {@code s3://}, {@code s3a://} or {@code s3n://bucket/key}; the key is taken literally.
   *
   * @throws FileAccessException if the file is in another bucket, outside the table root, or has
   *     {@code .}, {@code ..} or empty segments
   */
  @Override
  public SignedUrl sign(String fileUri) {
    BlobPath p = BlobPath.parse(fileUri);
    if (!S3Storage.isS3Scheme(p.scheme())
        || !p.authority().equals(bucket)
        || !BlobPath.isSafelyInside(rootKey, p.key())) {
      throw new FileAccessException(
          "Refusing to sign '" + BlobPath.tail(fileUri) + "': it lies outside the shared table");
    }
    PresignedGetObjectRequest r =
        presigner.presignGetObject(
            b -> b.signatureDuration(validity).getObjectRequest(g -> g.bucket(bucket).key(p.key())));
    return new SignedUrl(r.url().toString(), r.expiration().toEpochMilli());
  }
}
