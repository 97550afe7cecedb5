package io.lakeshare.server.service;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes opaque, tamper-proof, URL-safe tokens (page and refresh tokens): the fields are written
 * with {@link DataOutputStream}, followed by a truncated HMAC-SHA256, and Base64url-encoded without
 * padding, so a token only ever holds {@code A-Z a-z 0-9 - _}.
 */
final class TokenSigner {
  private static final int MAC_BYTES = 16;
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  TokenSigner(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return m;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /** Writes the token's fields. */
  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  String sign(Writer fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      fields.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] payload = bytes.toByteArray();
    byte[] mac = Arrays.copyOf(macs.get().doFinal(payload), MAC_BYTES);
    byte[] token = Arrays.copyOf(payload, payload.length + MAC_BYTES);
    System.arraycopy(mac, 0, token, payload.length, MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  /** The verified fields, or {@code null} when the token is garbled or forged. */
  DataInputStream open(String token) {
    if (token == null || token.isEmpty() || token.length() > 4096) {
      return null;
    }
    String unpadded = stripPadding(token);
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(unpadded);
    } catch (IllegalArgumentException e) {
      return null;
    }
    // Only the canonical spelling is accepted: the decoder ignores the unused low bits of the last
    // character, so without this check two different strings would name the same token.
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(unpadded)) {
      return null;
    }
    if (raw.length <= MAC_BYTES) {
      return null;
    }
    byte[] payload = Arrays.copyOf(raw, raw.length - MAC_BYTES);
    byte[] mac = Arrays.copyOfRange(raw, raw.length - MAC_BYTES, raw.length);
    byte[] expected = Arrays.copyOf(macs.get().doFinal(payload), MAC_BYTES);
    if (!MessageDigest.isEqual(mac, expected)) {
      return null;
    }
    return new DataInputStream(new ByteArrayInputStream(payload));
  }

  private static String stripPadding(String token) {
    int end = token.length();
    while (end > 0 && token.charAt(end - 1) == '=') {
      end--;
    }
    return token.substring(0, end);
  }
}
