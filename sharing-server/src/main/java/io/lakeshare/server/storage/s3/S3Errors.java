package io.lakeshare.server.storage.s3;

import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.StorageAccessException;
import java.io.FileNotFoundException;
import java.io.IOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK failures into messages an operator can act on: what failed, for which bucket and
 * settings, and what to change. Secrets never appear; the access key id (not a secret) may.
 */
final class S3Errors {
  private final S3Settings settings;

  S3Errors(S3Settings settings) {
    this.settings = settings;
  }

  IOException translate(SdkException e, BlobPath p, String action) {
    String where = "s3://" + p.authority() + "/" + p.key();
    if (e instanceof AwsServiceException s) {
      int status = s.statusCode();
      String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
      if ("NoSuchBucket".equals(code)) {
        return new StorageAccessException(
            "Bucket '"
                + p.authority()
                + "' does not exist"
                + atEndpoint()
                + ": check the table location or the 'endpoint' of "
                + settings.label(),
            e);
      }
      if (status == 404) {
        FileNotFoundException f = new FileNotFoundException("No object " + where);
        f.initCause(e);
        return f;
      }
      if ("InvalidAccessKeyId".equals(code)) {
        return new StorageAccessException(
            "The store does not know the access key id"
                + keyId()
                + " of "
                + settings.label()
                + atEndpoint()
                + ": fix 'accessKeyId'",
            e);
      }
      if ("SignatureDoesNotMatch".equals(code)) {
        return new StorageAccessException(
            "The store rejected the signature made with the secret key of "
                + settings.label()
                + keyId()
                + ": fix 'secretAccessKey' (or 'region' if the store checks it)",
            e);
      }
      if (status == 301
          || "PermanentRedirect".equals(code)
          || "AuthorizationHeaderMalformed".equals(code)) {
        return new StorageAccessException(
            "Bucket '"
                + p.authority()
                + "' is not in region "
                + settings.region()
                + ": set 'region' in "
                + settings.label(),
            e);
      }
      if (status == 403) {
        return new StorageAccessException(
            "Access denied to "
                + action
                + " "
                + where
                + " with "
                + settings.label()
                + keyId()
                + ": grant s3:ListBucket and s3:GetObject on the table's prefix (error "
                + code
                + ")",
            e);
      }
      return new StorageAccessException(
          "S3 answered " + status + " (" + code + ") to " + action + " " + where, e);
    }
    if (e instanceof SdkClientException
        && e.getMessage() != null
        && e.getMessage().contains("credentials")) {
      return new StorageAccessException(
          "No AWS credentials for "
              + settings.label()
              + ": set 'accessKeyId' and 'secretAccessKey' (e.g. as ${env:NAME}) in a storage"
              + " entry, or provide AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an AWS profile or an"
              + " instance role to the server",
          e);
    }
    return new StorageAccessException(
        "Cannot " + action + " " + where + atEndpoint() + ": " + e.getMessage(), e);
  }

  private String atEndpoint() {
    return settings.endpoint() == null ? "" : " at " + settings.endpoint();
  }

  private String keyId() {
    return settings.keyId() == null ? "" : " (access key id " + settings.keyId() + ")";
  }
}
