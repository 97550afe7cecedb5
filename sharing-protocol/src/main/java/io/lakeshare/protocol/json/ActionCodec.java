package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.DeltaMetadata;
import io.lakeshare.protocol.model.DeltaProtocol;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.ResponseAction;
import java.io.IOException;

/** The one-key wrapper object around every NDJSON action line (CONFORMANCE §3.3). */
final class ActionCodec {
  private ActionCodec() {}

  static void write(ResponseAction a, JsonGenerator g) throws IOException {
    g.writeStartObject();
    if (a instanceof Protocol p) {
      g.writeFieldName(ProtocolCodec.WRAPPER);
      ProtocolCodec.write(p, g);
    } else if (a instanceof Metadata m) {
      g.writeFieldName(MetadataCodec.WRAPPER);
      MetadataCodec.write(m, g);
    } else if (a instanceof FileAction f) {
      g.writeFieldName(f.kind().wireName());
      FileActionCodec.write(f, g);
    } else if (a instanceof DeltaProtocol p) {
      g.writeFieldName(ProtocolCodec.WRAPPER);
      DeltaActionCodec.write(p, g);
    } else if (a instanceof DeltaMetadata m) {
      g.writeFieldName(MetadataCodec.WRAPPER);
      DeltaActionCodec.write(m, g);
    } else if (a instanceof DeltaFileAction f) {
      g.writeFieldName("file");
      DeltaActionCodec.write(f, g);
    } else if (a instanceof EndStreamAction e) {
      g.writeFieldName(EndStreamActionCodec.WRAPPER);
      EndStreamActionCodec.write(e, g);
    } else {
      throw new IllegalArgumentException("Unknown action type: " + a);
    }
    g.writeEndObject();
  }

  /**
   * Reads one wrapper object; the parser sits on its {@code START_OBJECT}. Returns {@code null}
   * when the object holds no known wrapper key (e.g. {@code queryStatus}).
   */
  static ResponseAction read(JsonParser p) throws IOException {
    JsonScalars.expectObject(p, "an action line");
    ResponseAction result = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      ResponseAction a =
          switch (key) {
            case ProtocolCodec.WRAPPER -> ProtocolCodec.read(p);
            case MetadataCodec.WRAPPER -> MetadataCodec.read(p);
            case "file" -> FileActionCodec.read(p, FileAction.Kind.FILE);
            case "add" -> FileActionCodec.read(p, FileAction.Kind.ADD);
            case "cdf" -> FileActionCodec.read(p, FileAction.Kind.CDF);
            case "remove" -> FileActionCodec.read(p, FileAction.Kind.REMOVE);
            case EndStreamActionCodec.WRAPPER -> EndStreamActionCodec.read(p);
            default -> {
              p.skipChildren();
              yield null;
            }
          };
      if (a != null) {
        if (result != null) {
          throw new WireFormatException("An action line holds more than one action");
        }
        result = a;
      }
    }
    return result;
  }
}
