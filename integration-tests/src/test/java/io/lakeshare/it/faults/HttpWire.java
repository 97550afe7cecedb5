package io.lakeshare.it.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Just enough HTTP/1.1 framing for {@link FaultProxy}: heads, fixed, chunked and EOF bodies. */
final class HttpWire {
  private static final int MAX_HEAD = 64 * 1024;

  private HttpWire() {}

  /** A request or status line with its headers, in wire order. */
  record Head(String startLine, List<String[]> headers) {
    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }

    int status() {
      String[] parts = startLine.split(" ", 3);
      return Integer.parseInt(parts[1]);
    }

    String method() {
      return startLine.split(" ", 3)[0];
    }

    String target() {
      return startLine.split(" ", 3)[1];
    }

    boolean chunked() {
      String te = header("Transfer-Encoding");
      return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
    }
  }

  /** Reads a head; {@code null} when the peer closed before sending a byte. */
  static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0) {
        if (buf.size() == 0) {
          return null;
        }
        throw new IOException("connection closed inside an HTTP head");
      }
      buf.write(b);
      if (buf.size() > MAX_HEAD) {
        throw new IOException("HTTP head too large");
      }
      last4 = (last4 << 8) | b;
    }
    String[] lines = buf.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(
            new String[] {
              lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()
            });
      }
    }
    return new Head(lines[0], headers);
  }

  /** Reads a request body (fixed length or chunked); requests without either have none. */
  static byte[] readRequestBody(InputStream in, Head head) throws IOException {
    if (head.chunked()) {
      return readChunked(in);
    }
    String length = head.header("Content-Length");
    return length == null ? new byte[0] : readFixed(in, Long.parseLong(length.trim()));
  }

  /** Reads a whole response body; the upstream was asked to close after it. */
  static byte[] readResponseBody(InputStream in, Head head, boolean headRequest)
      throws IOException {
    int status = head.status();
    if (headRequest || status / 100 == 1 || status == 204 || status == 304) {
      return new byte[0];
    }
    if (head.chunked()) {
      return readChunked(in);
    }
    String length = head.header("Content-Length");
    return length == null ? in.readAllBytes() : readFixed(in, Long.parseLong(length.trim()));
  }

  private static byte[] readFixed(InputStream in, long length) throws IOException {
    byte[] body = in.readNBytes((int) length);
    if (body.length != length) {
      throw new IOException("body ended after " + body.length + " of " + length + " bytes");
    }
    return body;
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        // trailers up to the empty line
        while (!readLine(in).isEmpty()) {
          // skip
        }
        return out.toByteArray();
      }
      out.write(readFixed(in, size));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    if (b < 0) {
      throw new IOException("chunked body ended early");
    }
    return sb.toString();
  }

  /**
   * Writes a head, leaving out framing and connection headers and adding {@code extra} ones ({@code
   * name, value} pairs).
   */
  static void writeHead(OutputStream out, Head head, String... extra) throws IOException {
    StringBuilder sb = new StringBuilder(head.startLine()).append("\r\n");
    for (String[] h : head.headers()) {
      String n = h[0].toLowerCase(Locale.ROOT);
      if (!n.equals("content-length")
          && !n.equals("transfer-encoding")
          && !n.equals("connection")
          && !n.equals("keep-alive")) {
        sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
      }
    }
    for (int i = 0; i + 1 < extra.length; i += 2) {
      sb.append(extra[i]).append(": ").append(extra[i + 1]).append("\r\n");
    }
    sb.append("\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }
}
