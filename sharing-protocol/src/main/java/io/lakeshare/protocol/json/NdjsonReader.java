package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.ResponseAction;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams the action lines of an NDJSON answer (metadata, query, changes). It parses one line at a
 * time straight from the stream, so memory stays bounded by the longest line whatever the body
 * size. Blank lines and lines with an unknown wrapper key (e.g. {@code queryStatus}) are skipped; a
 * missing final newline is fine.
 *
 * <p>{@link #hasNext()} and {@link #next()} throw {@link WireFormatException} for a malformed line
 * and {@link UncheckedIOException} when the stream fails. Closing the reader closes the stream.
 */
public final class NdjsonReader implements Iterator<ResponseAction>, Closeable {
  private final InputStream in;
  private final JsonParser parser;
  private ResponseAction pending;
  private boolean done;

  /** Reads UTF-8 NDJSON from {@code in}; nothing is read before the first {@link #hasNext()}. */
  public NdjsonReader(InputStream in) {
    this.in = in;
    try {
      this.parser = WireJson.FACTORY.createParser(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean hasNext() {
    while (pending == null && !done) {
      pending = readNext();
    }
    return pending != null;
  }

  @Override
  public ResponseAction next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ResponseAction a = pending;
    pending = null;
    return a;
  }

  /** Returns the next known action, or {@code null} for a skipped line or the end. */
  private ResponseAction readNext() {
    try {
      JsonToken t = parser.nextToken();
      if (t == null) {
        done = true;
        return null;
      }
      if (t != JsonToken.START_OBJECT) {
        throw new WireFormatException(
            "Line " + line() + " of the NDJSON answer is not a JSON object");
      }
      return ActionCodec.read(parser);
    } catch (WireFormatException e) {
      done = true;
      throw new WireFormatException("Line " + line() + ": " + e.getMessage(), e);
    } catch (JsonProcessingException e) {
      done = true;
      throw new WireFormatException(
          "Line " + line() + " of the NDJSON answer is not valid JSON: " + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      done = true;
      throw new UncheckedIOException(e);
    }
  }

  private int line() {
    return parser.currentTokenLocation().getLineNr();
  }

  @Override
  public void close() throws IOException {
    done = true;
    pending = null;
    try {
      parser.close();
    } finally {
      in.close();
    }
  }
}
