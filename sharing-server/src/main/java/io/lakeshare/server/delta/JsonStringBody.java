package io.lakeshare.server.delta;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text kept as the body of a JSON string: what goes between the quotes, escaped as Jackson writes
 * it, in UTF-8. {@link ScanFile} keeps its stats this way, so that answers copy them as they are.
 */
public final class JsonStringBody {
  private JsonStringBody() {}

  /**
   * The JSON string body of {@code text} as the protocol codec's generator writes it: Jackson's
   * escapes, UTF-8, and each surrogate (a character outside the Basic Multilingual Plane, or a lone
   * one, which UTF-8 cannot carry) as a JSON unicode escape, so that answers built from these bytes
   * equal the codec's lines and the text decodes to itself.
   */
  public static byte[] encode(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return encodeEscapingSurrogates(text);
      }
    }
    return JsonStringEncoder.getInstance().quoteAsUTF8(text);
  }

  private static byte[] encodeEscapingSurrogates(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(text.substring(run, i)));
        out.writeBytes(String.format("\\u%04X", (int) c).getBytes(StandardCharsets.US_ASCII));
        run = i + 1;
      }
    }
    out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(text.substring(run)));
    return out.toByteArray();
  }

  /** The text whose JSON string body is {@code body}, for every escape JSON allows. */
  public static String decode(byte[] body) {
    byte[] ascii = new byte[body.length];
    int n = decodeAscii(body, ascii);
    return n >= 0 ? new String(ascii, 0, n, StandardCharsets.ISO_8859_1) : decodeGeneral(body);
  }

  /**
   * The common case in one pass: ASCII text whose escapes are quotes, backslashes, slashes,
   * newlines and tabs is decoded into {@code out} (at least {@code body.length} long), which then
   * holds the text's ASCII (so also UTF-8) bytes; answers their count, or -1 when the body needs
   * {@link #decode}.
   */
  public static int decodeAscii(byte[] body, byte[] out) {
    int n = 0;
    for (int i = 0; i < body.length; i++) {
      byte b = body[i];
      if (b < 0) {
        return -1;
      }
      if (b != '\\') {
        out[n++] = b;
        continue;
      }
      if (++i >= body.length) {
        throw new IllegalArgumentException("a JSON string ends inside an escape");
      }
      byte e = body[i];
      if (e == '"' || e == '\\' || e == '/') {
        out[n++] = e;
      } else if (e == 'n') {
        out[n++] = '\n';
      } else if (e == 't') {
        out[n++] = '\t';
      } else {
        return -1;
      }
    }
    return n;
  }

  private static String decodeGeneral(byte[] body) {
    boolean ascii = true;
    for (byte b : body) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    // escapes are ASCII and never part of a multi-byte UTF-8 sequence, so they can be undone on
    // the decoded characters
    String s = new String(body, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    int n = s.length();
    char[] out = new char[n];
    int len = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out[len++] = c;
        continue;
      }
      if (++i >= n) {
        throw new IllegalArgumentException("a JSON string ends inside an escape");
      }
      char e = s.charAt(i);
      switch (e) {
        case '"', '\\', '/' -> out[len++] = e;
        case 'b' -> out[len++] = '\b';
        case 'f' -> out[len++] = '\f';
        case 'n' -> out[len++] = '\n';
        case 'r' -> out[len++] = '\r';
        case 't' -> out[len++] = '\t';
        case 'u' -> {
          if (i + 4 >= n) {
            throw new IllegalArgumentException("a JSON string ends inside a unicode escape");
          }
          out[len++] = (char) Integer.parseInt(s, i + 1, i + 5, 16);
          i += 4;
        }
        default -> throw new IllegalArgumentException("not a JSON escape: \\" + e);
      }
    }
    return new String(out, 0, len);
  }
}
