package io.lakeshare.server.http;

import io.lakeshare.server.service.ServerErrors;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Refuses request bodies longer than a limit instead of reading them into memory. */
final class BoundedInputStream extends FilterInputStream {
  private final long limit;
  private long read;

  BoundedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(long n) {
    read += n;
    if (read > limit) {
      throw ServerErrors.malformedRequest("The request body is larger than " + limit + " bytes.");
    }
  }
}
