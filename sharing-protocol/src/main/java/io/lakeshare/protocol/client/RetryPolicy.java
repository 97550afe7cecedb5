package io.lakeshare.protocol.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.hc.client5.http.ClientProtocolException;

/**
 * When and how long to wait before trying a call again: exponential backoff with jitter on 429, 5xx
 * and transient I/O failures, bounded by a retry count and a total time budget (CONFORMANCE §6.2,
 * REF-CLIENT RetryUtils).
 */
record RetryPolicy(
    int maxRetries, Duration maxRetryDuration, Duration initialBackoff, Duration maxBackoff) {

  static boolean isRetryableStatus(int status) {
    return status == 429 || (status >= 500 && status <= 599);
  }

  static boolean isRetryable(IOException e) {
    if (e instanceof UnknownHostException
        || e instanceof SSLHandshakeException
        || e instanceof SSLPeerUnverifiedException
        || e instanceof ClientProtocolException) {
      // Configuration or protocol problems do not heal by waiting.
      return false;
    }
    if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
      return false;
    }
    return !Thread.currentThread().isInterrupted();
  }

  /** Delay before retry number {@code retry} (0-based), at least {@code serverHint} if given. */
  Duration delay(int retry, Duration serverHint) {
    long base = initialBackoff.toMillis() << Math.min(retry, 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    // +-20% so that many clients failing together do not retry in lockstep.
    long jittered = (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    long hint = serverHint == null ? 0 : serverHint.toMillis();
    return Duration.ofMillis(Math.max(jittered, hint));
  }

  /** Whether retry number {@code retry} fits the count and the time budget. */
  boolean allows(int retry, Duration elapsed, Duration delay) {
    return retry < maxRetries && elapsed.plus(delay).compareTo(maxRetryDuration) <= 0;
  }
}
