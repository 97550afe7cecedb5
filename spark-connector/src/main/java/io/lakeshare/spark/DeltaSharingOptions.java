package io.lakeshare.spark;

/**
 * Reader option names of the {@code deltaSharing} source and the Spark confs it reads. The names
 * and defaults are those of the reference Delta Sharing connector, so existing jobs keep working
 * when only the package coordinates change.
 */
public final class DeltaSharingOptions {
  private DeltaSharingOptions() {}

  /** Read the table as of this version (batch only; not with {@link #TIMESTAMP_AS_OF}). */
  public static final String VERSION_AS_OF = "versionAsOf";

  /** Read the table as of this timestamp, in the session time zone unless it carries one. */
  public static final String TIMESTAMP_AS_OF = "timestampAsOf";

  /** Read the change data feed instead of a snapshot. */
  public static final String READ_CHANGE_FEED = "readChangeFeed";

  /** Alias of {@link #READ_CHANGE_FEED}. */
  public static final String READ_CHANGE_DATA = "readChangeData";

  /**
   * Answer format asked of the server: {@code parquet}, {@code delta}, or {@code auto} (default):
   * both, so the server answers delta exactly for tables that need it (deletion vectors, column
   * mapping) and the user never has to know which.
   */
  public static final String RESPONSE_FORMAT = "responseFormat";

  public static final String RESPONSE_FORMAT_DEFAULT = "auto";

  /**
   * How a snapshot read reaches the files: {@code url} (default) through the pre-signed URLs the
   * server lists per query; {@code dir} through temporary credentials for the table's directory
   * (the log is then read here with Delta Kernel, E11); {@code auto}: dir where the server vends
   * credentials for the table, else url.
   */
  public static final String ACCESS_MODE = "accessMode";

  public static final String ACCESS_MODE_DEFAULT = "url";

  /** Organisation name appended to the User-Agent. */
  public static final String CALLER_ORG = "callerOrg";

  /** Profile given as options instead of a file: its version. */
  public static final String SHARE_CREDENTIALS_VERSION = "shareCredentialsVersion";

  /**
   * Profile given as options: its type ({@code bearer_token}, {@code oauth_client_credentials}).
   */
  public static final String PROFILE_TYPE = "type";

  /** Profile given as options: the server endpoint. */
  public static final String ENDPOINT = "endpoint";

  /** Profile given as options: the bearer token. */
  public static final String BEARER_TOKEN = "bearerToken";

  /** Profile given as options: when the bearer token expires (ISO-8601). */
  public static final String EXPIRATION_TIME = "expirationTime";

  /** Profile given as options: OAuth token endpoint. */
  public static final String TOKEN_ENDPOINT = "tokenEndpoint";

  /** Profile given as options: OAuth client id. */
  public static final String CLIENT_ID = "clientId";

  /** Profile given as options: OAuth client secret. */
  public static final String CLIENT_SECRET = "clientSecret";

  /** Profile given as options: OAuth scope. */
  public static final String SCOPE = "scope";

  /** First version of a change feed or stream (inclusive); {@code latest} for streams. */
  public static final String STARTING_VERSION = "startingVersion";

  /** First commit at or after this time starts a change feed or stream. */
  public static final String STARTING_TIMESTAMP = "startingTimestamp";

  /** Last version of a batch change feed (inclusive); default the latest. */
  public static final String ENDING_VERSION = "endingVersion";

  /** Last commit at or before this time ends a batch change feed. */
  public static final String ENDING_TIMESTAMP = "endingTimestamp";

  /** Most files per micro-batch. */
  public static final String MAX_FILES_PER_TRIGGER = "maxFilesPerTrigger";

  /** Used when neither {@link #MAX_FILES_PER_TRIGGER} nor {@link #MAX_BYTES_PER_TRIGGER} is set. */
  public static final int MAX_FILES_PER_TRIGGER_DEFAULT = 1000;

  /** Soft maximum of bytes per micro-batch, such as {@code 10g} (at least one file is read). */
  public static final String MAX_BYTES_PER_TRIGGER = "maxBytesPerTrigger";

  /** Versions fetched per server request by a stream. */
  public static final String MAX_VERSIONS_PER_RPC = "maxVersionsPerRpc";

  public static final int MAX_VERSIONS_PER_RPC_DEFAULT = 100;

  /** A stream skips commits that only delete data instead of failing. */
  public static final String IGNORE_DELETES = "ignoreDeletes";

  /** A stream re-reads the new files of commits that rewrote data instead of failing. */
  public static final String IGNORE_CHANGES = "ignoreChanges";

  /** A stream skips every commit that removed data, including its new files. */
  public static final String SKIP_CHANGE_COMMITS = "skipChangeCommits";

  /** Prefix of the connector's Spark confs. */
  public static final String CONF_PREFIX = "spark.delta.sharing.";

  /** Retries of a failed HTTP call after the first attempt. */
  public static final String CONF_NUM_RETRIES = CONF_PREFIX + "network.numRetries";

