package io.lakeshare.protocol.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code {"metaData": {"deltaMetadata": {...}, "version": ..., "size": ..., "numFiles": ...}}}: the
 * table's Delta metadata action in the delta response format (CONFORMANCE §3.4). The schema string
 * is passed through untouched, with column-mapping metadata; {@code configuration} holds every
 * table property.
 *
 * @param createdTime the action's {@code createdTime} (epoch ms), or {@code null}
 * @param version the table version this metadata belongs to (wrapper field), or {@code null}
 * @param size the table version's size in bytes (wrapper field), or {@code null}
 * @param numFiles the table version's file count (wrapper field), or {@code null}
 */
public record DeltaMetadata(
    String id,
    String name,
    String description,
    Format format,
    String schemaString,
    List<String> partitionColumns,
    Map<String, String> configuration,
    Long createdTime,
    Long version,
    Long size,
    Long numFiles)
    implements MetadataLine {

  public DeltaMetadata {
    java.util.Objects.requireNonNull(id, "id");
    java.util.Objects.requireNonNull(schemaString, "schemaString");
    format = format == null ? Format.PARQUET : format;
    partitionColumns = partitionColumns == null ? List.of() : List.copyOf(partitionColumns);
    configuration =
        configuration == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
  }

  /** The same metadata with the wrapper's {@code version} set to {@code newVersion}. */
  public DeltaMetadata withVersion(Long newVersion) {
    return new DeltaMetadata(
        id,
        name,
        description,
        format,
        schemaString,
        partitionColumns,
        configuration,
        createdTime,
        newVersion,
        size,
        numFiles);
  }
}
