package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.DeltaMetadata;
import io.lakeshare.protocol.model.DeltaProtocol;
import io.lakeshare.protocol.model.Format;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The delta response format's lines (CONFORMANCE §3.4): the Delta actions wrapped in {@code
 * deltaProtocol}, {@code deltaMetadata} and {@code deltaSingleAction}. Writing emits the whole line
 * content; reading takes the inner Delta objects, the wrapper fields being read by the codec of the
 * line's key ({@link ProtocolCodec}, {@link MetadataCodec}, {@link FileActionCodec}).
 */
final class DeltaActionCodec {
  static final String DELTA_PROTOCOL = "deltaProtocol";
  static final String DELTA_METADATA = "deltaMetadata";
  static final String DELTA_SINGLE_ACTION = "deltaSingleAction";

  private DeltaActionCodec() {}

  static void write(DeltaProtocol p, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart(DELTA_PROTOCOL);
    g.writeNumberField("minReaderVersion", p.minReaderVersion());
    g.writeNumberField("minWriterVersion", p.minWriterVersion());
    writeStrings("readerFeatures", p.readerFeatures(), g);
    writeStrings("writerFeatures", p.writerFeatures(), g);
    g.writeEndObject();
    if (p.version() != null) {
      g.writeNumberField("version", p.version());
    }
    g.writeEndObject();
  }

  static void write(DeltaMetadata m, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart(DELTA_METADATA);
    g.writeStringField("id", m.id());
    if (m.name() != null) {
      g.writeStringField("name", m.name());
    }
    if (m.description() != null) {
      g.writeStringField("description", m.description());
    }
    g.writeObjectFieldStart("format");
    g.writeStringField("provider", m.format().provider());
    // Delta readers expect the options object, even empty
    g.writeFieldName("options");
    MetadataCodec.writeSortedMap(m.format().options(), g);
    g.writeEndObject();
    g.writeStringField("schemaString", m.schemaString());
    g.writeArrayFieldStart("partitionColumns");
    for (String c : m.partitionColumns()) {
      g.writeString(c);
    }
    g.writeEndArray();
    g.writeFieldName("configuration");
    MetadataCodec.writeSortedMap(m.configuration(), g);
    if (m.createdTime() != null) {
      g.writeNumberField("createdTime", m.createdTime());
    }
    g.writeEndObject();
    if (m.version() != null) {
      g.writeNumberField("version", m.version());
    }
    if (m.size() != null) {
      g.writeNumberField("size", m.size());
    }
    if (m.numFiles() != null) {
      g.writeNumberField("numFiles", m.numFiles());
    }
    g.writeEndObject();
  }

