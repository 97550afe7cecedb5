package io.lakeshare.spark.read;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Retry settings for reading a remote file: how many retries without progress, how long they may
 * take in total, and the first backoff (doubled per retry, capped at {@link #MAX_BACKOFF}).
 */
public record HttpReadSettings(int numRetries, Duration maxRetryDuration, Duration initialBackoff)
    implements Serializable {

  /** Upper bound of a single backoff sleep. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** Three retries within ten minutes, starting at one second. */
  public static final HttpReadSettings DEFAULTS =
      new HttpReadSettings(3, Duration.ofMinutes(10), Duration.ofSeconds(1));

  /** Validates the settings. */
  public HttpReadSettings {
    Objects.requireNonNull(maxRetryDuration, "maxRetryDuration");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    if (numRetries < 0) {
      throw new IllegalArgumentException("numRetries must be >= 0, got " + numRetries);
    }
    if (maxRetryDuration.isNegative() || initialBackoff.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  /** Backoff before retry number {@code attempt} (1-based), before jitter. */
  Duration backoff(int attempt) {
    Duration delay = initialBackoff;
    for (int i = 1; i < attempt && !delay.isZero() && delay.compareTo(MAX_BACKOFF) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
  }
}
