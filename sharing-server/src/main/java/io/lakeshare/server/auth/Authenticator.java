package io.lakeshare.server.auth;

import io.lakeshare.server.config.AddressRanges;
import io.lakeshare.server.config.RecipientConfig;
import io.lakeshare.server.config.ServerConfig;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells which recipient a bearer token belongs to: one of the stored tokens, or a JWT from a
 * configured issuer (see {@link FederatedTokens}). Every stored token is checked, whatever matched
 * first, and digests are compared in constant time, so neither the answer's timing nor its content
 * says how close a guess came. Tokens are never kept, only salted digests.
 */
public final class Authenticator {
  /** The recipient of the reference format's {@code authorization.bearerToken}. */
  public static final String BEARER_TOKEN_RECIPIENT = "default";

  /**
   * Who a token is, whether it has expired, and whether the request's address is one the recipient
   * may connect from.
   */
  public record Match(String recipient, boolean expired, boolean addressAllowed) {}

  /** A stored token; {@code until} ends a rotated-out token's grace (null: no end of its own). */
  private record Entry(String recipient, byte[] salt, byte[] digest, Instant until) {}

  /** What holds for a recipient however it authenticated. */
  private record Limits(Instant expiresAt, AddressRanges allowed) {}

  private static final AddressRanges ANYWHERE = new AddressRanges(List.of());

  /** Verified tokens kept at most; beyond it a token is checked against every entry again. */
  private static final int MAX_VERIFIED = 50_000;

  /**
   * Tokens already verified, by their HMAC under a key of this instance (never the token itself): a
   * known token costs one HMAC and a map read instead of a salted SHA-256 per stored token. Only
   * successful matches enter, so unknown tokens cannot fill it; a reload builds a new
   * authenticator, so a revoked token leaves with the old map.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Entry> verified =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final javax.crypto.spec.SecretKeySpec verifiedKey;

  private final List<Entry> entries;
  private final Map<String, Limits> limits;
  private final FederatedTokens federated;
  private final Clock clock;
  private final ClientAddress clients;
  private final boolean open;

  private Authenticator(
      boolean open,
      List<Entry> entries,
      Map<String, Limits> limits,
      FederatedTokens federated,
      Clock clock,
      ClientAddress clients) {
    this.open = open;
    this.entries = List.copyOf(entries);
    this.limits = Map.copyOf(limits);
    this.federated = federated;
    this.clock = clock;
    this.clients = clients;
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    this.verifiedKey = new javax.crypto.spec.SecretKeySpec(k, "HmacSHA256");
  }

  private String verifiedKey(String token) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(verifiedKey);
      return java.util.Base64.getEncoder()
          .encodeToString(mac.doFinal(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The configured recipients, plus {@code authorization.bearerToken} as "default". */
  public static Authenticator of(ServerConfig config, Clock clock) {
    List<Entry> entries = new ArrayList<>();
    Map<String, Limits> limits = new HashMap<>();
    if (config.authorization() != null) {
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      entries.add(
          new Entry(
              BEARER_TOKEN_RECIPIENT,
              salt,
              TokenHash.digest(salt, config.authorization().bearerToken()),
              null));
      limits.put(BEARER_TOKEN_RECIPIENT, new Limits(null, ANYWHERE));
    }
    for (RecipientConfig r : config.recipients()) {
      if (r.tokenHash() != null) {
        TokenHash.Parsed p = TokenHash.parse(r.tokenHash());
        entries.add(new Entry(r.name(), p.salt(), p.digest(), null));
      }
      if (r.previousTokenHash() != null) {
        TokenHash.Parsed p = TokenHash.parse(r.previousTokenHash());
        entries.add(new Entry(r.name(), p.salt(), p.digest(), r.previousTokenExpiresAt()));
      }
      limits.put(r.name(), new Limits(r.expiresAt(), new AddressRanges(r.allowedIps())));
    }
    return new Authenticator(
        config.open(),
        entries,
        limits,
        FederatedTokens.of(config),
        clock,
        new ClientAddress(new AddressRanges(config.trustedProxies())));
  }

  /** Whether no credential is configured at all, so every request is the "default" recipient. */
  public boolean open() {
    return open;
  }

  /**
   * The recipient {@code token} belongs to, or null when it belongs to none.
   *
   * @param peer the connection's remote address
   * @param forwardedFor the request's {@code X-Forwarded-For} values (read only from trusted
   *     proxies)
   */
  public Match authenticate(String token, InetAddress peer, List<String> forwardedFor) {
    String found = null;
    Instant now = clock.instant();
    String key = entries.isEmpty() ? null : verifiedKey(token);
    Entry known = key == null ? null : verified.get(key);
    if (known != null && (known.until() == null || now.isBefore(known.until()))) {
      found = known.recipient();
    } else if (key != null) {
      Entry match = null;
      for (Entry e : entries) {
        boolean same = MessageDigest.isEqual(e.digest(), TokenHash.digest(e.salt(), token));
        boolean inGrace = e.until() == null || now.isBefore(e.until());
        if (same && inGrace && match == null) {
          match = e;
        }
      }
      if (match != null) {
        found = match.recipient();
        if (verified.size() < MAX_VERIFIED) {
          verified.put(key, match);
        }
      } else if (known != null) {
        verified.remove(key, known);
      }
    }
    if (found == null) {
      found = federated.recipientOf(token);
    }
    if (found == null) {
      return null;
    }
    Limits l = limits.get(found);
    boolean expired = l.expiresAt() != null && !clock.instant().isBefore(l.expiresAt());
    boolean allowed = l.allowed().isEmpty() || l.allowed().contains(clients.of(peer, forwardedFor));
    return new Match(found, expired, allowed);
  }
}