  static void write(DeltaFileAction f, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", f.id());
    if (f.deletionVectorFileId() != null) {
      g.writeStringField("deletionVectorFileId", f.deletionVectorFileId());
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
    g.writeObjectFieldStart(DELTA_SINGLE_ACTION);
    g.writeObjectFieldStart(f.kind().wireName());
    g.writeStringField("path", f.path());
    g.writeFieldName("partitionValues");
    g.writeStartObject();
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
    switch (f.kind()) {
      case ADD -> {
        g.writeNumberField(
            "modificationTime", f.modificationTime() == null ? 0L : f.modificationTime());
        g.writeBooleanField("dataChange", f.dataChange() == null || f.dataChange());
        writeFileDetails(f, g);
      }
      case REMOVE -> {
        if (f.deletionTimestamp() != null) {
          g.writeNumberField("deletionTimestamp", f.deletionTimestamp());
        }
        g.writeBooleanField("dataChange", f.dataChange() == null || f.dataChange());
        if (f.extendedFileMetadata() != null) {
          g.writeBooleanField("extendedFileMetadata", f.extendedFileMetadata());
        }
        writeFileDetails(f, g);
      }
      case CDC -> {
        g.writeBooleanField("dataChange", f.dataChange() != null && f.dataChange());
        writeTags(f.tags(), g);
      }
    }
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeFileDetails(DeltaFileAction f, JsonGenerator g) throws IOException {
    if (f.stats() != null) {
      g.writeStringField("stats", f.stats());
    }
    writeTags(f.tags(), g);
    if (f.deletionVector() != null) {
      DeletionVector dv = f.deletionVector();
      g.writeObjectFieldStart("deletionVector");
      g.writeStringField("storageType", dv.storageType());
      g.writeStringField("pathOrInlineDv", dv.pathOrInlineDv());
      if (dv.offset() != null) {
        g.writeNumberField("offset", dv.offset());
      }
      g.writeNumberField("sizeInBytes", dv.sizeInBytes());
      g.writeNumberField("cardinality", dv.cardinality());
      if (dv.maxRowIndex() != null) {
        g.writeNumberField("maxRowIndex", dv.maxRowIndex());
      }
      g.writeEndObject();
    }
    if (f.baseRowId() != null) {
      g.writeNumberField("baseRowId", f.baseRowId());
    }
    if (f.defaultRowCommitVersion() != null) {
      g.writeNumberField("defaultRowCommitVersion", f.defaultRowCommitVersion());
    }
  }

  private static void writeTags(Map<String, String> tags, JsonGenerator g) throws IOException {
    if (tags != null) {
      g.writeFieldName("tags");
      MetadataCodec.writeSortedMap(tags, g);
    }
  }

  private static void writeStrings(String field, List<String> values, JsonGenerator g)
      throws IOException {
    if (values != null) {
      g.writeArrayFieldStart(field);
      for (String v : values) {
        g.writeString(v);
      }
      g.writeEndArray();
    }
  }

  /** The inner {@code deltaProtocol} object; {@code version} comes from the wrapper. */
  static DeltaProtocol readProtocol(JsonParser p, Long version) throws IOException {
    String where = "protocol." + DELTA_PROTOCOL;
    JsonScalars.expectObject(p, where);
    Integer reader = null;
    Integer writer = null;
    List<String> readerFeatures = null;
    List<String> writerFeatures = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "minReaderVersion" -> reader = JsonScalars.int32(p, name, where);
        case "minWriterVersion" -> writer = JsonScalars.int32(p, name, where);
        case "readerFeatures" -> readerFeatures = JsonScalars.stringArray(p, name, where);
        case "writerFeatures" -> writerFeatures = JsonScalars.stringArray(p, name, where);
        default -> p.skipChildren();
      }
    }
    FileActionCodec.requirePresent(reader, "minReaderVersion", where);
    FileActionCodec.requirePresent(writer, "minWriterVersion", where);
    return new DeltaProtocol(reader, writer, readerFeatures, writerFeatures, version);
  }

