package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.Schema;
import java.io.IOException;

/** A schema object (CONFORMANCE §1.4). */
final class SchemaCodec implements ItemCodec<Schema> {
  static final SchemaCodec INSTANCE = new SchemaCodec();
  private static final String WHERE = "schema";

  private SchemaCodec() {}

  @Override
  public void write(Schema s, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", s.name());
    g.writeStringField("share", s.share());
    g.writeEndObject();
  }

  @Override
  public Schema read(JsonParser p) throws IOException {
    JsonScalars.expectObject(p, WHERE);
    String name = null;
    String share = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "name" -> name = JsonScalars.string(p, field, WHERE);
        case "share" -> share = JsonScalars.string(p, field, WHERE);
        default -> p.skipChildren();
      }
    }
    FileActionCodec.requirePresent(name, "name", WHERE);
    FileActionCodec.requirePresent(share, "share", WHERE);
    return new Schema(name, share);
  }
}
