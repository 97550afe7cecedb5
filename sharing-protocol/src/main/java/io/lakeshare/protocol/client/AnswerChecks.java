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

  /** The answered format: the first one the response header names, else parquet. */
  static String respondedFormat(Capabilities responded) {
    return responded.responseFormats().isEmpty()
        ? ProtocolConstants.FORMAT_PARQUET
        : responded.responseFormats().get(0);
  }

  /**
   * The answer must be in a format the request accepted (CONFORMANCE §2.2): a request naming no
   * format accepts parquet only, so a delta answer to it fails rather than be misread. A parquet
   * answer is never refused: a request for delta alone may get one from a legacy server that does
   * not know the header (no capabilities header), and SPEC says a client that asked for delta and
   * got parquet must not fail. A requested {@code fileidhash} must be echoed.
   */
  static void checkFormatAndFileIds(
      ClassicHttpResponse resp, Transport transport, Transport.Call call, RequestOptions options) {
    Capabilities responded = Capabilities.parse(header(resp, HEADER_CAPABILITIES));
    Capabilities asked = Capabilities.parse(options == null ? null : options.capabilities());
    String format = respondedFormat(responded);
    boolean ok =
        format.equals(ProtocolConstants.FORMAT_PARQUET) || asked.responseFormats().contains(format);
    if (!ok) {
      throw transport.failure(
          call,
          "the server answered in response format "
              + format
              + ", which the request did not accept (it accepted "
              + (asked.responseFormats().isEmpty()
                  ? ProtocolConstants.FORMAT_PARQUET
                  : String.join(",", asked.responseFormats()))
              + "); ask for responseformat="
              + format
              + " to read such answers",
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
