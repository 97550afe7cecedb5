package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.Table;
import java.io.IOException;
import java.util.List;

/** A table object (CONFORMANCE §1.5). */
final class TableCodec implements ItemCodec<Table> {
  static final TableCodec INSTANCE = new TableCodec();
  private static final String WHERE = "table";

  private TableCodec() {}

  @Override
  public void write(Table t, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", t.name());
    g.writeStringField("schema", t.schema());
    g.writeStringField("share", t.share());
    if (t.shareId() != null) {
      g.writeStringField("shareId", t.shareId());
    }
    if (t.id() != null) {
      g.writeStringField("id", t.id());
    }
    if (t.location() != null) {
      g.writeStringField("location", t.location());
    }
    writeList(g, "auxiliaryLocations", t.auxiliaryLocations());
    writeList(g, "accessModes", t.accessModes());
    g.writeEndObject();
  }

  private static void writeList(JsonGenerator g, String name, List<String> values)
      throws IOException {
    if (values.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(name);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  @Override
  public Table read(JsonParser p) throws IOException {
    JsonScalars.expectObject(p, WHERE);
    String name = null;
    String schema = null;
    String share = null;
    String shareId = null;
    String id = null;
    String location = null;
    List<String> auxiliaryLocations = null;
    List<String> accessModes = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "name" -> name = JsonScalars.string(p, field, WHERE);
        case "schema" -> schema = JsonScalars.string(p, field, WHERE);
        case "share" -> share = JsonScalars.string(p, field, WHERE);
        case "shareId" -> shareId = JsonScalars.string(p, field, WHERE);
        case "id" -> id = JsonScalars.string(p, field, WHERE);
        case "location" -> location = JsonScalars.string(p, field, WHERE);
        case "auxiliaryLocations" -> auxiliaryLocations = JsonScalars.stringArray(p, field, WHERE);
        case "accessModes" -> accessModes = JsonScalars.stringArray(p, field, WHERE);
        default -> p.skipChildren();
      }
    }
    FileActionCodec.requirePresent(name, "name", WHERE);
    FileActionCodec.requirePresent(schema, "schema", WHERE);
    FileActionCodec.requirePresent(share, "share", WHERE);
    return new Table(name, schema, share, shareId, id, location, auxiliaryLocations, accessModes);
  }
}
