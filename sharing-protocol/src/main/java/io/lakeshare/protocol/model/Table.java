package io.lakeshare.protocol.model;

import java.util.List;

/**
 * A table as listed by the server (CONFORMANCE §1.5). Optional fields are {@code null}; {@code
 * auxiliaryLocations} and {@code accessModes} are empty lists when absent.
 */
public record Table(
    String name,
    String schema,
    String share,
    String shareId,
    String id,
    String location,
    List<String> auxiliaryLocations,
    List<String> accessModes) {
  public Table {
    java.util.Objects.requireNonNull(name, "name");
    java.util.Objects.requireNonNull(schema, "schema");
    java.util.Objects.requireNonNull(share, "share");
    auxiliaryLocations = auxiliaryLocations == null ? List.of() : List.copyOf(auxiliaryLocations);
    accessModes = accessModes == null ? List.of() : List.copyOf(accessModes);
  }

  public Table(String name, String schema, String share, String id) {
    this(name, schema, share, null, id, null, List.of(), List.of());
  }
}
