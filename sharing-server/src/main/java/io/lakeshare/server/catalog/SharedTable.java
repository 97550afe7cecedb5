package io.lakeshare.server.catalog;

import io.lakeshare.server.config.TableConfig;

/** A configured table with the canonical names of its share and schema. */
public record SharedTable(String share, String schema, TableConfig config) {
  public String name() {
    return config.name();
  }

  public String id() {
    return config.id();
  }

  /** {@code share.schema.table}, as used in messages. */
  public String fullName() {
    return share + "." + schema + "." + config.name();
  }
}
