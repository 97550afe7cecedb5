package io.lakeshare.protocol.model;

/** Header names, content types and path pieces of the Delta Sharing REST protocol. */
public final class ProtocolConstants {
  private ProtocolConstants() {}

  public static final String HEADER_TABLE_VERSION = "Delta-Table-Version";
  public static final String HEADER_CAPABILITIES = "delta-sharing-capabilities";
  public static final String HEADER_FILE_ID_HASH = "fileidhash";

  public static final String CONTENT_TYPE_JSON = "application/json; charset=utf-8";
  public static final String CONTENT_TYPE_NDJSON = "application/x-ndjson; charset=utf-8";

  public static final String DEFAULT_ENDPOINT_PREFIX = "/delta-sharing";

  public static final String PATH_SHARES = "shares";
  public static final String PATH_SCHEMAS = "schemas";
  public static final String PATH_TABLES = "tables";
  public static final String PATH_ALL_TABLES = "all-tables";
  public static final String PATH_VERSION = "version";
  public static final String PATH_METADATA = "metadata";
  public static final String PATH_QUERY = "query";
  public static final String PATH_CHANGES = "changes";
  public static final String PATH_TEMPORARY_CREDENTIALS = "temporary-table-credentials";

  public static final String PARAM_MAX_RESULTS = "maxResults";
  public static final String PARAM_PAGE_TOKEN = "pageToken";
  public static final String PARAM_STARTING_TIMESTAMP = "startingTimestamp";
  public static final String PARAM_VERSION = "version";
  public static final String PARAM_TIMESTAMP = "timestamp";
  public static final String PARAM_STARTING_VERSION = "startingVersion";
  public static final String PARAM_ENDING_VERSION = "endingVersion";
  public static final String PARAM_ENDING_TIMESTAMP = "endingTimestamp";
  public static final String PARAM_INCLUDE_HISTORICAL_METADATA = "includeHistoricalMetadata";
  public static final String PARAM_MAX_FILES = "maxFiles";

  public static final String FORMAT_PARQUET = "parquet";
  public static final String FORMAT_DELTA = "delta";
}
