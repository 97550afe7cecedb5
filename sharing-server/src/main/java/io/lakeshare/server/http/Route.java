package io.lakeshare.server.http;

import java.util.ArrayList;
import java.util.List;

/** The protocol path below the endpoint prefix, split into decoded segments. */
record Route(List<String> segments) {

  /**
   * Splits a raw (still percent-encoded) path; {@code null} when it is not below the prefix.
   *
   * @throws IllegalArgumentException for a malformed escape or escapes that are not UTF-8
   */
  static Route parse(String rawPath, String prefix) {
    if (rawPath == null || !rawPath.startsWith(prefix)) {
      return null;
    }
    String rest = rawPath.substring(prefix.length());
    if (!rest.isEmpty() && !rest.startsWith("/")) {
      return null;
    }
    List<String> segments = new ArrayList<>();
    for (String raw : rest.split("/")) {
      if (raw.isEmpty()) {
        continue;
      }
      try {
        segments.add(PercentDecoding.decode(raw, false));
      } catch (PercentDecoding.MalformedException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    }
    return new Route(List.copyOf(segments));
  }

  int size() {
    return segments.size();
  }

  String get(int i) {
    return segments.get(i);
  }

  boolean is(int i, String literal) {
    return i < segments.size() && segments.get(i).equals(literal);
  }
}
