package io.lakeshare.server.ops;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per recipient: {@code burst} requests at once, refilled at {@code perSecond}. A
 * request over the limit is told how many whole seconds to wait (the {@code Retry-After} of its
 * 429), so one busy recipient cannot take the server from the others.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  private final class Bucket {
    private double tokens = burst;
    private long updated = nanoTime.getAsLong();

    synchronized long take() {
      long now = nanoTime.getAsLong();
      tokens = Math.min(burst, tokens + (now - updated) / 1e9 * perSecond);
      updated = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }
  }

  /** 0 when {@code recipient} may make a request now, else the seconds until it may. */
  public long acquire(String recipient) {
    return buckets.computeIfAbsent(recipient.toLowerCase(Locale.ROOT), k -> new Bucket()).take();
  }
}
