package io.lakeshare.protocol.model;

/** A schema inside a share (CONFORMANCE §1.4). */
public record Schema(String name, String share) {
  public Schema {
    java.util.Objects.requireNonNull(name, "name");
    java.util.Objects.requireNonNull(share, "share");
  }
}
