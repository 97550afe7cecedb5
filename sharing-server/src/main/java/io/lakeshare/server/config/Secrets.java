package io.lakeshare.server.config;

/** Keeps secrets out of logs and messages. */
final class Secrets {
  private Secrets() {}

  static String redacted(String value) {
    return value == null ? "null" : "<redacted>";
  }
}