  public static final int CONF_NUM_RETRIES_DEFAULT = 3;

  /** Longest total time spent retrying one call, in seconds (or a duration string). */
  public static final String CONF_MAX_RETRY_DURATION = CONF_PREFIX + "network.maxRetryDuration";

  public static final long CONF_MAX_RETRY_DURATION_DEFAULT_MS = 10 * 60 * 1000L;

  /** First wait between retries; doubled for each next one. */
  public static final String CONF_RETRY_SLEEP = CONF_PREFIX + "network.retrySleepInterval";

  public static final long CONF_RETRY_SLEEP_DEFAULT_MS = 1000L;

  /** Socket timeout of the HTTP calls. */
  public static final String CONF_TIMEOUT = CONF_PREFIX + "network.timeout";

  public static final long CONF_TIMEOUT_DEFAULT_MS = 320 * 1000L;

  /** Most pooled HTTP connections per JVM. */
  public static final String CONF_MAX_CONNECTIONS = CONF_PREFIX + "network.maxConnections";

  public static final int CONF_MAX_CONNECTIONS_DEFAULT = 64;

  /** Ask the server for pages of at most {@link #CONF_MAX_FILES_PER_QUERY} files. */
  public static final String CONF_QUERY_PAGINATION = CONF_PREFIX + "queryPagination.enabled";

  public static final boolean CONF_QUERY_PAGINATION_DEFAULT = false;

  /** Page size when pagination is on. */
  public static final String CONF_MAX_FILES_PER_QUERY = CONF_PREFIX + "maxFilesPerQueryRequest";

  public static final int CONF_MAX_FILES_PER_QUERY_DEFAULT = 100_000;

  /** Send {@code jsonPredicateHints} built from partition filters. */
  public static final String CONF_JSON_HINTS = CONF_PREFIX + "jsonPredicateHints.enabled";

  public static final boolean CONF_JSON_HINTS_DEFAULT = true;

  /** Include data-column filters in {@code jsonPredicateHints}. */
  public static final String CONF_JSON_V2_HINTS = CONF_PREFIX + "jsonPredicateV2Hints.enabled";

  public static final boolean CONF_JSON_V2_HINTS_DEFAULT = true;

  /** Send {@code limitHint} for a LIMIT directly over the scan. */
  public static final String CONF_LIMIT_PUSHDOWN = CONF_PREFIX + "limitPushdown.enabled";

  public static final boolean CONF_LIMIT_PUSHDOWN_DEFAULT = true;

  /** How often the driver looks for URLs that need refreshing. */
  public static final String CONF_REFRESH_CHECK_INTERVAL =
      CONF_PREFIX + "driver.refreshCheckIntervalMs";

  public static final long CONF_REFRESH_CHECK_INTERVAL_DEFAULT_MS = 60 * 1000L;

  /** The driver refreshes URLs that expire within this time (or half their life, if shorter). */
  public static final String CONF_REFRESH_THRESHOLD = CONF_PREFIX + "driver.refreshThresholdMs";

  public static final long CONF_REFRESH_THRESHOLD_DEFAULT_MS = 15 * 60 * 1000L;

  /** URLs of a scan not used for this long are forgotten. */
  public static final String CONF_ACCESS_THRESHOLD =
      CONF_PREFIX + "driver.accessThresholdToExpireMs";

  public static final long CONF_ACCESS_THRESHOLD_DEFAULT_MS = 60 * 60 * 1000L;

  /**
   * Plan snapshot reads with asynchronous queries (E8 {@code asyncquery=true}, then E10 polls): for
   * tables whose planning takes longer than a request should stay open.
   */
  public static final String CONF_USE_ASYNC_QUERY = CONF_PREFIX + "network.useAsyncQuery";

  public static final boolean CONF_USE_ASYNC_QUERY_DEFAULT = false;

  /** Longest wait between polls of an asynchronous query (polls start faster and back off). */
  public static final String CONF_ASYNC_QUERY_RETRY_INTERVAL =
      CONF_PREFIX + "network.asyncQueryRetryInterval";

  public static final long CONF_ASYNC_QUERY_RETRY_INTERVAL_DEFAULT_MS = 10_000L;

  /** How long an asynchronous query may stay pending before the read fails. */
  public static final String CONF_ASYNC_QUERY_TIMEOUT = CONF_PREFIX + "network.asyncQueryTimeout";

  public static final long CONF_ASYNC_QUERY_TIMEOUT_DEFAULT_MS = 10 * 60 * 1000L;

  /** How often a stream asks the server for the table version, in seconds (at least 10). */
  public static final String CONF_STREAMING_VERSION_INTERVAL =
      CONF_PREFIX + "streaming.queryTableVersionIntervalSeconds";

  public static final long CONF_STREAMING_VERSION_INTERVAL_DEFAULT_MS = 30_000L;

  /** Lowest accepted polling interval. */
  public static final long CONF_STREAMING_VERSION_INTERVAL_MIN_MS = 10_000L;
}
