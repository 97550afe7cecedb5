package io.lakeshare.spark;

import static io.lakeshare.spark.DeltaSharingOptions.ENDING_TIMESTAMP;
import static io.lakeshare.spark.DeltaSharingOptions.ENDING_VERSION;
import static io.lakeshare.spark.DeltaSharingOptions.IGNORE_CHANGES;
import static io.lakeshare.spark.DeltaSharingOptions.IGNORE_DELETES;
import static io.lakeshare.spark.DeltaSharingOptions.MAX_BYTES_PER_TRIGGER;
import static io.lakeshare.spark.DeltaSharingOptions.MAX_FILES_PER_TRIGGER;
import static io.lakeshare.spark.DeltaSharingOptions.MAX_VERSIONS_PER_RPC;
import static io.lakeshare.spark.DeltaSharingOptions.READ_CHANGE_DATA;
import static io.lakeshare.spark.DeltaSharingOptions.READ_CHANGE_FEED;
import static io.lakeshare.spark.DeltaSharingOptions.SKIP_CHANGE_COMMITS;
import static io.lakeshare.spark.DeltaSharingOptions.STARTING_TIMESTAMP;
import static io.lakeshare.spark.DeltaSharingOptions.STARTING_VERSION;
import static io.lakeshare.spark.DeltaSharingOptions.TIMESTAMP_AS_OF;
import static io.lakeshare.spark.DeltaSharingOptions.VERSION_AS_OF;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * The per-read options, parsed and checked: snapshot time travel, change data feed and streaming.
 * Timestamps are resolved in the session time zone and kept as ISO-8601 UTC instants.
 *
 * @param versionAsOf table version to read, or {@code null} for the latest
 * @param timestampAsOf ISO-8601 UTC instant to read as of, or {@code null}
 * @param callerOrg organisation appended to the User-Agent, or {@code null}
 * @param startingVersion first version of a change feed or stream, or {@code null}
 * @param startingLatest stream from the version after the latest ({@code startingVersion=latest})
 * @param maxFilesPerTrigger files per micro-batch, or {@code null} for no file limit
 * @param maxBytesPerTrigger soft bytes per micro-batch, or {@code null}
 * @param responseFormat the answer formats asked of the server
 * @param accessMode how a snapshot read reaches the files
 */
