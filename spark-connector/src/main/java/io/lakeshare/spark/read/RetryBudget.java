package io.lakeshare.spark.read;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failures since the last real progress of one read: retries (with backoff) for transient
 * errors and URL refreshes for rejected signatures. Progress of at least {@link
 * #PROGRESS_THAT_RESETS} bytes since the last failure resets both counters and the retry clock; a
 * few bytes do not, or a store that sends a little on every connection and then stalls would be
 * retried without end, one network timeout each.
 */
final class RetryBudget {

  /** Consecutive refreshes without progress after which a rejection is final. */
  static final int MAX_REFRESHES = 3;

  /** Bytes delivered since the last failure that make later failures start a fresh budget. */
  static final long PROGRESS_THAT_RESETS = 1L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(RetryBudget.class);

  private final HttpReadSettings settings;
  private final String displayName;
  private int retries;
  private int refreshes;
  private long firstFailureNanos;
  private long sinceFailure;

  RetryBudget(HttpReadSettings settings, String displayName) {
    this.settings = settings;
    this.displayName = displayName;
  }

  /** {@code bytes} were delivered; enough of them since the last failure renew the budget. */
  void onProgress(long bytes) {
    sinceFailure += bytes;
    if (sinceFailure >= PROGRESS_THAT_RESETS) {
      retries = 0;
      refreshes = 0;
    }
  }

  /**
   * Sleeps before retrying at {@code offset}, or throws when the retries are used up.
   *
   * @param lastError a description of the failure without secrets
   */
  void beforeRetry(long offset, String lastError, Throwable cause) throws IOException {
    long now = System.nanoTime();
    sinceFailure = 0;
    if (retries == 0) {
      firstFailureNanos = now;
    }
    Duration elapsed = Duration.ofNanos(now - firstFailureNanos);
    Duration left = settings.maxRetryDuration().minus(elapsed);
    if (retries >= settings.numRetries() || left.isNegative() || left.isZero()) {
      throw new IOException(
          "Failed to read "
              + displayName
              + " at offset "
              + offset
              + " after "
              + retries
              + " retries in "
              + elapsed.toMillis()
              + " ms; last error: "
              + lastError,
          cause);
    }
    retries++;
    long delay = jittered(settings.backoff(retries));
    LOG.info(
        "Retrying read of {} at offset {} in {} ms (retry {} of {}) after: {}",
        displayName,
        offset,
        delay / 1_000_000,
        retries,
        settings.numRetries(),
        lastError);
    sleep(delay, left);
  }

  /** Counts a refresh; throws when the storage keeps rejecting fresh URLs without progress. */
  void beforeRefresh(long offset, int status, String redactedUrl) throws IOException {
    if (refreshes >= MAX_REFRESHES) {
      throw new IOException(
          "Cannot read "
              + displayName
              + " at offset "
              + offset
              + ": storage answered HTTP "
              + status
              + " for "
              + redactedUrl
              + " even after "
              + refreshes
              + " URL refreshes");
    }
    refreshes++;
    sinceFailure = 0;
  }

  int retries() {
    return retries;
  }

  // Between half and all of the nominal delay, so that many tasks hitting one store spread out.
  private static long jittered(Duration delay) {
    long nanos = delay.toNanos();
    if (nanos <= 1) {
      return nanos;
    }
    return nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1);
  }

  private static void sleep(long nanos, Duration left) throws IOException {
    long capped = Math.min(nanos, left.toNanos());
    if (capped <= 0) {
      return;
    }
    try {
      Thread.sleep(capped / 1_000_000, (int) (capped % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting to retry a read");
    }
  }
}
