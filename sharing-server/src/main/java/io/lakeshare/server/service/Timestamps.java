package io.lakeshare.server.service;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses request timestamps: ISO-8601 with an offset, or the legacy SQL form read as UTC. */
final class Timestamps {
  private static final DateTimeFormatter LEGACY =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-M-d H:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .toFormatter();

  /** A date-time with an RFC 3339 offset of up to 23:59, which java.time cannot hold. */
  private static final Pattern WIDE_OFFSET =
      Pattern.compile("(.+T[^+-]+)(([+-])([01][0-9]|2[0-3]):([0-5][0-9]))");

  private Timestamps() {}

  /** Epoch milliseconds of {@code value}; fails with a 400 naming the parameter. */
  static long parseMillis(String name, String value) {
    if (value == null || value.isBlank()) {
      throw ServerErrors.invalidTimestamp(name, String.valueOf(value));
    }
    String v = value.trim();
    try {
      try {
        return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
            .toInstant()
            .toEpochMilli();
      } catch (DateTimeParseException e) {
        // an offset beyond Java's +-18:00 that RFC 3339 still allows, or the legacy form
      }
      Matcher wide = WIDE_OFFSET.matcher(v);
      if (wide.matches()) {
        int hours = Integer.parseInt(wide.group(4));
        int minutes = Integer.parseInt(wide.group(5));
        long offsetSeconds = (hours * 3600L + minutes * 60L) * ("-".equals(wide.group(3)) ? -1 : 1);
        return Math.subtractExact(
            LocalDateTime.parse(wide.group(1), DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                .toInstant(ZoneOffset.UTC)
                .toEpochMilli(),
            offsetSeconds * 1000);
      }
      return LocalDateTime.parse(v, LEGACY).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeException | ArithmeticException e) {
      // unparsable, or beyond what epoch milliseconds can hold (e.g. year +999999999)
      throw ServerErrors.invalidTimestamp(name, value);
    }
  }

  static String format(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
