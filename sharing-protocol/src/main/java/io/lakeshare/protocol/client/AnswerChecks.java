package io.lakeshare.protocol.client;

import static io.lakeshare.protocol.model.ProtocolConstants.HEADER_CAPABILITIES;
import static io.lakeshare.protocol.model.ProtocolConstants.HEADER_FILE_ID_HASH;
import static io.lakeshare.protocol.model.ProtocolConstants.HEADER_TABLE_VERSION;

import io.lakeshare.protocol.model.Capabilities;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.ProtocolConstants;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

/** Checks a client must make on 2xx answers before trusting them (CONFORMANCE §2.2, §3.1, §3.3). */
final class AnswerChecks {
  private AnswerChecks() {}

  static String header(ClassicHttpResponse resp, String name) {
    Header h = resp.getFirstHeader(name);
    return h == null ? null : h.getValue();
  }

  static InputStream content(ClassicHttpResponse resp) throws IOException {
    HttpEntity entity = resp.getEntity();
    return entity == null ? InputStream.nullInputStream() : entity.getContent();
  }

  /** All response headers, the first value of each name. */
  static Map<String, String> headers(ClassicHttpResponse resp) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Header h : resp.getHeaders()) {
      out.putIfAbsent(h.getName(), h.getValue());
    }
    return out;
  }

  /** The mandatory {@code Delta-Table-Version} header of version, metadata and query answers. */
  static long tableVersion(ClassicHttpResponse resp, Transport transport, Transport.Call call) {
    String v = header(resp, HEADER_TABLE_VERSION);
    if (v == null) {
      throw transport.failure(call, "the answer has no " + HEADER_TABLE_VERSION + " header", null);
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw transport.failure(
          call, "the " + HEADER_TABLE_VERSION + " header is not a number: " + v, null);
    }
  }

  /**
   * This client reads parquet-format answers only; a delta-format answer must fail rather than be
   * misread. A requested {@code fileidhash} must be echoed.
   */
  static void checkFormatAndFileIds(
      ClassicHttpResponse resp, Transport transport, Transport.Call call, RequestOptions options) {
    Capabilities responded = Capabilities.parse(header(resp, HEADER_CAPABILITIES));
    if (!responded.accepts(ProtocolConstants.FORMAT_PARQUET)) {
      throw transport.failure(
          call,
          "the server answered in response format "
              + responded.responseFormats()
              + ", but this client reads only parquet",
          null);
    }
    if (options != null && options.fileIdHash() != null) {
      String expected = options.fileIdHash().trim().toLowerCase(Locale.ROOT);
      String echoed = header(resp, HEADER_FILE_ID_HASH);
      if (echoed == null || !echoed.trim().toLowerCase(Locale.ROOT).equals(expected)) {
        throw transport.failure(
            call,
            "asked for fileidhash '" + expected + "' but the server echoed '" + echoed + "'",
            null);
      }
    }
  }

  /** A message when the table needs a newer sharing-protocol reader, else {@code null}. */
  static String readerVersionProblem(Protocol p) {
    if (p.minReaderVersion() <= Protocol.CURRENT_READER_VERSION) {
      return null;
    }
    return "the table needs sharing-protocol reader version "
        + p.minReaderVersion()
        + " but this client reads version "
        + Protocol.CURRENT_READER_VERSION
        + "; please upgrade to a newer release";
  }
}
