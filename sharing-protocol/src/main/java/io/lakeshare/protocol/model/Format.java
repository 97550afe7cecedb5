package io.lakeshare.protocol.model;

import java.util.Map;

/** Table data format; always {@code {"provider":"parquet"}} on the wire. */
public record Format(String provider, Map<String, String> options) {
  public static final Format PARQUET = new Format("parquet", Map.of());

  public Format {
    java.util.Objects.requireNonNull(provider, "provider");
    options = options == null ? Map.of() : Map.copyOf(options);
  }
}
