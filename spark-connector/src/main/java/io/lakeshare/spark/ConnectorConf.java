package io.lakeshare.spark;

import static io.lakeshare.spark.DeltaSharingOptions.CONF_ACCESS_THRESHOLD;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_ACCESS_THRESHOLD_DEFAULT_MS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_ASYNC_QUERY_RETRY_INTERVAL;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_ASYNC_QUERY_RETRY_INTERVAL_DEFAULT_MS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_ASYNC_QUERY_TIMEOUT;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_ASYNC_QUERY_TIMEOUT_DEFAULT_MS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_JSON_HINTS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_JSON_HINTS_DEFAULT;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_JSON_V2_HINTS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_JSON_V2_HINTS_DEFAULT;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_LIMIT_PUSHDOWN;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_LIMIT_PUSHDOWN_DEFAULT;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_MAX_CONNECTIONS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_MAX_CONNECTIONS_DEFAULT;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_MAX_FILES_PER_QUERY;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_MAX_FILES_PER_QUERY_DEFAULT;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_MAX_RETRY_DURATION;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_MAX_RETRY_DURATION_DEFAULT_MS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_NUM_RETRIES;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_NUM_RETRIES_DEFAULT;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_QUERY_PAGINATION;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_QUERY_PAGINATION_DEFAULT;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_REFRESH_CHECK_INTERVAL;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_REFRESH_CHECK_INTERVAL_DEFAULT_MS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_REFRESH_THRESHOLD;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_REFRESH_THRESHOLD_DEFAULT_MS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_RETRY_SLEEP;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_RETRY_SLEEP_DEFAULT_MS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_STREAMING_VERSION_INTERVAL;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_STREAMING_VERSION_INTERVAL_DEFAULT_MS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_STREAMING_VERSION_INTERVAL_MIN_MS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_TIMEOUT;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_TIMEOUT_DEFAULT_MS;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_USE_ASYNC_QUERY;
import static io.lakeshare.spark.DeltaSharingOptions.CONF_USE_ASYNC_QUERY_DEFAULT;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The connector's Spark confs ({@code spark.delta.sharing.*}), parsed and checked once. */
record ConnectorConf(
    int numRetries,
    Duration maxRetryDuration,
    Duration retrySleep,
    Duration timeout,
    int maxConnections,
    boolean pagination,
    int maxFilesPerQuery,
    boolean jsonHints,
    boolean jsonV2Hints,
    boolean limitPushdown,
    Duration refreshCheckInterval,
    Duration refreshThreshold,
    Duration accessThreshold,
    Duration streamingVersionInterval,
    boolean useAsyncQuery,
    Duration asyncQueryRetryInterval,
    Duration asyncQueryTimeout)
    implements Serializable {

  static ConnectorConf from(Map<String, String> conf) {
    Function<String, String> get = conf::get;
    return new ConnectorConf(
        intAtLeast(get, CONF_NUM_RETRIES, CONF_NUM_RETRIES_DEFAULT, 0),
        duration(get, CONF_MAX_RETRY_DURATION, CONF_MAX_RETRY_DURATION_DEFAULT_MS, MS),
        duration(get, CONF_RETRY_SLEEP, CONF_RETRY_SLEEP_DEFAULT_MS, MS),
        duration(get, CONF_TIMEOUT, CONF_TIMEOUT_DEFAULT_MS, TimeUnit.SECONDS),
        intAtLeast(get, CONF_MAX_CONNECTIONS, CONF_MAX_CONNECTIONS_DEFAULT, 1),
        bool(get, CONF_QUERY_PAGINATION, CONF_QUERY_PAGINATION_DEFAULT),
        intAtLeast(get, CONF_MAX_FILES_PER_QUERY, CONF_MAX_FILES_PER_QUERY_DEFAULT, 1),
        bool(get, CONF_JSON_HINTS, CONF_JSON_HINTS_DEFAULT),
        bool(get, CONF_JSON_V2_HINTS, CONF_JSON_V2_HINTS_DEFAULT),
        bool(get, CONF_LIMIT_PUSHDOWN, CONF_LIMIT_PUSHDOWN_DEFAULT),
        duration(get, CONF_REFRESH_CHECK_INTERVAL, CONF_REFRESH_CHECK_INTERVAL_DEFAULT_MS, MS),
        duration(get, CONF_REFRESH_THRESHOLD, CONF_REFRESH_THRESHOLD_DEFAULT_MS, MS),
        duration(get, CONF_ACCESS_THRESHOLD, CONF_ACCESS_THRESHOLD_DEFAULT_MS, MS),
        versionInterval(get),
        bool(get, CONF_USE_ASYNC_QUERY, CONF_USE_ASYNC_QUERY_DEFAULT),
        duration(
            get,
            CONF_ASYNC_QUERY_RETRY_INTERVAL,
            CONF_ASYNC_QUERY_RETRY_INTERVAL_DEFAULT_MS,
            TimeUnit.SECONDS),
        duration(
            get, CONF_ASYNC_QUERY_TIMEOUT, CONF_ASYNC_QUERY_TIMEOUT_DEFAULT_MS, TimeUnit.SECONDS));
  }

  private static Duration versionInterval(Function<String, String> get) {
    Duration d =
        duration(
            get,
            CONF_STREAMING_VERSION_INTERVAL,
            CONF_STREAMING_VERSION_INTERVAL_DEFAULT_MS,
            TimeUnit.SECONDS);
    if (d.toMillis() < CONF_STREAMING_VERSION_INTERVAL_MIN_MS) {
      throw ConnectorErrors.badConf(
          CONF_STREAMING_VERSION_INTERVAL,
          get.apply(CONF_STREAMING_VERSION_INTERVAL),
          "at least 10 seconds, so that streams do not flood the sharing server");
    }
    return d;
  }

  private static final TimeUnit MS = TimeUnit.MILLISECONDS;

  /** Retry settings of the data-file readers. */
  io.lakeshare.spark.read.HttpReadSettings readSettings() {
    return new io.lakeshare.spark.read.HttpReadSettings(numRetries, maxRetryDuration, retrySleep);
  }

  private static int intAtLeast(Function<String, String> get, String key, int dflt, int min) {
    String v = get.apply(key);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ConnectorErrors.badConf(key, v, "an integer >= " + min);
  }

  private static boolean bool(Function<String, String> get, String key, boolean dflt) {
    String v = get.apply(key);
    if (v == null) {
      return dflt;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false")) {
      return Boolean.parseBoolean(t);
    }
    throw ConnectorErrors.badConf(key, v, "true or false");
  }

  private static Duration duration(
      Function<String, String> get, String key, long dfltMs, TimeUnit bareUnit) {
    String v = get.apply(key);
    if (v == null) {
      return Duration.ofMillis(dfltMs);
    }
    Duration d = parseDuration(v, bareUnit);
    if (d == null || d.isNegative() || d.isZero()) {
      throw ConnectorErrors.badConf(key, v, "a positive duration such as 500ms, 30s, 10m or 1h");
    }
    return d;
  }

  /** Spark-style time string: a number with an optional unit; {@code null} when malformed. */
  static Duration parseDuration(String text, TimeUnit bareUnit) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i))) {
      i++;
    }
    if (i == 0 || i > 18) {
      return null;
    }
    long n = Long.parseLong(t.substring(0, i));
    String unit = t.substring(i).trim();
    return switch (unit) {
      case "" -> Duration.ofMillis(bareUnit.toMillis(n));
      case "ms" -> Duration.ofMillis(n);
      case "s", "sec" -> Duration.ofSeconds(n);
      case "m", "min" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> null;
    };
  }
}
