package io.lakeshare.it.faults;

import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/** What {@link FaultProxy} does to one exchange. */
sealed interface Fault {

  /** Answers {@code status} itself without asking the server; {@code retryAfter} may be null. */
  record Status(int status, String retryAfter) implements Fault {}

  /** Forwards, sends the head and the first {@code bodyBytes} bytes, then resets (RST). */
  record ResetAfter(int bodyBytes) implements Fault {}

  /**
   * Forwards and then goes silent: before the head when {@code bodyBytes < 0}, else after the head
   * and that many body bytes; the connection is held until the client gives up or the proxy is
   * released.
   */
  record StallAfter(int bodyBytes) implements Fault {}

  /** Forwards after a pause (a slow but healthy server). */
  record Delay(long millis) implements Fault {}

  /**
   * Forwards but sends only a prefix of the body and then closes cleanly (FIN). With {@code
   * fullLength} the head still announces the whole body's Content-Length; otherwise the body is
   * delimited by the close (no Content-Length, no chunking), as an HTTP/1.0-style hop would send
   * it.
   */
  record Truncate(Cut cut, boolean fullLength) implements Fault {}

  /** Runs {@code before} (e.g. restarts the server), then forwards. */
  record Hook(Runnable before) implements Fault {}

  /** Where a {@link Truncate} cuts the body. */
  record Cut(String name, ToIntFunction<byte[]> at) {
    /** Half of the body. */
    static Cut half() {
      return new Cut("half", b -> b.length / 2);
    }

    /** In the middle of line {@code line} (0-based) of an NDJSON body. */
    static Cut midLine(int line) {
      return new Cut(
          "mid-line " + line,
          b -> {
            int start = lineStart(b, line);
            int end = lineStart(b, line + 1);
            return start + Math.max(1, (end - start) / 2);
          });
    }

    /** Right after the newline that ends line {@code line - 1}: {@code line} whole lines remain. */
    static Cut afterLines(int lines) {
      return new Cut("after " + lines + " lines", b -> lineStart(b, lines));
    }

    private static int lineStart(byte[] b, int line) {
      int pos = 0;
      for (int i = 0; i < line; i++) {
        int nl = indexOf(b, (byte) '\n', pos);
        if (nl < 0) {
          throw new IllegalStateException(
              "the body has fewer than "
                  + (line + 1)
                  + " lines: "
                  + new String(b, StandardCharsets.UTF_8));
        }
        pos = nl + 1;
      }
      return pos;
    }

    private static int indexOf(byte[] b, byte x, int from) {
      for (int i = from; i < b.length; i++) {
        if (b[i] == x) {
          return i;
        }
      }
      return -1;
    }
  }
}
