package io.lakeshare.server.config;

import java.util.List;

/** One schema of a share. */
public record SchemaConfig(String name, List<TableConfig> tables) {

  /** Copies {@code tables} so the configuration stays immutable. */
  public SchemaConfig {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }
}
