package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.Page;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code {"items":[...],"nextPageToken":"..."}}. Writes {@code items} always; reads a missing
 * {@code items} as empty and an empty token as "no more pages" (CONFORMANCE §0.5, §1.1).
 */
final class PageCodec {
  private PageCodec() {}

  static <T> void write(Page<T> page, ItemCodec<T> codec, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("items");
    for (T item : page.items()) {
      codec.write(item, g);
    }
    g.writeEndArray();
    if (page.nextPageToken() != null) {
      g.writeStringField("nextPageToken", page.nextPageToken());
    }
    g.writeEndObject();
  }

  /** Reads a whole document; the parser has not been advanced yet. */
  static <T> Page<T> read(JsonParser p, ItemCodec<T> codec, String what) throws IOException {
    JsonToken first = p.nextToken();
    if (first != JsonToken.START_OBJECT) {
      throw new WireFormatException(
          "A " + what + " page is not a JSON object: found " + JsonScalars.describe(first));
    }
    List<T> items = new ArrayList<>();
    String token = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("items")) {
        if (t == JsonToken.VALUE_NULL) {
          continue;
        }
        if (t != JsonToken.START_ARRAY) {
          throw new WireFormatException("Expected an array for items of a " + what + " page");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(codec.read(p));
        }
      } else if (field.equals("nextPageToken")) {
        token = JsonScalars.string(p, field, what + " page");
      } else {
        p.skipChildren();
      }
    }
    return new Page<>(items, token);
  }
}
