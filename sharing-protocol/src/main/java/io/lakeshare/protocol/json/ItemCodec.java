package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/** Writes and reads one JSON object of a list answer. */
interface ItemCodec<T> {
  void write(T item, JsonGenerator g) throws IOException;

  /** Reads the object whose {@code START_OBJECT} the parser sits on. */
  T read(JsonParser p) throws IOException;
}
