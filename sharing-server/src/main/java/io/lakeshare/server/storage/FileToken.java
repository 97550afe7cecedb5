package io.lakeshare.server.storage;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token inside a local signed URL: {@code base64url(path) "." expirySeconds "." base64url(mac)}
 * where the MAC is HMAC-SHA256 over a fixed domain label and the first two parts as sent. Every
 * character is URL-safe, so the token is one path segment that no client re-encodes.
 */
final class FileToken {

  /** Below this the key is too short to resist guessing. */
  static final int MIN_KEY_BYTES = 16;

  private static final String MAC_ALGORITHM = "HmacSHA256";
  // Separates these MACs from any other use of the same key.
  private static final byte[] DOMAIN = "lakeshare/local-file/v1\n".getBytes(US_ASCII);
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  // Expiry seconds beyond this would overflow when turned into milliseconds.
  private static final long MAX_EXPIRY_SECONDS = Long.MAX_VALUE / 1000;

  /** The outcome of checking a token. */
  enum Status {
    VALID,
    INVALID,
    EXPIRED
  }

  /** A checked token; {@code path} is set only when the status is {@link Status#VALID}. */
  record Check(Status status, String path) {}

  private final ThreadLocal<Mac> macs;

  FileToken(byte[] key) {
    if (key == null || key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "The HMAC key for signed file URLs must have at least " + MIN_KEY_BYTES + " bytes");
    }
    SecretKeySpec spec = new SecretKeySpec(key, MAC_ALGORITHM);
    newMac(spec); // fail at construction, not on the first request, if the JDK lacks the MAC
    // Mac.getInstance is slow and Mac is not thread-safe: one per thread keeps signing cheap.
    this.macs = ThreadLocal.withInitial(() -> newMac(spec));
  }

  /** Creates the token for an absolute, normalized path valid until the given epoch second. */
  String create(String absolutePath, long expiresAtEpochSecond) {
    String signedPart =
        ENCODER.encodeToString(absolutePath.getBytes(UTF_8)) + '.' + expiresAtEpochSecond;
    return signedPart + '.' + macOf(signedPart);
  }

  /** Checks the MAC first, then the expiry, so an unsigned token learns nothing about expiry. */
  Check verify(String token, long nowEpochMillis) {
    int first = token.indexOf('.');
    int last = token.lastIndexOf('.');
    if (first <= 0 || last <= first + 1 || last == token.length() - 1) {
      return invalid();
    }
    String signedPart = token.substring(0, last);
    byte[] expected = macOf(signedPart).getBytes(US_ASCII);
    byte[] actual = token.substring(last + 1).getBytes(US_ASCII);
    // Comparing the encoded text, not decoded bytes, leaves no second spelling of a valid MAC.
    if (!MessageDigest.isEqual(expected, actual)) {
      return invalid();
    }
    long expirySeconds;
    try {
      expirySeconds = Long.parseLong(token.substring(first + 1, last));
    } catch (NumberFormatException e) {
      return invalid();
    }
    if (expirySeconds < 0 || expirySeconds > MAX_EXPIRY_SECONDS) {
      return invalid();
    }
    if (nowEpochMillis >= expirySeconds * 1000) {
      return new Check(Status.EXPIRED, null);
    }
    try {
      return new Check(Status.VALID, new String(DECODER.decode(token.substring(0, first)), UTF_8));
    } catch (IllegalArgumentException e) {
      return invalid();
    }
  }

  private String macOf(String signedPart) {
    Mac mac = macs.get();
    mac.update(DOMAIN);
    return ENCODER.encodeToString(mac.doFinal(signedPart.getBytes(US_ASCII)));
  }

  private static Check invalid() {
    return new Check(Status.INVALID, null);
  }

  private static Mac newMac(SecretKeySpec spec) {
    try {
      Mac mac = Mac.getInstance(MAC_ALGORITHM);
      mac.init(spec);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
