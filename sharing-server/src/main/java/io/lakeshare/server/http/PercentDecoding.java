package io.lakeshare.server.http;

import io.lakeshare.server.service.ServerErrors;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.util.Fields;

/**
 * Strict percent-decoding of request paths and query strings: a malformed escape ({@code %}, {@code
 * %4}, {@code %G1}) or bytes that are not well-formed UTF-8 (such as {@code %FF} or the overlong
 * {@code %C0%80}) is the client's error, answered with a 400 that names the parameter, never
 * decoded into replacement characters or left to fail later.
 */
final class PercentDecoding {
  private PercentDecoding() {}

  /** Thrown for a malformed escape or invalid UTF-8; the message says which. */
  static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message);
    }
  }

  /**
   * Decodes one path segment or query component.
   *
   * @param plusIsSpace {@code true} in a query string ({@code +} is a space), {@code false} in a
   *     path
   */
  static String decode(String raw, boolean plusIsSpace) throws MalformedException {
    if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); ) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new MalformedException("a '%' not followed by two hexadecimal digits");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new MalformedException("a '%' not followed by two hexadecimal digits");
        }
        bytes.write(hi << 4 | lo);
        i += 3;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
        i++;
      } else {
        int end = i + 1;
        if (Character.isHighSurrogate(c) && end < raw.length()) {
          end++;
        }
        bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedException("escapes that are not well-formed UTF-8");
    }
  }

  /**
   * The parameters of a raw query string ({@code null} or empty: none); a malformed one is a 400
   * naming it.
   */
  static Fields queryParameters(String rawQuery) {
    Fields fields = new Fields(true);
    if (rawQuery == null || rawQuery.isEmpty()) {
      return fields;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
      String name;
      try {
        name = decode(rawName, true);
      } catch (MalformedException e) {
        throw ServerErrors.invalidParameter(
            "The query string has a parameter name with " + e.getMessage() + ".");
      }
      try {
        fields.add(name, decode(rawValue, true));
      } catch (MalformedException e) {
        throw ServerErrors.invalidParameter(
            "The value of query parameter '" + printable(name) + "' has " + e.getMessage() + ".");
      }
    }
    return fields;
  }

  /** A client-supplied name shortened and stripped of control characters for a message. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 64; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return s.length() > 64 ? b + "..." : b.toString();
  }
}
