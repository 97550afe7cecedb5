package io.lakeshare.protocol.model;

/** A share as listed by the server (CONFORMANCE §1.2). Optional fields are {@code null}. */
public record Share(String name, String id) {
  public Share {
    java.util.Objects.requireNonNull(name, "name");
  }
}
