package io.lakeshare.spark.read;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;

/** An open HTTP response whose body holds the file's bytes from {@code start} to {@code end}. */
final class RangeResponse {

  private final ClassicHttpResponse response;
  private final InputStream body;
  private final FileUrl url;
  private final long start;
  private final long end;
  private long position;
  private boolean released;

  /**
   * @param end exclusive offset at which the body ends according to the response headers
   */
  RangeResponse(ClassicHttpResponse response, InputStream body, FileUrl url, long start, long end) {
    this.response = response;
    this.body = body;
    this.url = url;
    this.start = start;
    this.end = end;
    this.position = start;
  }

  /** Reads into the caller's buffer; -1 once the body is exhausted or ended early. */
  int read(byte[] buffer, int offset, int length) throws IOException {
    long left = end - position;
    if (left <= 0) {
      return -1;
    }
    int n = body.read(buffer, offset, (int) Math.min(length, left));
    if (n > 0) {
      position += n;
    }
    return n;
  }

  /** Discards {@code count} bytes; false if the body ended first. */
  boolean skip(long count, byte[] scratch) throws IOException {
    long left = count;
    while (left > 0) {
      int n = read(scratch, 0, (int) Math.min(scratch.length, left));
      if (n < 0) {
        return false;
      }
      left -= n;
    }
    return true;
  }

  /** The URL this response came from. */
  FileUrl url() {
    return url;
  }

  long start() {
    return start;
  }

  /** File offset of the next byte the body will deliver. */
  long position() {
    return position;
  }

  /** Exclusive file offset where the body ends. */
  long end() {
    return end;
  }

  boolean complete() {
    return position >= end;
  }

  /**
   * Ends the response: reads the rest of the body when at most {@code drainLimit} bytes remain so
   * the pooled connection can serve the next request, else closes the connection at once.
   */
  void release(long drainLimit, byte[] scratch) {
    if (released) {
      return;
    }
    released = true;
    if (end - position > drainLimit) {
      abortConnection();
      return;
    }
    try {
      long budget = drainLimit;
      int n;
      while ((n = body.read(scratch, 0, (int) Math.min(scratch.length, budget + 1))) >= 0) {
        budget -= n;
        if (budget < 0) {
          // The server sends more than its headers announced; do not keep reading.
          abortConnection();
          return;
        }
      }
      response.close();
    } catch (IOException e) {
      abortConnection();
    }
  }

  /** Closes the connection without reading the rest of the body. */
  void abort() {
    if (!released) {
      released = true;
      abortConnection();
    }
  }

  private void abortConnection() {
    // A graceful close would read the whole remaining body to keep the connection.
    if (response instanceof ModalCloseable closeable) {
      closeable.close(CloseMode.IMMEDIATE);
    } else {
      try {
        response.close();
      } catch (IOException ignored) {
        // nothing useful to do: the response is being discarded
      }
    }
  }
}
