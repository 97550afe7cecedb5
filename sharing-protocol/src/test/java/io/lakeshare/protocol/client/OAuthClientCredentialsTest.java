package io.lakeshare.protocol.client;

import static io.lakeshare.protocol.client.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.profile.Profile;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client-credentials token exchange, its caching and its renewal. */
class OAuthClientCredentialsTest {
  private static final String TOKEN_PATH = "/oauth/token";
  private static final String SHARES = "/delta-sharing/shares";

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2024-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private ScriptedServer server;
  private final ManualClock clock = new ManualClock();

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedServer();
    server.on(SHARES, (ex, n) -> json(ex, 200, "{\"items\":[{\"name\":\"s\"}]}"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private DeltaSharingClient client(String scope) {
    String tokenEndpoint = server.endpoint().replace("/delta-sharing", "") + TOKEN_PATH + "/";
    Profile p =
        Profile.oauthClientCredentials(server.endpoint(), tokenEndpoint, "cid", "sec", scope);
    return DeltaSharingClient.builder(p)
        .maxRetries(2)
        .initialBackoff(Duration.ofMillis(5))
        .clock(clock)
        .build();
  }

  private List<String> authHeadersOf(String path) {
    return server.seen.stream()
        .filter(s -> s.rawPath().equals(path))
        .map(s -> s.header("Authorization"))
        .collect(Collectors.toList());
  }

  @Test
  void exchangesCredentialsOnceAndReusesTheToken() {
    server.on(
        TOKEN_PATH,
        (ex, n) ->
            json(
                ex,
                200,
                "{\"access_token\":\"at"
                    + n
                    + "\",\"token_type\":\"bearer\",\"expires_in\":\"3600\"}"));
    try (DeltaSharingClient c = client("read share")) {
      c.listShares(null, null);
      clock.advance(Duration.ofMinutes(30));
      c.listShares(null, null);
    }
    assertThat(server.calls(TOKEN_PATH)).isEqualTo(1);
    ScriptedServer.Seen tokenCall = server.seen.get(0);
    assertThat(tokenCall.method()).isEqualTo("POST");
    assertThat(tokenCall.header("Authorization")).isEqualTo("Basic Y2lkOnNlYw==");
    assertThat(tokenCall.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(tokenCall.header("Accept")).isEqualTo("application/json");
    assertThat(tokenCall.body()).isEqualTo("grant_type=client_credentials&scope=read%20share");
    assertThat(authHeadersOf(SHARES)).containsExactly("Bearer at1", "Bearer at1");
  }

  @Test
  void renewsWhenLessThanTenMinutesRemain() {
    server.on(
        TOKEN_PATH,
        (ex, n) -> json(ex, 200, "{\"access_token\":\"at" + n + "\",\"expires_in\":3600}"));
    try (DeltaSharingClient c = client(null)) {
      c.listShares(null, null);
      clock.advance(Duration.ofSeconds(3600 - 601));
      c.listShares(null, null);
      clock.advance(Duration.ofSeconds(2));
      c.listShares(null, null);
    }
    assertThat(server.calls(TOKEN_PATH)).isEqualTo(2);
    assertThat(server.seen.get(0).body()).isEqualTo("grant_type=client_credentials");
    assertThat(authHeadersOf(SHARES)).containsExactly("Bearer at1", "Bearer at1", "Bearer at2");
  }

  @Test
  void unauthorizedAnswerTriggersOneFreshToken() {
    server.on(
        TOKEN_PATH,
        (ex, n) -> json(ex, 200, "{\"access_token\":\"at" + n + "\",\"expires_in\":3600}"));
    server.on(
        SHARES,
        (ex, n) -> {
          if (n == 1) {
            json(ex, 401, "{\"errorCode\":\"UNAUTHENTICATED\",\"message\":\"revoked\"}");
          } else {
            json(ex, 200, "{}");
          }
        });
    try (DeltaSharingClient c = client(null)) {
      assertThat(c.listShares(null, null).items()).isEmpty();
    }
    assertThat(authHeadersOf(SHARES)).containsExactly("Bearer at1", "Bearer at2");
  }

  @Test
  void tokenEndpointErrorsAndBadAnswersAreReported() {
    server.on(
        TOKEN_PATH,
        (ex, n) -> {
          if (n == 1) {
            json(ex, 400, "{\"error\":\"invalid_client\"}");
          } else {
            json(ex, 200, "{\"access_token\":\"x\"}");
          }
        });
    try (DeltaSharingClient c = client(null)) {
      assertThatThrownBy(() -> c.listShares(null, null))
          .isInstanceOfSatisfying(
              DeltaSharingException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.getMessage()).startsWith("POST /oauth/token failed: HTTP 400");
              });
      assertThatThrownBy(() -> c.listShares(null, null))
          .isInstanceOf(DeltaSharingException.class)
          .hasMessageContaining("no positive 'expires_in'");
    }
    assertThat(server.calls(SHARES)).isZero();
  }

  @Test
  void tokenExchangeIsRetriedOnServerErrors() {
    server.on(
        TOKEN_PATH,
        (ex, n) -> {
          if (n == 1) {
            json(ex, 503, "{}");
          } else {
            json(ex, 200, "{\"access_token\":\"ok\",\"expires_in\":60}");
          }
        });
    try (DeltaSharingClient c = client(null)) {
      c.listShares(null, null);
    }
    assertThat(server.calls(TOKEN_PATH)).isEqualTo(2);
    assertThat(authHeadersOf(SHARES)).containsExactly("Bearer ok");
  }
}
