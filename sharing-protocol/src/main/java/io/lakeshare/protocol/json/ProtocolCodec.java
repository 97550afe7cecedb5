package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.DeltaProtocol;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.ProtocolLine;
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

  /** Either format's protocol line: a {@code deltaProtocol} object makes it the delta one. */
  static ProtocolLine read(JsonParser p) throws IOException {
    JsonScalars.expectObject(p, WRAPPER);
    Integer minReaderVersion = null;
    Long version = null;
    DeltaProtocol delta = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "minReaderVersion" -> minReaderVersion = JsonScalars.int32(p, name, WRAPPER);
        case "version" -> version = JsonScalars.int64(p, name, WRAPPER);
        case DeltaActionCodec.DELTA_PROTOCOL -> delta = DeltaActionCodec.readProtocol(p, null);
        default -> p.skipChildren();
      }
    }
    if (delta != null) {
      return new DeltaProtocol(
          delta.minReaderVersion(),
          delta.minWriterVersion(),
          delta.readerFeatures(),
          delta.writerFeatures(),
          version);
    }
    if (minReaderVersion == null) {
      throw new WireFormatException("Missing field minReaderVersion of protocol");
    }
    return new Protocol(minReaderVersion);
  }
}
