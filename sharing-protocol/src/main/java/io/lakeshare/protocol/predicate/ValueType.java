package io.lakeshare.protocol.predicate;

import java.util.Locale;
import java.util.Optional;

/** Value types of JSON predicate leaves (CONFORMANCE §4.2). */
public enum ValueType {
  BOOL("bool"),
  INT("int"),
  LONG("long"),
  STRING("string"),
  DATE("date"),
  FLOAT("float"),
  DOUBLE("double"),
  TIMESTAMP("timestamp");

  private final String wireName;

  ValueType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Looks a wire name up case-insensitively; empty when unknown. */
  public static Optional<ValueType> fromWire(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (ValueType t : values()) {
      if (t.wireName.equals(n)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
