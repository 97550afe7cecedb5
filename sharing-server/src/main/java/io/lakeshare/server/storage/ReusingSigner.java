package io.lakeshare.server.storage;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hands out a file's last signed URL again while more than half of the configured validity remains
 * on it, so that repeated queries of a table (and every page of a paged one) do not sign every file
 * anew. A URL handed out always has more than half the validity the server promises ({@code
 * preSignedUrlTimeoutSeconds}) left, and its {@code expirationTimestamp} is its own.
 *
 * <p>Only files the wrapped signer accepted are remembered, so its checks (a file outside the table
 * is refused) still apply to every file. The memory is bounded by a number of URLs per table; the
 * oldest are forgotten first. A configuration reload starts with new signers.
 */
public final class ReusingSigner implements FileSigner {
  private final FileSigner signer;
  private final long minRemainingMillis;
  private final Clock clock;
  private final Map<String, SignedUrl> recent;

  public ReusingSigner(FileSigner signer, Duration validity, Clock clock, int maxUrls) {
    this.signer = signer;
    this.minRemainingMillis = validity.toMillis() / 2;
    this.clock = clock;
    this.recent =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, SignedUrl> eldest) {
            return size() > maxUrls;
          }
        };
  }

  @Override
  public SignedUrl sign(String fileUri) {
    long now = clock.millis();
    synchronized (recent) {
      SignedUrl known = recent.get(fileUri);
      if (known != null && known.expirationTimestampMillis() - now > minRemainingMillis) {
        return known;
      }
    }
    SignedUrl fresh = signer.sign(fileUri);
    synchronized (recent) {
      recent.put(fileUri, fresh);
    }
    return fresh;
  }
}
