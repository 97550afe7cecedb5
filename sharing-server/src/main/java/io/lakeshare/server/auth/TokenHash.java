package io.lakeshare.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * How recipients' bearer tokens are stored: {@code sha256:<salt>:<digest>}, both base64url without
 * padding, the digest being SHA-256 of the salt followed by the token's UTF-8 bytes. Tokens this
 * server issues are 256 random bits, so a fast salted hash is enough: nothing is gained by a slow
 * password hash against a secret no one can guess, and every request pays for the check.
 */
public final class TokenHash {
  private static final String PREFIX = "sha256:";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  /** A parsed hash. */
  public record Parsed(byte[] salt, byte[] digest) {}

  private TokenHash() {}

  /** A new token: 32 random bytes, base64url. */
  public static String newToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return B64.encodeToString(b);
  }

  /** The stored form of {@code token} under a fresh random salt. */
  public static String of(String token) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return PREFIX + B64.encodeToString(salt) + ":" + B64.encodeToString(digest(salt, token));
  }

  /**
   * Parses a stored hash.
   *
   * @throws IllegalArgumentException naming what is wrong (never echoing the value)
   */
  public static Parsed parse(String stored) {
    if (stored == null || !stored.startsWith(PREFIX)) {
      throw new IllegalArgumentException("it must start with 'sha256:'");
    }
    String[] parts = stored.substring(PREFIX.length()).split(":", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("it must be sha256:<salt>:<digest>");
    }
    byte[] salt;
    byte[] digest;
    try {
      salt = B64D.decode(parts[0]);
      digest = B64D.decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("its salt and digest must be base64url");
    }
    if (salt.length < 8) {
      throw new IllegalArgumentException("its salt must be at least 8 bytes");
    }
    if (digest.length != 32) {
      throw new IllegalArgumentException("its digest must be 32 bytes (SHA-256)");
    }
    return new Parsed(salt, digest);
  }

  /** SHA-256 of {@code salt} then the UTF-8 bytes of {@code token}. */
  public static byte[] digest(byte[] salt, String token) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt);
      return md.digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
