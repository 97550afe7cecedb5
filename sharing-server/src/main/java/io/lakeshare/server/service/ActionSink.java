package io.lakeshare.server.service;

import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.ResponseAction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Where a streamed answer's lines go, one at a time (the HTTP layer writes NDJSON). */
public interface ActionSink {
  void write(ResponseAction action) throws IOException;

  /**
   * Writes one file line already serialized as UTF-8 JSON, without its newline: {@code
   * line[0..length)} (the caller reuses the array after the call); {@code fileSize} is the size of
   * the file it points at. Sinks that want actions get the line parsed back.
   */
  default void writeFileLine(byte[] line, int length, long fileSize) throws IOException {
    write(WireJson.readAction(new String(line, 0, length, StandardCharsets.UTF_8)));
  }
}
