package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.Share;
import java.io.IOException;

/** A share object (CONFORMANCE §1.2). */
final class ShareCodec implements ItemCodec<Share> {
  static final ShareCodec INSTANCE = new ShareCodec();
  private static final String WHERE = "share";

  private ShareCodec() {}

  @Override
  public void write(Share s, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", s.name());
    if (s.id() != null) {
      g.writeStringField("id", s.id());
    }
    g.writeEndObject();
  }

  @Override
  public Share read(JsonParser p) throws IOException {
    JsonScalars.expectObject(p, WHERE);
    String name = null;
    String id = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "name" -> name = JsonScalars.string(p, field, WHERE);
        case "id" -> id = JsonScalars.string(p, field, WHERE);
        default -> p.skipChildren();
      }
    }
    FileActionCodec.requirePresent(name, "name", WHERE);
    return new Share(name, id);
  }
}
