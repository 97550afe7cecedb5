package io.lakeshare.protocol.model;

import java.util.List;
import java.util.Map;

/**
 * The {@code metaData} line in either response format: what a reader needs from it whatever the
 * format. Optional values are {@code null}.
 */
public sealed interface MetadataLine extends ResponseAction permits Metadata, DeltaMetadata {
  String id();

  String name();

  String description();

  /** Spark SQL's JSON schema; in the delta format with column-mapping metadata on the fields. */
  String schemaString();

  List<String> partitionColumns();

  /** Table configuration: in the delta format the full table properties. */
  Map<String, String> configuration();

  /** The table version this metadata belongs to, when the answer says. */
  Long version();

  /** Table size in bytes, when the server knows it. */
  Long size();

  /** Number of files of the table version, when the server knows it. */
  Long numFiles();
}
