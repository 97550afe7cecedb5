package io.lakeshare.it.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads per-file statistics in tests. */
final class Stats {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Stats() {}

  static long numRecords(String stats) {
    if (stats == null) {
      return 0;
    }
    try {
      return JSON.readTree(stats).get("numRecords").asLong();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
