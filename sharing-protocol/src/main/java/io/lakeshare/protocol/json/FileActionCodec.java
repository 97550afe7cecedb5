package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.ResponseAction;
import java.io.IOException;
import java.util.Map;

/** Inner object of the {@code file}, {@code add}, {@code cdf} and {@code remove} lines. */
final class FileActionCodec {
  private FileActionCodec() {}

  static void write(FileAction f, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("url", f.url());
    g.writeStringField("id", f.id());
    // Always present, even when empty (CONFORMANCE §0.5).
    g.writeObjectFieldStart("partitionValues");
    for (Map.Entry<String, String> e : f.partitionValues().entrySet()) {
      g.writeFieldName(e.getKey());
      if (e.getValue() == null) {
        g.writeNull();
      } else {
        g.writeString(e.getValue());
      }
    }
    g.writeEndObject();
    g.writeNumberField("size", f.size());
    // §3.3: only file and add lines carry stats.
    if (f.stats() != null && hasStats(f.kind())) {
      g.writeStringField("stats", f.stats());
    }
    if (f.version() != null) {
      g.writeNumberField("version", f.version());
    }
    if (f.timestamp() != null) {
      g.writeNumberField("timestamp", f.timestamp());
    }
    if (f.expirationTimestamp() != null) {
      g.writeNumberField("expirationTimestamp", f.expirationTimestamp());
    }
    g.writeEndObject();
  }

  /**
   * A parquet-format file line, or, for a {@code file} line holding {@code deltaSingleAction}, a
   * delta-format one.
   */
  static ResponseAction read(JsonParser p, FileAction.Kind kind) throws IOException {
    String where = kind.wireName();
    JsonScalars.expectObject(p, where);
    String deletionVectorFileId = null;
    boolean delta = false;
    DeltaFileAction deltaAction = null;
    String url = null;
    String id = null;
    Map<String, String> partitionValues = null;
    Long size = null;
    String stats = null;
    Long version = null;
    Long timestamp = null;
    Long expirationTimestamp = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "url" -> url = JsonScalars.string(p, name, where);
        case "id" -> id = JsonScalars.string(p, name, where);
        case "partitionValues" -> partitionValues = JsonScalars.stringMap(p, name, where, true);
        case "size" -> size = JsonScalars.int64(p, name, where);
        case "stats" -> stats = JsonScalars.string(p, name, where);
        case "version" -> version = JsonScalars.int64(p, name, where);
        case "timestamp" -> timestamp = JsonScalars.int64(p, name, where);
        case "expirationTimestamp" -> expirationTimestamp = JsonScalars.int64(p, name, where);
        case "deletionVectorFileId" -> deletionVectorFileId = JsonScalars.string(p, name, where);
        case DeltaActionCodec.DELTA_SINGLE_ACTION -> {
          if (kind != FileAction.Kind.FILE) {
            p.skipChildren();
          } else {
            delta = true;
            deltaAction = DeltaActionCodec.readSingleAction(p);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (delta) {
      requirePresent(id, "id", where);
      return new DeltaFileAction(
          deltaAction.kind(),
          id,
          deletionVectorFileId,
          version,
          timestamp,
          expirationTimestamp,
          deltaAction.path(),
          deltaAction.partitionValues(),
          deltaAction.size(),
          deltaAction.modificationTime(),
          deltaAction.dataChange(),
          deltaAction.stats(),
          deltaAction.tags(),
          deltaAction.deletionVector(),
          deltaAction.baseRowId(),
          deltaAction.defaultRowCommitVersion(),
          deltaAction.deletionTimestamp(),
          deltaAction.extendedFileMetadata());
    }
    requirePresent(url, "url", where);
    requirePresent(id, "id", where);
    requirePresent(size, "size", where);
    if (kind != FileAction.Kind.FILE) {
      // §3.3: change lines always say which commit they come from.
      requirePresent(version, "version", where);
      requirePresent(timestamp, "timestamp", where);
    }
    return new FileAction(
        kind, url, id, partitionValues, size, stats, version, timestamp, expirationTimestamp);
  }

  private static boolean hasStats(FileAction.Kind kind) {
    return kind == FileAction.Kind.FILE || kind == FileAction.Kind.ADD;
  }

  static void requirePresent(Object value, String field, String where) {
    if (value == null) {
      throw new WireFormatException("Missing required field " + field + " of " + where);
    }
  }
}
