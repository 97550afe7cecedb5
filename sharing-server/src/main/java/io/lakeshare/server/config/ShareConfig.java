package io.lakeshare.server.config;

import java.util.List;

/** One configured share; {@code id} is a Lakeshare extension and may be null. */
public record ShareConfig(String name, List<SchemaConfig> schemas, String id) {

  /** Copies {@code schemas} so the configuration stays immutable. */
  public ShareConfig {
    schemas = schemas == null ? List.of() : List.copyOf(schemas);
  }
}
