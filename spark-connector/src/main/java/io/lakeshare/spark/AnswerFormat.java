package io.lakeshare.spark;

import java.util.Locale;

/**
 * The response formats a read asks the server for, as the {@code delta-sharing-capabilities}
 * request header says them. The reader features are those this connector applies itself: deletion
 * vectors and column mapping in its read path, the rest being types Spark reads or log details the
 * server deals with.
 */
enum AnswerFormat {
  PARQUET("responseformat=parquet"),
  DELTA("responseformat=delta;readerfeatures=" + AnswerFormat.READER_FEATURES),
  AUTO("responseformat=parquet,delta;readerfeatures=" + AnswerFormat.READER_FEATURES);

  static final String READER_FEATURES =
      "deletionvectors,columnmapping,timestampntz,v2checkpoint,vacuumprotocolcheck";

  private final String capabilities;

  AnswerFormat(String capabilities) {
    this.capabilities = capabilities;
  }

  /** The request header value. */
  String capabilities() {
    return capabilities;
  }

  /**
   * The request header value for queries and change queries (E8, E9), which also asks for a
   * trailing EndStreamAction: a server that announces it must end its answer with one, so an answer
   * cut at a line boundary (well-formed HTTP when the close delimits the body, and well-formed
   * NDJSON) is told from a whole one instead of being read as a smaller table. A server that does
   * not know the key ignores it, and then nothing is required.
   */
  String answerCapabilities() {
    return capabilities + ";includeendstreamaction=true";
  }

  /** The option value's format ({@code null} option: {@link #AUTO}), or null when unknown. */
  static AnswerFormat parse(String option) {
    if (option == null) {
      return AUTO;
    }
    return switch (option.trim().toLowerCase(Locale.ROOT)) {
      case "parquet" -> PARQUET;
      case "delta" -> DELTA;
      case "auto", "parquet,delta", "delta,parquet" -> AUTO;
      default -> null;
    };
  }
}
