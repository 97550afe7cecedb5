package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.EndStreamAction;
import java.io.IOException;

/** Inner object of the {@code endStreamAction} line (CONFORMANCE §3.2). */
final class EndStreamActionCodec {
  static final String WRAPPER = "endStreamAction";

  private EndStreamActionCodec() {}

  static void write(EndStreamAction a, JsonGenerator g) throws IOException {
    g.writeStartObject();
    if (a.refreshToken() != null) {
      g.writeStringField("refreshToken", a.refreshToken());
    }
    if (a.nextPageToken() != null) {
      g.writeStringField("nextPageToken", a.nextPageToken());
    }
    if (a.minUrlExpirationTimestamp() != null) {
      g.writeNumberField("minUrlExpirationTimestamp", a.minUrlExpirationTimestamp());
    }
    if (a.errorMessage() != null) {
      g.writeStringField("errorMessage", a.errorMessage());
    }
    if (a.httpStatusErrorCode() != null) {
      g.writeNumberField("httpStatusErrorCode", a.httpStatusErrorCode());
    }
    g.writeEndObject();
  }

  static EndStreamAction read(JsonParser p) throws IOException {
    JsonScalars.expectObject(p, WRAPPER);
    String refreshToken = null;
    String nextPageToken = null;
    Long minUrlExpirationTimestamp = null;
    String errorMessage = null;
    Integer httpStatusErrorCode = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "refreshToken" -> refreshToken = JsonScalars.string(p, name, WRAPPER);
        case "nextPageToken" -> nextPageToken = JsonScalars.string(p, name, WRAPPER);
        case "minUrlExpirationTimestamp" ->
            minUrlExpirationTimestamp = JsonScalars.int64(p, name, WRAPPER);
        case "errorMessage" -> errorMessage = JsonScalars.string(p, name, WRAPPER);
        case "httpStatusErrorCode" -> httpStatusErrorCode = JsonScalars.int32(p, name, WRAPPER);
        default -> p.skipChildren();
      }
    }
    return new EndStreamAction(
        refreshToken, nextPageToken, minUrlExpirationTimestamp, errorMessage, httpStatusErrorCode);
  }
}
