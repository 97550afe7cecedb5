package io.lakeshare.server.storage.gcs;

import com.google.cloud.BaseServiceException;
import com.google.cloud.storage.StorageException;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.StorageAccessException;
import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * Turns Cloud Storage failures into messages an operator can act on: what failed, for which bucket
 * and settings, and what to change. Secrets never appear; the service account's e-mail (not a
 * secret) may.
 */
final class GcsErrors {
  private final String label;
  private final String account;
  private final String endpoint;

  /**
   * @param account the service account's e-mail, or null when the credential has none
   * @param endpoint the configured emulator endpoint, or null for Google
   */
  GcsErrors(String label, String account, String endpoint) {
    this.label = label;
    this.account = account;
    this.endpoint = endpoint;
  }

  IOException translate(StorageException e, BlobPath p, String action) {
    String where = "gs://" + p.authority() + "/" + p.key();
    int code = e.getCode();
    String reason = e.getReason();
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (code == 404 && (action.equals("list") || message.contains("bucket does not exist"))) {
      return new StorageAccessException(
          "Bucket '"
              + p.authority()
              + "' does not exist"
              + atEndpoint()
              + ": check the table location or the 'endpoint' of "
              + label,
          e);
    }
    if (code == 404) {
      FileNotFoundException f = new FileNotFoundException("No object " + where);
      f.initCause(e);
      return f;
    }
    if (code == 401 || isTokenFailure(e)) {
      return new StorageAccessException(
          "Cloud Storage did not accept the credential of "
              + label
              + who()
              + ": check that the service-account key is active (not deleted or disabled) and"
              + " that the server's clock is right",
          e);
    }
    if (code == 403) {
      return new StorageAccessException(
          "Access denied to "
              + action
              + " "
              + where
              + " with "
              + label
              + who()
              + ": grant the service account roles/storage.objectViewer (storage.objects.list and"
              + " storage.objects.get) on the bucket (reason "
              + reason
              + ")",
          e);
    }
    if (code == 0 || code == BaseServiceException.UNKNOWN_CODE) {
      return new StorageAccessException(
          "Cannot "
              + action
              + " "
              + where
              + atEndpoint()
              + " with "
              + label
              + ": "
              + rootMessage(e),
          e);
    }
    return new StorageAccessException(
        "Cloud Storage answered "
            + code
            + " ("
            + reason
            + ") to "
            + action
            + " "
            + where
            + atEndpoint(),
        e);
  }

  /** An OAuth token could not be obtained: the key was revoked, or the clock is off. */
  private static boolean isTokenFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("invalid_grant") || m.contains("Error getting access token"))) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : " " + root.getMessage());
  }

  private String atEndpoint() {
    return endpoint == null ? "" : " at " + endpoint;
  }

  private String who() {
    return account == null ? "" : " (service account " + account + ")";
  }
}
