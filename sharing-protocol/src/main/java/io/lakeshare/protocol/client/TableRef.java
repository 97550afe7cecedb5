package io.lakeshare.protocol.client;

import java.util.Objects;

/** A shared table's coordinates: {@code <share>.<schema>.<table>}. */
public record TableRef(String share, String schema, String table) implements java.io.Serializable {
  public TableRef {
    Objects.requireNonNull(share, "share");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(table, "table");
  }

  /**
   * Parses {@code share.schema.table}: exactly three non-empty {@code .}-separated parts, as the
   * reference connector requires (CONFORMANCE §6.2).
   */
  public static TableRef parse(String coordinates) {
    String[] parts = coordinates == null ? new String[0] : coordinates.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new IllegalArgumentException(
          "Expected a table as <share>.<schema>.<table>, got: " + coordinates);
    }
    return new TableRef(parts[0], parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return share + "." + schema + "." + table;
  }
}
