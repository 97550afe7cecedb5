package io.lakeshare.spark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * A stream position: every file up to and including {@code index} of {@code tableVersion} has been
 * read ({@code index = -1}: none of that version yet). Files of a version are ordered by file id,
 * so a position means the same files after a restart. {@code isStartingVersion} marks the initial
 * snapshot of {@code tableVersion}; after it the stream reads the changes of later versions. The
 * JSON form carries {@code sourceVersion} and the table id, so a checkpoint of another table or of
 * a newer format is refused.
 */
final class SharingOffset extends Offset {
  static final int SOURCE_VERSION = 1;
  private static final JsonFactory JSON = new JsonFactory();

  final String tableId;
  final long tableVersion;
  final long index;
  final boolean isStartingVersion;

  SharingOffset(String tableId, long tableVersion, long index, boolean isStartingVersion) {
    this.tableId = tableId;
    this.tableVersion = tableVersion;
    this.index = index;
    this.isStartingVersion = isStartingVersion;
  }

  /** The position before the first file of {@code version}'s changes. */
  static SharingOffset startOfChanges(String tableId, long version) {
    return new SharingOffset(tableId, version, -1, false);
  }

  @Override
  public String json() {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeNumberField("sourceVersion", SOURCE_VERSION);
      g.writeStringField("tableId", tableId);
      g.writeNumberField("tableVersion", tableVersion);
      g.writeNumberField("index", index);
      g.writeBooleanField("isStartingVersion", isStartingVersion);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /**
   * Reads an offset written by {@link #json()}.
   *
   * @throws IllegalStateException when it is malformed, newer, or of another table
   */
  static SharingOffset parse(String json, String expectedTableId, String tableName) {
    Integer sourceVersion = null;
    String tableId = null;
    Long version = null;
    Long index = null;
    Boolean starting = null;
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw bad(json, tableName);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "sourceVersion" -> sourceVersion = p.getIntValue();
          case "tableId" -> tableId = p.getText();
          case "tableVersion" -> version = p.getLongValue();
          case "index" -> index = p.getLongValue();
          case "isStartingVersion" -> starting = t == JsonToken.VALUE_TRUE;
          default -> p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw bad(json, tableName);
    }
    if (sourceVersion == null || tableId == null || version == null || index == null) {
      throw bad(json, tableName);
    }
    if (sourceVersion > SOURCE_VERSION) {
      throw new IllegalStateException(
          "The checkpoint of this stream over Delta Sharing table "
              + tableName
              + " was written by a newer connector (offset format "
              + sourceVersion
              + "); upgrade the connector to resume it.");
    }
    if (!tableId.equals(expectedTableId)) {
      throw new IllegalStateException(
          "The checkpoint of this stream belongs to another table (id "
              + tableId
              + ") than Delta Sharing table "
              + tableName
              + " (id "
              + expectedTableId
              + "): use a new checkpoint location for this table.");
    }
    return new SharingOffset(tableId, version, index, starting != null && starting);
  }

  private static IllegalStateException bad(String json, String tableName) {
    return new IllegalStateException(
        "The checkpoint of the stream over Delta Sharing table "
            + tableName
            + " holds an offset this connector cannot read: "
            + json);
  }

  boolean samePosition(SharingOffset o) {
    return tableVersion == o.tableVersion
        && index == o.index
        && isStartingVersion == o.isStartingVersion;
  }

  @Override
  public String toString() {
    return json();
  }
}
