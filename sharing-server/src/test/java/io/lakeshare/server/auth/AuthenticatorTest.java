package io.lakeshare.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.config.ServerConfig;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Token matching, first by checking every stored digest and then from the verified tokens. */
class AuthenticatorTest {
  private static final String NEW = "new-token-of-alice-0123456789";
  private static final String OLD = "old-token-of-alice-0123456789";
  private static final String BOB = "token-of-bob-0123456789abcdef";

  /** A clock the test moves. */
  private static final class Moving extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static ServerConfig config() {
    return ConfigLoader.parse(
        """
        version: 1
        shares: [{name: s, schemas: [{name: a, tables: [{name: t, location: /tmp/t}]}]}]
        recipients:
        - name: alice
          tokenHash: "%s"
          previousTokenHash: "%s"
          previousTokenExpiresAt: 2026-01-01T01:00:00Z
          grants: [{share: s}]
        - name: bob
          token: %s
          expiresAt: 2026-01-02T00:00:00Z
          grants: [{share: s}]
        """
            .formatted(TokenHash.of(NEW), TokenHash.of(OLD), BOB),
        "auth.yaml");
  }

  private static String who(Authenticator a, String token) throws Exception {
    Authenticator.Match m = a.authenticate(token, InetAddress.getLoopbackAddress(), List.of());
    return m == null ? null : m.recipient() + (m.expired() ? "(expired)" : "");
  }

  @Test
  void verifiedTokensGiveTheSameAnswerAndGraceStillEnds() throws Exception {
    Moving clock = new Moving();
    Authenticator a = Authenticator.of(config(), clock);
    for (int i = 0; i < 3; i++) {
      assertThat(who(a, NEW)).isEqualTo("alice");
      assertThat(who(a, OLD)).as("rotated out, in grace").isEqualTo("alice");
      assertThat(who(a, BOB)).isEqualTo("bob");
      assertThat(who(a, "unknown-token-0123456789abcdef")).isNull();
      assertThat(who(a, NEW + "x")).isNull();
    }
    // the old token was verified while in grace; its grace still ends
    clock.now = clock.now.plus(Duration.ofHours(2));
    assertThat(who(a, OLD)).isNull();
    assertThat(who(a, NEW)).isEqualTo("alice");
    // a verified token's recipient still expires
    clock.now = clock.now.plus(Duration.ofDays(1));
    assertThat(who(a, BOB)).isEqualTo("bob(expired)");
    // a new authenticator (a reload) without bob forgets his verified token
    Authenticator reloaded =
        Authenticator.of(
            config()
                .withRecipients(
                    config().recipients().stream().filter(r -> r.name().equals("alice")).toList()),
            clock);
    assertThat(who(reloaded, BOB)).isNull();
    assertThat(who(reloaded, NEW)).isEqualTo("alice");
  }
}
