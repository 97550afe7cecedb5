package io.lakeshare.server.service;

import io.lakeshare.protocol.model.Capabilities;
import io.lakeshare.protocol.model.ProtocolConstants;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The response format of one answer (CONFORMANCE §2.2). A client that names one format gets it (or
 * a 400 when its answer cannot be given in it); a client that accepts both gets parquet where
 * parquet can express the table version, which every client reads, and delta where it cannot. The
 * choice depends only on the table version, never on a page, so every page of an answer has the
 * same format.
 */
enum ResponseFormat {
  PARQUET(ProtocolConstants.FORMAT_PARQUET),
  DELTA(ProtocolConstants.FORMAT_DELTA);

  private final String wireName;

  ResponseFormat(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }

  /** The {@code delta-sharing-capabilities} value of an answer in this format. */
  String capabilities(boolean endStreamAction) {
    String value = Capabilities.KEY_RESPONSE_FORMAT + "=" + wireName;
    return endStreamAction
        ? value + ";" + Capabilities.KEY_INCLUDE_END_STREAM_ACTION + "=true"
        : value;
  }

  /**
   * Picks the format.
   *
   * @param needsDelta whether parquet cannot express the answer; asked only when the client accepts
   *     both formats
   */
  static ResponseFormat choose(Capabilities capabilities, BooleanSupplier needsDelta) {
    List<String> asked = capabilities.responseFormats();
    boolean parquet = asked.isEmpty() || asked.contains(ProtocolConstants.FORMAT_PARQUET);
    boolean delta = asked.contains(ProtocolConstants.FORMAT_DELTA);
    if (!parquet && !delta) {
      throw ServerErrors.invalidParameter(
          "Unsupported responseformat '"
              + String.join(",", asked)
              + "' in the delta-sharing-capabilities header. Supported: parquet, delta.");
    }
    if (parquet && delta) {
      return needsDelta.getAsBoolean() ? DELTA : PARQUET;
    }
    return delta ? DELTA : PARQUET;
  }

  /** A later page must be answered in the format of the first page. */
  static ResponseFormat ofToken(byte code, Capabilities capabilities) {
    ResponseFormat f = code == 'D' ? DELTA : PARQUET;
    if (!capabilities.accepts(f.wireName)) {
      throw ServerErrors.invalidParameter(
          "The page token belongs to an answer in responseformat="
              + f.wireName
              + ", which this request does not accept; send the same"
              + " delta-sharing-capabilities header with every page.");
    }
    return f;
  }

  /** The code of this format inside page tokens. */
  byte tokenCode() {
    return (byte) (this == DELTA ? 'D' : 'P');
  }
}
