package io.lakeshare.spark;

import io.lakeshare.protocol.client.DeltaSharingException;
import java.time.Instant;

/**
 * Every user-facing error of the connector: what is wrong, with which table, option or value, and
 * what to do about it.
 */
final class ConnectorErrors {
  private ConnectorErrors() {}

  static IllegalArgumentException badConf(String key, String value, String expected) {
    return new IllegalArgumentException(
        "Spark conf " + key + "='" + value + "' is invalid: expected " + expected + ".");
  }

  static IllegalArgumentException badOption(String table, String option, String value, String why) {
    return new IllegalArgumentException(
        "Option "
            + option
            + "='"
            + value
            + "' is invalid for Delta Sharing table "
            + table
            + ": "
            + why
            + ".");
  }

  static IllegalArgumentException conflictingOptions(String table, String a, String b) {
    return new IllegalArgumentException(
        "Options "
            + a
            + " and "
            + b
            + " cannot be used together when reading Delta Sharing table "
            + table
            + ": remove one of them.");
  }

  static IllegalArgumentException unsupportedOption(String table, String option, String why) {
    return new IllegalArgumentException(
        "Option " + option + " is not supported for Delta Sharing table " + table + ": " + why);
  }

  static IllegalArgumentException missingPath() {
    return new IllegalArgumentException(
        "No Delta Sharing table given: load(\"<profile-file>#<share>.<schema>.<table>\"), or set "
            + "the profile options (endpoint, bearerToken, ...) and load(\"<share>.<schema>.<table>\")"
            + ".");
  }

  static IllegalArgumentException malformedPath(String path, String why) {
    return new IllegalArgumentException(
        "'"
            + path
            + "' is not a Delta Sharing table path: "
            + why
            + ". Expected <profile-file>#<share>.<schema>.<table>, e.g. "
            + "/path/config.share#sales.retail.orders.");
  }

  static IllegalArgumentException profileUnreadable(String profile, Throwable cause) {
    return new IllegalArgumentException(
        "Cannot read the Delta Sharing profile "
            + profile
            + ": "
            + cause.getMessage()
            + ". Check the path (a local file, any Hadoop-readable path, or an http(s) URL).",
        cause);
  }

  static IllegalArgumentException profileInvalid(String profile, String why, Throwable cause) {
    return new IllegalArgumentException(
        "The Delta Sharing profile " + profile + " is invalid: " + why, cause);
  }

  static IllegalStateException profileExpired(String profile, Instant at) {
    return new IllegalStateException(
        "The Delta Sharing profile "
            + profile
            + " expired at "
            + at
            + ": ask the data provider for a new profile file.");
  }

  /** A server or network failure while talking about {@code table}. */
  static DeltaSharingReadException server(String table, String what, DeltaSharingException e) {
    StringBuilder msg = new StringBuilder();
    msg.append("Delta Sharing table ").append(table).append(": ").append(what).append(" failed");
    if (e.status() > 0) {
      msg.append(" with HTTP ").append(e.status());
      if (e.errorCode() != null) {
        msg.append(' ').append(e.errorCode());
      }
    }
    msg.append(": ").append(e.serverMessage() != null ? e.serverMessage() : e.getMessage());
    if (e.status() == 401) {
      msg.append(". The bearer token was refused: check the profile or ask for a new one.");
    } else if (e.status() == 403 || e.status() == 404) {
      msg.append(". Check the share, schema and table names and that they are shared with you.");
    } else if (e.status() <= 0) {
      msg.append(". Check that the sharing server endpoint is reachable.");
    }
    return new DeltaSharingReadException(msg.toString(), e);
  }

  static DeltaSharingReadException schemaChanged(String table) {
    return new DeltaSharingReadException(
        "The schema or partition columns of Delta Sharing table "
            + table
            + " have changed since the DataFrame was created: create the DataFrame again.",
        null);
  }

  static DeltaSharingReadException badAnswer(String table, String why) {
    return new DeltaSharingReadException(
        "The sharing server's answer for table " + table + " is unusable: " + why, null);
  }
}
