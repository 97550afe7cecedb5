package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.server.RawHttp;
import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.ErrorResponse;
import java.nio.charset.StandardCharsets;

/** Assertions on the protocol's error envelope. */
final class Envelope {
  private Envelope() {}

  /** Asserts status, JSON content type, error code and a message fragment; returns the message. */
  static String assertError(RawHttp.Answer a, int status, String errorCode, String fragment) {
    assertThat(a.status()).as("status of %s", a.body()).isEqualTo(status);
    assertThat(a.header("Content-Type")).startsWith("application/json");
    ErrorResponse e = WireJson.readError(a.body().getBytes(StandardCharsets.UTF_8));
    assertThat(e).as("error envelope in %s", a.body()).isNotNull();
    assertThat(e.errorCode()).isEqualTo(errorCode);
    if (fragment != null) {
      assertThat(e.message()).contains(fragment);
    }
    assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("/tmp");
    return e.message();
  }
}
