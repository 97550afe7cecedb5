package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import org.junit.jupiter.api.Test;

/** CONFORMANCE §8.1: authentication and transport. */
class AuthAndRoutingTest {
  private final TestServer server = TestServer.get();

  @Test
  void missingTokenIs401WithEnvelope() {
    RawHttp.Answer a = server.raw().getWithoutToken("/shares");
    Envelope.assertError(a, 401, "UNAUTHENTICATED", null);
    assertThat(a.body()).doesNotContain(TestServer.TOKEN);
  }

  @Test
  void wrongTokenIs401() {
    RawHttp.Answer a = server.raw().getWithoutToken("/shares", "Authorization", "Bearer wrong");
    Envelope.assertError(a, 401, "UNAUTHENTICATED", null);
  }

  @Test
  void tokenWithOtherSchemeIs401() {
    RawHttp.Answer a =
        server.raw().getWithoutToken("/shares", "Authorization", "Basic " + TestServer.TOKEN);
    Envelope.assertError(a, 401, "UNAUTHENTICATED", null);
  }

  @Test
  void serverWithoutAuthorizationAcceptsEveryRequest() {
    TestServer open = TestServer.get(new TestServer.Options().noAuth());
    RawHttp.Answer a = open.raw().getWithoutToken("/shares");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).contains("\"s1\"");
  }

  @Test
  void unknownRouteIs404Envelope() {
    Envelope.assertError(server.raw().get("/foo"), 404, "RESOURCE_DOES_NOT_EXIST", null);
    var outsidePrefix = RawHttp.fetch(server.endpoint().replace("/delta-sharing", "/foo"));
    assertThat(outsidePrefix.statusCode()).isEqualTo(404);
    assertThat(outsidePrefix.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
  }

  @Test
  void wrongMethodIsAClientError() {
    RawHttp.Answer a = server.raw().post("/shares", "{}");
    assertThat(a.status()).isEqualTo(405);
    assertThat(a.header("Content-Type")).startsWith("application/json");
  }
}
