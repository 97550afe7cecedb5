package io.lakeshare.server.config;

import java.util.List;

/**
 * What one grant of a recipient opens: a whole share when {@code schemas} and {@code tables} are
 * both empty, else the listed schemas (with every table in them) and the listed tables ({@code
 * schema.table}). Names are as written in the config; they are matched case-insensitively.
 */
public record GrantConfig(String share, List<String> schemas, List<String> tables) {
  public GrantConfig {
    schemas = List.copyOf(schemas);
    tables = List.copyOf(tables);
  }

  public boolean wholeShare() {
    return schemas.isEmpty() && tables.isEmpty();
  }

  /** Whether this grant opens the whole schema {@code schema} of {@code share}. */
  public boolean coversSchema(String shareName, String schema) {
    return share.equalsIgnoreCase(shareName)
        && (wholeShare() || schemas.stream().anyMatch(s -> s.trim().equalsIgnoreCase(schema)));
  }

  /** Whether this grant opens table {@code schema.table} of {@code share}. */
  public boolean covers(String shareName, String schema, String table) {
    String qualified = schema + "." + table;
    return coversSchema(shareName, schema)
        || share.equalsIgnoreCase(shareName)
            && tables.stream().anyMatch(t -> t.trim().equalsIgnoreCase(qualified));
  }
}
