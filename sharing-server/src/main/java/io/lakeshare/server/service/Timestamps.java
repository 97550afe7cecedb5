package io.lakeshare.server.service;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/** Parses request timestamps: ISO-8601 with an offset, or the legacy SQL form read as UTC. */
final class Timestamps {
  private static final DateTimeFormatter LEGACY =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-M-d H:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .toFormatter();

  private Timestamps() {}

  /** Epoch milliseconds of {@code value}; fails with a 400 naming the parameter. */
  static long parseMillis(String name, String value) {
    if (value == null || value.isBlank()) {
      throw ServerErrors.invalidTimestamp(name, String.valueOf(value));
    }
    String v = value.trim();
    try {
      return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant()
          .toEpochMilli();
    } catch (DateTimeParseException e) {
      // fall through to the legacy form
    }
    try {
      return LocalDateTime.parse(v, LEGACY).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ServerErrors.invalidTimestamp(name, value);
    }
  }

  static String format(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
