package io.lakeshare.protocol.client;

import io.lakeshare.protocol.json.NdjsonReader;
import io.lakeshare.protocol.json.WireFormatException;
import io.lakeshare.protocol.model.Capabilities;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.ProtocolConstants;
import io.lakeshare.protocol.model.ResponseAction;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * A streamed query answer: the action lines are parsed one by one as they arrive, never buffered as
 * a whole. Iteration throws {@link DeltaSharingException} for a broken or malformed stream, for an
 * {@link EndStreamAction} carrying an {@code errorMessage}, for a parquet {@link Protocol} line
 * naming a sharing-protocol reader version this client cannot read (a delta-format protocol line's
 * reader version is Delta's, left to the caller), and when the server promised an EndStreamAction
 * but the stream ends without one. Close it (try-with-resources) even when not reading to the end;
 * that drops the connection.
 */
public final class QueryResponse implements Iterator<ResponseAction>, Closeable {
  private final ClassicHttpResponse response;
  private final NdjsonReader reader;
  private final Transport transport;
  private final Transport.Call call;
  private final long tableVersion;
  private final Capabilities respondedCapabilities;
  private ResponseAction last;
  private boolean finished;

  QueryResponse(
      ClassicHttpResponse response,
      InputStream body,
      Transport transport,
      Transport.Call call,
      long tableVersion) {
    this.response = response;
    this.reader = new NdjsonReader(body);
    this.transport = transport;
    this.call = call;
    this.tableVersion = tableVersion;
    this.respondedCapabilities =
        Capabilities.parse(AnswerChecks.header(response, ProtocolConstants.HEADER_CAPABILITIES));
  }

  /** The {@code Delta-Table-Version} header. */
  public long tableVersion() {
    return tableVersion;
  }

  /** A response header, looked up case-insensitively; {@code null} when absent. */
  public String header(String name) {
    return AnswerChecks.header(response, name);
  }

  /**
   * The format the server answered in: {@code parquet} (also when it did not say) or {@code delta}.
   */
  public String respondedFormat() {
    return AnswerChecks.respondedFormat(respondedCapabilities);
  }

  /** The parsed {@code delta-sharing-capabilities} response header (empty when absent). */
  public Capabilities respondedCapabilities() {
    return respondedCapabilities;
  }

  @Override
  public boolean hasNext() {
    if (finished) {
      return false;
    }
    try {
      if (reader.hasNext()) {
        return true;
      }
    } catch (WireFormatException e) {
      throw fail("malformed answer: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw fail("the answer stream broke: " + e.getCause(), e.getCause());
    }
    finished = true;
    Transport.closeQuietly(response);
    if (respondedCapabilities.includeEndStreamAction() && !(last instanceof EndStreamAction)) {
      throw transport.failure(
          call,
          "the server announced includeendstreamaction=true but the answer has no"
              + " EndStreamAction at the end (truncated answer?)",
          null);
    }
    return false;
  }

  @Override
  public ResponseAction next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ResponseAction a = reader.next();
    last = a;
    if (a instanceof Protocol p && AnswerChecks.readerVersionProblem(p) != null) {
      throw fail(AnswerChecks.readerVersionProblem(p), null);
    }
    if (a instanceof EndStreamAction e && e.errorMessage() != null) {
      int status = e.httpStatusErrorCode() == null ? 500 : e.httpStatusErrorCode();
      close();
      throw new DeltaSharingException(
          call.describe() + " failed while streaming: " + e.errorMessage(),
          status,
          null,
          e.errorMessage(),
          null);
    }
    return a;
  }

  private DeltaSharingException fail(String detail, Throwable cause) {
    close();
    return transport.failure(call, detail, cause);
  }

  /** Releases the connection; an unfinished answer is cut off rather than drained. */
  @Override
  public void close() {
    if (!finished) {
      finished = true;
      Transport.abort(response);
    }
    try {
      reader.close();
    } catch (IOException e) {
      // the connection is gone already; nothing to release
    }
  }
}
