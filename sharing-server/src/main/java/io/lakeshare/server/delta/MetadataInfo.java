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
 * @param createdTime the action's creation time in epoch ms, or null
 * @param format the table's data format
 */
public record MetadataInfo(
    String id,
    String name,
    String description,
    String schemaString,
    List<String> partitionColumns,
    Map<String, String> configuration,
    Long createdTime,
    io.lakeshare.protocol.model.Format format) {

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
        m.getConfiguration(),
        m.getCreatedTime().orElse(null),
        new io.lakeshare.protocol.model.Format(
            m.getFormat().getProvider(), m.getFormat().getOptions()));
  }
}
