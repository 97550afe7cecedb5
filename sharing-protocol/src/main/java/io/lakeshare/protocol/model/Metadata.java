package io.lakeshare.protocol.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metaData} line (CONFORMANCE §3.3). Optional fields are {@code null}. {@code configuration}
 * keeps insertion order so that serialization is deterministic across pages (§1.9.5).
 */
public record Metadata(
    String id,
    String name,
    String description,
    Format format,
    String schemaString,
    List<String> partitionColumns,
    Map<String, String> configuration,
    Long version,
    Long size,
    Long numFiles)
    implements MetadataLine {
  public Metadata {
    java.util.Objects.requireNonNull(id, "id");
    java.util.Objects.requireNonNull(schemaString, "schemaString");
    format = format == null ? Format.PARQUET : format;
    partitionColumns = partitionColumns == null ? List.of() : List.copyOf(partitionColumns);
    configuration =
        configuration == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
  }

  public Metadata withVersion(Long newVersion) {
    return new Metadata(
        id,
        name,
        description,
        format,
        schemaString,
        partitionColumns,
        configuration,
        newVersion,
        size,
        numFiles);
  }
}
