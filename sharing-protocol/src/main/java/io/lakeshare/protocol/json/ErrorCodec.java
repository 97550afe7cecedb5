package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.ErrorResponse;
import java.io.IOException;

/** The error envelope {@code {"errorCode":"...","message":"..."}} (CONFORMANCE §0.3). */
final class ErrorCodec {
  private ErrorCodec() {}

  static void write(ErrorResponse e, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("errorCode", e.errorCode());
    g.writeStringField("message", e.message());
    g.writeEndObject();
  }

  /** Returns {@code null} when the document is not an envelope (e.g. a proxy's HTML page). */
  static ErrorResponse read(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    String code = null;
    String message = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (t.isScalarValue() && t != JsonToken.VALUE_NULL && field.equals("errorCode")) {
        code = p.getText();
      } else if (t.isScalarValue() && t != JsonToken.VALUE_NULL && field.equals("message")) {
        message = p.getText();
      } else {
        p.skipChildren();
      }
    }
    if (code == null && message == null) {
      return null;
    }
    return new ErrorResponse(code, message);
  }
}
