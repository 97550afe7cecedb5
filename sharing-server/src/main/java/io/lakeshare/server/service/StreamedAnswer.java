package io.lakeshare.server.service;

import java.io.IOException;

/**
 * A validated NDJSON answer: the header values are known before the first byte is written, so that
 * every client mistake is reported with a status code; {@link #writeTo} then streams lines.
 */
public record StreamedAnswer(long tableVersion, String capabilities, String fileIdHash, Body body) {

  /** Produces the answer's lines. */
  public interface Body {
    void writeTo(ActionSink sink) throws IOException;
  }

  public void writeTo(ActionSink sink) throws IOException {
    body.writeTo(sink);
  }
}
