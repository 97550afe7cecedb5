package io.lakeshare.server.storage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Query-string ("presigned") GET URLs in the V4 scheme with an HMAC key, path-style ({@code
 * /bucket/key}), signing only the {@code host} header. One implementation serves two dialects that
 * differ only in names: Cloud Storage's {@code GOOG4-HMAC-SHA256} (HMAC keys) and S3's {@code
 * AWS4-HMAC-SHA256}; the S3 dialect exists so that the shared algorithm is checked against the AWS
 * SDK's presigner.
 *
 * <p>The derived signing key depends only on the date, so it is computed once a day; a URL then
 * costs one SHA-256 and one HMAC, with no network call.
 */
public final class V4QuerySigner {
  /** The names that tell the two dialects apart. */
  public record Dialect(
      String algorithm, String keyPrefix, String paramPrefix, String service, String terminator) {
    public static final Dialect GOOG4_HMAC =
        new Dialect("GOOG4-HMAC-SHA256", "GOOG4", "X-Goog-", "storage", "goog4_request");
    public static final Dialect AWS4_HMAC =
        new Dialect("AWS4-HMAC-SHA256", "AWS4", "X-Amz-", "s3", "aws4_request");
  }

  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private final Dialect dialect;
  private final String accessId;
  private final byte[] secret;
  private final String region;
  private final String origin;
  private final String host;
  private String keyDate;
  private byte[] signingKey;

  /**
   * @param endpoint scheme, host and optional port URLs point at, e.g. {@code
   *     https://storage.googleapis.com}
   * @param region the credential scope's region ({@code auto} for Cloud Storage)
   */
  public V4QuerySigner(
      Dialect dialect, String accessId, String secret, String region, URI endpoint) {
    this.dialect = dialect;
    this.accessId = accessId;
    this.secret = (dialect.keyPrefix() + secret).getBytes(StandardCharsets.UTF_8);
    this.region = region;
    this.host =
        endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    this.origin = endpoint.getScheme() + "://" + host;
  }

  /** The URL of {@code bucket/key} (key not encoded) signed at {@code now} for {@code seconds}. */
  public String presign(String bucket, String key, Instant now, long seconds) {
    String dateTime = DATE_TIME.format(now);
    String path = path(bucket, key);
    String query = canonicalQuery(dateTime, seconds);
    String toSign = stringToSign(dateTime, canonicalRequest(path, query));
    String signature = HEX.formatHex(hmac(signingKey(dateTime.substring(0, 8)), toSign));
    return origin + path + "?" + query + "&" + dialect.paramPrefix() + "Signature=" + signature;
  }

  /** What {@link #presign} signs, for checks against other implementations. */
  public String stringToSign(String bucket, String key, Instant now, long seconds) {
    String dateTime = DATE_TIME.format(now);
    return stringToSign(
        dateTime, canonicalRequest(path(bucket, key), canonicalQuery(dateTime, seconds)));
  }

  private static String path(String bucket, String key) {
    return "/" + bucket + "/" + PercentEncoding.encodeKeepingSlashes(key);
  }

  /** The sorted, encoded query parameters that are signed. */
  private String canonicalQuery(String dateTime, long seconds) {
    String p = dialect.paramPrefix();
    String credential =
        accessId
            + "/"
            + dateTime.substring(0, 8)
            + "/"
            + region
            + "/"
            + dialect.service()
            + "/"
            + dialect.terminator();
    // already in byte order: Algorithm < Credential < Date < Expires < SignedHeaders
    return p
        + "Algorithm="
        + dialect.algorithm()
        + "&"
        + p
        + "Credential="
        + PercentEncoding.encodeSegment(credential)
        + "&"
        + p
        + "Date="
        + dateTime
        + "&"
        + p
        + "Expires="
        + seconds
        + "&"
        + p
        + "SignedHeaders=host";
  }

  private String canonicalRequest(String path, String query) {
    return "GET\n" + path + "\n" + query + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
  }

  private String stringToSign(String dateTime, String canonicalRequest) {
    return dialect.algorithm()
        + "\n"
        + dateTime
        + "\n"
        + scope(dateTime.substring(0, 8))
        + "\n"
        + HEX.formatHex(sha256(canonicalRequest));
  }

  private String scope(String date) {
    return date + "/" + region + "/" + dialect.service() + "/" + dialect.terminator();
  }

  private synchronized byte[] signingKey(String date) {
    if (!date.equals(keyDate)) {
      byte[] k = hmac(secret, date);
      k = hmac(k, region);
      k = hmac(k, dialect.service());
      signingKey = hmac(k, dialect.terminator());
      keyDate = date;
    }
    return signingKey;
  }

  private static final ThreadLocal<Mac> MAC =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance("HmacSHA256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private static byte[] hmac(byte[] key, String data) {
    Mac mac = MAC.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(String s) {
    return SHA256.get().digest(s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "V4QuerySigner[" + dialect.algorithm() + ", " + accessId + ", " + origin + "]";
  }
}