  /** The inner {@code deltaMetadata} object, without the wrapper's fields. */
  static DeltaMetadata readMetadata(JsonParser p) throws IOException {
    String where = "metaData." + DELTA_METADATA;
    JsonScalars.expectObject(p, where);
    String id = null;
    String name = null;
    String description = null;
    Format format = null;
    String schemaString = null;
    List<String> partitionColumns = null;
    Map<String, String> configuration = null;
    Long createdTime = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "id" -> id = JsonScalars.string(p, field, where);
        case "name" -> name = JsonScalars.string(p, field, where);
        case "description" -> description = JsonScalars.string(p, field, where);
        case "format" -> format = MetadataCodec.readFormat(p);
        case "schemaString" -> schemaString = JsonScalars.string(p, field, where);
        case "partitionColumns" -> partitionColumns = JsonScalars.stringArray(p, field, where);
        case "configuration" -> configuration = JsonScalars.stringMap(p, field, where, true);
        case "createdTime" -> createdTime = JsonScalars.int64(p, field, where);
        default -> p.skipChildren();
      }
    }
    FileActionCodec.requirePresent(id, "id", where);
    FileActionCodec.requirePresent(schemaString, "schemaString", where);
    return new DeltaMetadata(
        id,
        name,
        description,
        format,
        schemaString,
        partitionColumns,
        configuration,
        createdTime,
        null,
        null,
        null);
  }

  /**
   * The inner {@code deltaSingleAction} object. The wrapper's fields (id, versions, expiry) may
   * come after it, so they are left empty here and filled in by {@link FileActionCodec}.
   */
  static DeltaFileAction readSingleAction(JsonParser p) throws IOException {
    String where = "file." + DELTA_SINGLE_ACTION;
    JsonScalars.expectObject(p, where);
    DeltaFileAction result = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      DeltaFileAction.Kind kind =
          switch (name) {
            case "add" -> DeltaFileAction.Kind.ADD;
            case "remove" -> DeltaFileAction.Kind.REMOVE;
            case "cdc" -> DeltaFileAction.Kind.CDC;
            default -> null;
          };
      if (kind == null) {
        p.skipChildren();
        continue;
      }
      if (result != null) {
        throw new WireFormatException(where + " holds more than one action");
      }
      result = readAction(p, kind);
    }
    if (result == null) {
      throw new WireFormatException(where + " holds none of add, remove and cdc");
    }
    return result;
  }

  private static DeltaFileAction readAction(JsonParser p, DeltaFileAction.Kind kind)
      throws IOException {
    String where = "file." + DELTA_SINGLE_ACTION + "." + kind.wireName();
    JsonScalars.expectObject(p, where);
    String path = null;
    Map<String, String> partitionValues = null;
    Long size = null;
    Long modificationTime = null;
    Boolean dataChange = null;
    String stats = null;
    Map<String, String> tags = null;
    DeletionVector dv = null;
    Long baseRowId = null;
    Long defaultRowCommitVersion = null;
    Long deletionTimestamp = null;
    Boolean extendedFileMetadata = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "path" -> path = JsonScalars.string(p, name, where);
        case "partitionValues" -> partitionValues = JsonScalars.stringMap(p, name, where, true);
        case "size" -> size = JsonScalars.int64(p, name, where);
        case "modificationTime" -> modificationTime = JsonScalars.int64(p, name, where);
        case "dataChange" -> dataChange = JsonScalars.bool(p, name, where);
        case "stats" -> stats = JsonScalars.string(p, name, where);
        case "tags" -> tags = JsonScalars.stringMap(p, name, where, true);
        case "deletionVector" -> dv = readDeletionVector(p, where + ".deletionVector");
        case "baseRowId" -> baseRowId = JsonScalars.int64(p, name, where);
        case "defaultRowCommitVersion" ->
            defaultRowCommitVersion = JsonScalars.int64(p, name, where);
        case "deletionTimestamp" -> deletionTimestamp = JsonScalars.int64(p, name, where);
        case "extendedFileMetadata" -> extendedFileMetadata = JsonScalars.bool(p, name, where);
        default -> p.skipChildren();
      }
    }
    FileActionCodec.requirePresent(path, "path", where);
    FileActionCodec.requirePresent(size, "size", where);
    return new DeltaFileAction(
        kind,
        "",
        null,
        null,
        null,
        null,
        path,
        partitionValues,
        size,
        modificationTime,
        dataChange,
        stats,
        tags,
        dv,
        baseRowId,
        defaultRowCommitVersion,
        deletionTimestamp,
        extendedFileMetadata);
  }

  private static DeletionVector readDeletionVector(JsonParser p, String where) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    JsonScalars.expectObject(p, where);
    String storageType = null;
    String pathOrInlineDv = null;
    Integer offset = null;
    Integer sizeInBytes = null;
    Long cardinality = null;
    Long maxRowIndex = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "storageType" -> storageType = JsonScalars.string(p, name, where);
        case "pathOrInlineDv" -> pathOrInlineDv = JsonScalars.string(p, name, where);
        case "offset" -> offset = JsonScalars.int32(p, name, where);
        case "sizeInBytes" -> sizeInBytes = JsonScalars.int32(p, name, where);
        case "cardinality" -> cardinality = JsonScalars.int64(p, name, where);
        case "maxRowIndex" -> maxRowIndex = JsonScalars.int64(p, name, where);
        default -> p.skipChildren();
      }
    }
    FileActionCodec.requirePresent(storageType, "storageType", where);
    FileActionCodec.requirePresent(pathOrInlineDv, "pathOrInlineDv", where);
    FileActionCodec.requirePresent(sizeInBytes, "sizeInBytes", where);
    FileActionCodec.requirePresent(cardinality, "cardinality", where);
    return new DeletionVector(
        storageType, pathOrInlineDv, offset, sizeInBytes, cardinality, maxRowIndex);
  }
}
