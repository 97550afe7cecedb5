package io.lakeshare.spark;

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
 * The per-read options of a batch snapshot read, validated.
 *
 * @param versionAsOf table version to read, or {@code null} for the latest
 * @param timestampAsOf ISO-8601 UTC instant to read as of, or {@code null}
 * @param callerOrg organisation appended to the User-Agent, or {@code null}
 */
record ReadOptions(Long versionAsOf, String timestampAsOf, String callerOrg)
    implements Serializable {

  static ReadOptions parse(String table, Map<String, String> options, ZoneId sessionZone) {
    String version = get(options, DeltaSharingOptions.VERSION_AS_OF);
    String timestamp = get(options, DeltaSharingOptions.TIMESTAMP_AS_OF);
    if (version != null && timestamp != null) {
      throw ConnectorErrors.conflictingOptions(
          table, DeltaSharingOptions.VERSION_AS_OF, DeltaSharingOptions.TIMESTAMP_AS_OF);
    }
    String cdf = get(options, DeltaSharingOptions.READ_CHANGE_FEED);
    if (cdf == null) {
      cdf = get(options, DeltaSharingOptions.READ_CHANGE_DATA);
    }
    if (cdf != null && cdf.trim().equalsIgnoreCase("true")) {
      throw ConnectorErrors.unsupportedOption(
          table,
          DeltaSharingOptions.READ_CHANGE_FEED,
          "change data feed reads are not available in this version of the connector.");
    }
    String format = get(options, DeltaSharingOptions.RESPONSE_FORMAT);
    if (format != null
        && !format.trim().equalsIgnoreCase(DeltaSharingOptions.RESPONSE_FORMAT_DEFAULT)) {
      throw ConnectorErrors.badOption(
          table,
          DeltaSharingOptions.RESPONSE_FORMAT,
          format,
          "only 'parquet' answers are read by this version of the connector");
    }
    Long v = null;
    if (version != null) {
      try {
        v = Long.parseLong(version.trim());
      } catch (NumberFormatException e) {
        v = -1L;
      }
      if (v < 0) {
        throw ConnectorErrors.badOption(
            table, DeltaSharingOptions.VERSION_AS_OF, version, "expected an integer >= 0");
      }
    }
    String ts = null;
    if (timestamp != null) {
      Instant at = parseTimestamp(timestamp, sessionZone);
      if (at == null) {
        throw ConnectorErrors.badOption(
            table,
            DeltaSharingOptions.TIMESTAMP_AS_OF,
            timestamp,
            "expected a timestamp such as 2024-05-01, 2024-05-01 12:30:00 (session time zone "
                + sessionZone
                + ") or 2024-05-01T12:30:00Z");
      }
      ts = DateTimeFormatter.ISO_INSTANT.format(at);
    }
    return new ReadOptions(v, ts, get(options, DeltaSharingOptions.CALLER_ORG));
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
