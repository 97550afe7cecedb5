package io.lakeshare.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.server.service.ActionSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * Writes answer lines into a bounded buffer that is flushed to the response once it is full. Until
 * the first flush nothing is committed, so a failure early in the answer can still become a proper
 * error status; afterwards it can only be reported in an {@code endStreamAction}.
 */
final class NdjsonWriter implements ActionSink {
  private static final int FLUSH_BYTES = 64 * 1024;
  // No separator between root values: every line must start with '{'.
  private static final JsonFactory JSON =
      new JsonFactoryBuilder().rootValueSeparator((String) null).build();

  private final Supplier<OutputStream> target;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(FLUSH_BYTES + 4096);
  private final JsonGenerator generator;
  private OutputStream out;

  NdjsonWriter(Supplier<OutputStream> target) throws IOException {
    this.target = target;
    this.generator = JSON.createGenerator(buffer);
  }

  @Override
  public void write(ResponseAction action) throws IOException {
    WireJson.writeAction(action, generator);
    generator.flush();
    buffer.write('\n');
    if (buffer.size() >= FLUSH_BYTES) {
      flushBuffer();
    }
  }

  @Override
  public void writeFileLine(byte[] line, int length, long fileSize) throws IOException {
    // the generator is flushed after every action, so nothing of it is pending here
    buffer.write(line, 0, length);
    buffer.write('\n');
    if (buffer.size() >= FLUSH_BYTES) {
      flushBuffer();
    }
  }

  /** Whether bytes already reached the client (the status line is then sent). */
  boolean committed() {
    return out != null;
  }

  /** Drops whatever is buffered and not yet sent. */
  void discard() {
    buffer.reset();
  }

  void finish() throws IOException {
    flushBuffer();
    out.close();
  }

  private void flushBuffer() throws IOException {
    if (out == null) {
      out = target.get();
    }
    buffer.writeTo(out);
    buffer.reset();
  }
}
