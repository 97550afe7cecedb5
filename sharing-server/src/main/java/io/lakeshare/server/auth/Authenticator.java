package io.lakeshare.server.auth;

import io.lakeshare.server.config.RecipientConfig;
import io.lakeshare.server.config.ServerConfig;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells which recipient a bearer token belongs to. Every stored token is checked, whatever matched
 * first, and digests are compared in constant time, so neither the answer's timing nor its content
 * says how close a guess came. Tokens are never kept, only salted digests.
 */
public final class Authenticator {
  /** The recipient of the reference format's {@code authorization.bearerToken}. */
  public static final String BEARER_TOKEN_RECIPIENT = "default";

  /** Who a token is, and whether it has expired. */
  public record Match(String recipient, boolean expired) {}

  private record Entry(String recipient, byte[] salt, byte[] digest, Instant expiresAt) {}

  private final List<Entry> entries;
  private final Clock clock;

  private Authenticator(List<Entry> entries, Clock clock) {
    this.entries = List.copyOf(entries);
    this.clock = clock;
  }

  /** The configured recipients, plus {@code authorization.bearerToken} as "default". */
  public static Authenticator of(ServerConfig config, Clock clock) {
    List<Entry> entries = new ArrayList<>();
    if (config.authorization() != null) {
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      entries.add(
          new Entry(
              BEARER_TOKEN_RECIPIENT,
              salt,
              TokenHash.digest(salt, config.authorization().bearerToken()),
              null));
    }
    for (RecipientConfig r : config.recipients()) {
      TokenHash.Parsed p = TokenHash.parse(r.tokenHash());
      entries.add(new Entry(r.name(), p.salt(), p.digest(), r.expiresAt()));
    }
    return new Authenticator(entries, clock);
  }

  /** Whether no token is configured at all, so every request is the "default" recipient. */
  public boolean open() {
    return entries.isEmpty();
  }

  /** The recipient {@code token} belongs to, or null when it belongs to none. */
  public Match authenticate(String token) {
    Match found = null;
    for (Entry e : entries) {
      boolean same = MessageDigest.isEqual(e.digest(), TokenHash.digest(e.salt(), token));
      if (same && found == null) {
        Instant now = clock.instant();
        found = new Match(e.recipient(), e.expiresAt() != null && !now.isBefore(e.expiresAt()));
      }
    }
    return found;
  }
}
