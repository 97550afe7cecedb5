package io.lakeshare.server.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * File ids as the reference server makes them, so caches keyed by id survive a server switch: MD5
 * (parquet scheme) or SHA-256 (delta scheme) of the path as written in the Delta log, lowercase
 * hex.
 */
final class FileIds {
  static final String PARQUET = "parquet";
  static final String DELTA = "delta";

  private static final ThreadLocal<MessageDigest> MD5 = digest("MD5");
  private static final ThreadLocal<MessageDigest> SHA256 = digest("SHA-256");

  private FileIds() {}

  /** The validated, lowercased {@code fileidhash} header, or {@code null} when absent. */
  static String parseHeader(String raw) {
    if (raw == null) {
      return null;
    }
    String v = raw.trim().toLowerCase(Locale.ROOT);
    if (!v.equals(PARQUET) && !v.equals(DELTA)) {
      throw ServerErrors.invalidParameter(
          "Unsupported fileidhash: '" + raw + "'. Supported: parquet, delta");
    }
    return v;
  }

  static String id(String scheme, String logPath) {
    MessageDigest d = DELTA.equals(scheme) ? SHA256.get() : MD5.get();
    return HexFormat.of().formatHex(d.digest(logPath.getBytes(StandardCharsets.UTF_8)));
  }

  private static ThreadLocal<MessageDigest> digest(String algorithm) {
    return ThreadLocal.withInitial(
        () -> {
          try {
            return MessageDigest.getInstance(algorithm);
          } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
