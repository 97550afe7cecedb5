package io.lakeshare.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;

/** RFC 3986 percent-encoding of single path segments, strict in both directions. */
public final class PercentEncoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {}

  /** Encodes every byte of the UTF-8 form except RFC 3986 unreserved characters. */
  static String encodeSegment(String segment) {
    StringBuilder out = null;
    for (int i = 0; i < segment.length(); i++) {
      if (!isUnreserved(segment.charAt(i))) {
        out = new StringBuilder(segment.length() + 16).append(segment, 0, i);
        appendEncoded(segment.substring(i), out);
        break;
      }
    }
    return out == null ? segment : out.toString();
  }

  /**
   * Decodes {@code %XX} escapes as UTF-8; returns {@code null} for a malformed escape or escaped
   * bytes that are not UTF-8, so callers can refuse instead of guessing. Unescaped characters are
   * kept as they are.
   */
  /**
   * Percent-encodes an object key for a URL path: every character except RFC 3986 unreserved ones
   * and {@code /}, so each key maps to one URL and back.
   */
  public static String encodeKeepingSlashes(String key) {
    StringBuilder out = new StringBuilder(key.length() + 16);
    int start = 0;
    for (int i = 0; i <= key.length(); i++) {
      if (i == key.length() || key.charAt(i) == '/') {
        out.append(encodeSegment(key.substring(start, i)));
        if (i < key.length()) {
          out.append('/');
        }
        start = i + 1;
      }
    }
    return out.toString();
  }

  static String decode(String encoded) {
    if (encoded.indexOf('%') < 0) {
      return encoded;
    }
    StringBuilder out = new StringBuilder(encoded.length());
    int i = 0;
    while (i < encoded.length()) {
      if (encoded.charAt(i) != '%') {
        out.append(encoded.charAt(i++));
        continue;
      }
      // A run of escapes is decoded together: one character may span several of them.
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      while (i < encoded.length() && encoded.charAt(i) == '%') {
        int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
        int low = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0) {
          return null;
        }
        bytes.write((high << 4) | low);
        i += 3;
      }
      try {
        out.append(
            UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray())));
      } catch (CharacterCodingException e) {
        return null;
      }
    }
    return out.toString();
  }

  /** True when the text could be an encoded URI path: ASCII, no space, every '%' a full escape. */
  static boolean isWellFormedEncodedPath(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0) {
        return false;
      }
      if (c == '%') {
        if (i + 2 >= text.length()
            || Character.digit(text.charAt(i + 1), 16) < 0
            || Character.digit(text.charAt(i + 2), 16) < 0) {
          return false;
        }
      }
    }
    return true;
  }

  private static void appendEncoded(String rest, StringBuilder out) {
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (isUnreserved(c)) {
        out.append(c);
        continue;
      }
      int end = Character.isHighSurrogate(c) && i + 1 < rest.length() ? i + 2 : i + 1;
      for (byte b : rest.substring(i, end).getBytes(UTF_8)) {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
      }
      i = end - 1;
    }
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
