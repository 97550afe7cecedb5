package io.lakeshare.server.delta;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Delta metadata action as the sharing protocol needs it.
 *
 * @param name the table name, or null
 * @param description the table description, or null
 * @param configuration the table properties
 */
public record MetadataInfo(
    String id,
    String name,
    String description,
    String schemaString,
    List<String> partitionColumns,
    Map<String, String> configuration) {

  /** Copies the collections. */
  public MetadataInfo {
    partitionColumns = Collections.unmodifiableList(new ArrayList<>(partitionColumns));
    configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
  }

  static MetadataInfo of(io.delta.kernel.internal.actions.Metadata m) {
    return new MetadataInfo(
        m.getId(),
        m.getName().orElse(null),
        m.getDescription().orElse(null),
        m.getSchemaString(),
        io.delta.kernel.internal.util.VectorUtils.<String>toJavaList(m.getPartitionColumns()),
        m.getConfiguration());
  }
}
