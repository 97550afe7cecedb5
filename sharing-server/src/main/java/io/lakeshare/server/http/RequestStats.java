package io.lakeshare.server.http;

/**
 * How many requests of one endpoint a server answered since it started, and their total handling
 * time (from the start of handling to the end of the response, errors included).
 */
public record RequestStats(long count, long totalNanos) {

  /** Mean handling time in milliseconds, 0 when there was no request. */
  public double meanMillis() {
    return count == 0 ? 0 : totalNanos / 1e6 / count;
  }
}