record ReadOptions(
    Long versionAsOf,
    String timestampAsOf,
    String callerOrg,
    boolean readChangeFeed,
    Long startingVersion,
    boolean startingLatest,
    String startingTimestamp,
    Long endingVersion,
    String endingTimestamp,
    Integer maxFilesPerTrigger,
    Long maxBytesPerTrigger,
    int maxVersionsPerRpc,
    boolean ignoreDeletes,
    boolean ignoreChanges,
    boolean skipChangeCommits,
    AnswerFormat responseFormat,
    AccessMode accessMode)
    implements Serializable {

  /** The {@code accessMode} option. */
  enum AccessMode {
    URL,
    DIR,
    AUTO
  }

  static ReadOptions parse(String table, Map<String, String> options, ZoneId sessionZone) {
    String version = get(options, VERSION_AS_OF);
    String timestamp = get(options, TIMESTAMP_AS_OF);
    if (version != null && timestamp != null) {
      throw ConnectorErrors.conflictingOptions(table, VERSION_AS_OF, TIMESTAMP_AS_OF);
    }
    String format = get(options, DeltaSharingOptions.RESPONSE_FORMAT);
    AnswerFormat answerFormat = AnswerFormat.parse(format);
    if (answerFormat == null) {
      throw ConnectorErrors.badOption(
          table,
          DeltaSharingOptions.RESPONSE_FORMAT,
          format,
          "use 'parquet', 'delta' or 'auto' (both; the server picks delta where the table needs"
              + " it)");
    }
    String mode = get(options, DeltaSharingOptions.ACCESS_MODE);
    AccessMode accessMode = accessMode(table, mode);
    boolean cdf =
        bool(table, options, READ_CHANGE_FEED, false)
            || bool(table, options, READ_CHANGE_DATA, false);
    String startV = get(options, STARTING_VERSION);
    String startT = get(options, STARTING_TIMESTAMP);
    if (startV != null && startT != null) {
      throw ConnectorErrors.conflictingOptions(table, STARTING_VERSION, STARTING_TIMESTAMP);
    }
    String endV = get(options, ENDING_VERSION);
    String endT = get(options, ENDING_TIMESTAMP);
    if (endV != null && endT != null) {
      throw ConnectorErrors.conflictingOptions(table, ENDING_VERSION, ENDING_TIMESTAMP);
    }
    if (cdf && (version != null || timestamp != null)) {
      throw ConnectorErrors.conflictingOptions(
          table, READ_CHANGE_FEED, version != null ? VERSION_AS_OF : TIMESTAMP_AS_OF);
    }
    boolean latest = startV != null && startV.trim().equalsIgnoreCase("latest");
    String maxFiles = get(options, MAX_FILES_PER_TRIGGER);
    String maxBytes = get(options, MAX_BYTES_PER_TRIGGER);
    Integer files =
        maxFiles == null ? null : (int) positive(table, MAX_FILES_PER_TRIGGER, maxFiles);
    Long bytes = maxBytes == null ? null : bytes(table, maxBytes);
    if (files == null && bytes == null) {
      files = DeltaSharingOptions.MAX_FILES_PER_TRIGGER_DEFAULT;
    }
    String rpc = get(options, MAX_VERSIONS_PER_RPC);
    return new ReadOptions(
        version == null ? null : nonNegative(table, VERSION_AS_OF, version),
        timestamp == null ? null : iso(table, TIMESTAMP_AS_OF, timestamp, sessionZone),
        get(options, DeltaSharingOptions.CALLER_ORG),
        cdf,
        startV == null || latest ? null : nonNegative(table, STARTING_VERSION, startV),
        latest,
        startT == null ? null : iso(table, STARTING_TIMESTAMP, startT, sessionZone),
        endV == null ? null : nonNegative(table, ENDING_VERSION, endV),
        endT == null ? null : iso(table, ENDING_TIMESTAMP, endT, sessionZone),
        files,
        bytes,
        rpc == null
            ? DeltaSharingOptions.MAX_VERSIONS_PER_RPC_DEFAULT
            : (int) positive(table, MAX_VERSIONS_PER_RPC, rpc),
        bool(table, options, IGNORE_DELETES, false),
        bool(table, options, IGNORE_CHANGES, false),
        bool(table, options, SKIP_CHANGE_COMMITS, false),
        answerFormat,
        accessMode);
  }

  private static AccessMode accessMode(String table, String text) {
    if (text == null) {
      return AccessMode.URL;
    }
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "url" -> {
        return AccessMode.URL;
      }
      case "dir" -> {
        return AccessMode.DIR;
      }
      case "auto" -> {
        return AccessMode.AUTO;
      }
      default ->
          throw ConnectorErrors.badOption(
              table,
              DeltaSharingOptions.ACCESS_MODE,
              text,
              "use 'url' (pre-signed file URLs), 'dir' (temporary credentials for the table's"
                  + " directory) or 'auto' (dir where the server offers it)");
    }
  }

  /** Checks what a batch read accepts. */
  void checkBatch(String table) {
    if (readChangeFeed) {
      if (startingLatest) {
        throw ConnectorErrors.badOption(
            table, STARTING_VERSION, "latest", "'latest' is only for streams");
      }
      if (startingVersion == null && startingTimestamp == null) {
        throw ConnectorErrors.badOption(
            table,
            READ_CHANGE_FEED,
            "true",
            "a batch change data feed read needs startingVersion or startingTimestamp");
      }
      if (endingVersion != null && startingVersion != null && endingVersion < startingVersion) {
        throw ConnectorErrors.badOption(
            table,
            ENDING_VERSION,
            String.valueOf(endingVersion),
            "it is before startingVersion " + startingVersion);
      }
    }
  }

  /** Checks what a stream accepts. */
  void checkStreaming(String table) {
    if (versionAsOf != null || timestampAsOf != null) {
      throw ConnectorErrors.unsupportedOption(
          table,
          versionAsOf != null ? VERSION_AS_OF : TIMESTAMP_AS_OF,
          "time travel is for batch reads; use startingVersion or startingTimestamp in a stream.");
    }
    if (endingVersion != null || endingTimestamp != null) {
      throw ConnectorErrors.unsupportedOption(
          table,
          endingVersion != null ? ENDING_VERSION : ENDING_TIMESTAMP,
          "a stream has no end; use a batch change data feed read for a closed range.");
    }
  }

  private static boolean bool(String table, Map<String, String> options, String key, boolean dflt) {
    String v = get(options, key);
    if (v == null) {
      return dflt;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false")) {
      return Boolean.parseBoolean(t);
    }
    throw ConnectorErrors.badOption(table, key, v, "expected true or false");
  }

  private static long nonNegative(String table, String key, String text) {
    try {
      long v = Long.parseLong(text.trim());
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ConnectorErrors.badOption(table, key, text, "expected an integer >= 0");
  }

  private static long positive(String table, String key, String text) {
    try {
      long v = Long.parseLong(text.trim());
      if (v > 0 && v <= Integer.MAX_VALUE) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ConnectorErrors.badOption(table, key, text, "expected a positive integer");
  }

  /** A size such as {@code 1048576}, {@code 512k}, {@code 10m}, {@code 10g} or {@code 1t}. */
  static long bytes(String table, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    long unit = 1;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        case 't' -> unit = 1L << 40;
        default -> unit = 1;
      }
    }
    if (unit > 1) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      long v = Long.parseLong(t.trim());
      if (v > 0) {
        return Math.multiplyExact(v, unit);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // reported below
    }
    throw ConnectorErrors.badOption(
        table, MAX_BYTES_PER_TRIGGER, text, "expected a positive size such as 512m or 10g");
  }

  private static String iso(String table, String key, String text, ZoneId zone) {
    Instant at = parseTimestamp(text, zone);
    if (at == null) {
      throw ConnectorErrors.badOption(
          table,
          key,
          text,
          "expected a timestamp such as 2024-05-01, 2024-05-01 12:30:00 (session time zone "
              + zone
              + ") or 2024-05-01T12:30:00Z");
    }
    return DateTimeFormatter.ISO_INSTANT.format(at);
  }

  /** Parses a timestamp the way users write them; a zoneless one is in {@code zone}. */
  static Instant parseTimestamp(String text, ZoneId zone) {
    String t = text.trim();
    if (t.length() > 10 && t.charAt(10) == ' ') {
      t = t.substring(0, 10) + 'T' + t.substring(11);
    }
    if (t.endsWith(" UTC")) {
      t = t.substring(0, t.length() - 4) + 'Z';
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeException e) {
      // try the next form
    }
    try {
      return ZonedDateTime.parse(t).toInstant();
    } catch (DateTimeException e) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(t).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      // try the next form
    }
    try {
      return LocalDate.parse(t).atStartOfDay(zone).toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  static String get(Map<String, String> options, String key) {
    String v = options.get(key);
    if (v == null) {
      v = options.get(key.toLowerCase(Locale.ROOT));
    }
    return v;
  }
}
