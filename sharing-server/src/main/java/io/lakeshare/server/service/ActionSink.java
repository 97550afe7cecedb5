package io.lakeshare.server.service;

import io.lakeshare.protocol.model.ResponseAction;
import java.io.IOException;

/** Where a streamed answer's lines go, one at a time (the HTTP layer writes NDJSON). */
public interface ActionSink {
  void write(ResponseAction action) throws IOException;
}
