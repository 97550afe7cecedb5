package io.lakeshare.protocol.model;

/** {@code {"protocol": {"minReaderVersion": 1}}}: the sharing protocol's reader version. */
public record Protocol(int minReaderVersion) implements ProtocolLine {
  /** The only reader version of the parquet response format. */
  public static final int CURRENT_READER_VERSION = 1;
}
