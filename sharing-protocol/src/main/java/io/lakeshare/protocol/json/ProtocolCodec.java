package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.Protocol;
import java.io.IOException;

/** Inner object of the {@code protocol} line. */
final class ProtocolCodec {
  static final String WRAPPER = "protocol";

  private ProtocolCodec() {}

  static void write(Protocol p, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeNumberField("minReaderVersion", p.minReaderVersion());
    g.writeEndObject();
  }

  static Protocol read(JsonParser p) throws IOException {
    JsonScalars.expectObject(p, WRAPPER);
    Integer minReaderVersion = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("minReaderVersion")) {
        minReaderVersion = JsonScalars.int32(p, name, WRAPPER);
      } else {
        p.skipChildren();
      }
    }
    if (minReaderVersion == null) {
      // A delta-format protocol line ({"deltaProtocol":{...}}) lands here too.
      throw new WireFormatException(
          "Missing field minReaderVersion of protocol (is this a delta-format response?)");
    }
    return new Protocol(minReaderVersion);
  }
}
