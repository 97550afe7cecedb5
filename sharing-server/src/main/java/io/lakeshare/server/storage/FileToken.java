package io.lakeshare.server.storage;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MACs of local signed URLs. Version 2 (what {@link LocalFileSigner} makes): an opaque table
 * key derived from the table root, and a signature over the key, the base64url relative path and
 * the expiry, each under its own domain label. Version 1 (still verified, for one release): a token
 * {@code base64url(path) "." expirySeconds "." base64url(mac)} where the MAC covers a domain label
 * and the first two parts as sent. Every character is URL-safe, so no client re-encodes them.
 */
final class FileToken {

  /** Below this the key is too short to resist guessing. */
  static final int MIN_KEY_BYTES = 16;

  private static final String MAC_ALGORITHM = "HmacSHA256";
  // Separates these MACs from any other use of the same key.
  private static final byte[] DOMAIN = "lakeshare/local-file/v1\n".getBytes(US_ASCII);
  private static final byte[] DOMAIN_V2 = "lakeshare/local-file/v2\n".getBytes(US_ASCII);
  private static final byte[] DOMAIN_TABLE = "lakeshare/table-root/v1\n".getBytes(US_ASCII);

  /** Characters of a table key: 128 bits of an HMAC in base64url. */
  private static final int TABLE_KEY_CHARS = 22;

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

  /**
   * An opaque, stable name of a table root for URLs: an HMAC of the root's path, so URLs never show
   * the server's directory layout while the same key names the same root after a restart.
   */
  String tableKey(String absoluteRoot) {
    Mac mac = macs.get();
    mac.update(DOMAIN_TABLE);
    return ENCODER
        .encodeToString(mac.doFinal(absoluteRoot.getBytes(UTF_8)))
        .substring(0, TABLE_KEY_CHARS);
  }

  /**
   * The signature of a version-2 URL: over the table key, the encoded relative path and the expiry,
   * each as sent.
   */
  String signatureV2(String tableKey, String encodedRelativePath, long expiresAtEpochSecond) {
    Mac mac = macs.get();
    mac.update(DOMAIN_V2);
    String signed = tableKey + '\n' + encodedRelativePath + '\n' + expiresAtEpochSecond;
    return ENCODER.encodeToString(mac.doFinal(signed.getBytes(US_ASCII)));
  }

  /**
   * Checks a version-2 URL's query values; on success {@code path} is the decoded path relative to
   * the table root. The MAC is checked before anything else.
   */
  Check verifyV2(
      String tableKey,
      String encodedRelativePath,
      String expiry,
      String signature,
      long nowEpochMillis) {
    if (tableKey == null || encodedRelativePath == null || expiry == null || signature == null) {
      return invalid();
    }
    long expirySeconds;
    try {
      expirySeconds = Long.parseLong(expiry);
    } catch (NumberFormatException e) {
      return invalid();
    }
    byte[] expected = signatureV2(tableKey, encodedRelativePath, expirySeconds).getBytes(US_ASCII);
    // The expiry must be spelled exactly as signed ("+5" or "05" parse to the same number).
    if (!MessageDigest.isEqual(expected, signature.getBytes(UTF_8))
        || !Long.toString(expirySeconds).equals(expiry)) {
      return invalid();
    }
    if (expirySeconds < 0 || expirySeconds > MAX_EXPIRY_SECONDS) {
      return invalid();
    }
    if (nowEpochMillis >= expirySeconds * 1000) {
      return new Check(Status.EXPIRED, null);
    }
    try {
      return new Check(Status.VALID, new String(DECODER.decode(encodedRelativePath), UTF_8));
    } catch (IllegalArgumentException e) {
      return invalid();
    }
  }

  /** base64url without padding, the encoding of a version-2 URL's relative path. */
  static String encodePath(String relativePath) {
    return ENCODER.encodeToString(relativePath.getBytes(UTF_8));
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
