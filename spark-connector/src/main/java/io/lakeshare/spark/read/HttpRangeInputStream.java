package io.lakeshare.spark.read;

import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * Seekable read of one remote file over HTTP range requests, resuming at the same offset after
 * transient failures and after the storage rejects an expired URL.
 *
 * <p>Seeks are lazy: the next read decides whether to skip forward on the open response or to open
 * a new one. Positioned reads use their own bounded request and leave the sequential position and
 * response alone. The last {@value #TAIL_SIZE} bytes are fetched once and kept, because Parquet
 * reads its footer length and then its footer from there.
 */
public final class HttpRangeInputStream extends FSInputStream {

  /** Forward seeks up to this distance read and discard bytes instead of a new request. */
  static final int MAX_FORWARD_SKIP = 256 * 1024;

  /**
   * On close or seek, a response with at most this much left is drained to reuse its connection.
   */
  static final int DRAIN_LIMIT = 8 * 1024;

  /** Size of the cached end of the file. */
  static final int TAIL_SIZE = 64 * 1024;

  private final RangeOpener opener;
  private final long fileLength;
  private final String displayName;
  private final long tailStart;
  private final byte[] scratch = new byte[8 * 1024];
  private final byte[] oneByte = new byte[1];
  private byte[] tail;
  private RangeResponse current;
  // Sequential reads share one budget across calls: each call may return after a few bytes.
  private RetryBudget sequentialBudget;
  private long pos;
  private boolean closed;

  /**
   * Creates a stream over a file of {@code fileLength} bytes; nothing is requested until a read.
   */
  public HttpRangeInputStream(
      CloseableHttpClient client,
      UrlSource urls,
      long fileLength,
      HttpReadSettings settings,
      String displayName) {
    this(client, urls, fileLength, false, settings, displayName);
  }

  /**
   * Creates a stream over the first {@code fileLength} bytes of a file that may be longer ({@code
   * lengthIsMinimum}), e.g. a deletion vector inside a file of several vectors.
   */
  public HttpRangeInputStream(
      CloseableHttpClient client,
      UrlSource urls,
      long fileLength,
      boolean lengthIsMinimum,
      HttpReadSettings settings,
      String displayName) {
    if (fileLength < 0) {
      throw new IllegalArgumentException("fileLength must be >= 0, got " + fileLength);
    }
    this.displayName = Objects.requireNonNull(displayName, "displayName");
    this.opener =
        new RangeOpener(
            Objects.requireNonNull(client, "client"),
            Objects.requireNonNull(urls, "urls"),
            fileLength,
            lengthIsMinimum,
            Objects.requireNonNull(settings, "settings"),
            displayName);
    this.fileLength = fileLength;
    this.tailStart = Math.max(0, fileLength - TAIL_SIZE);
  }

  @Override
  public synchronized int read() throws IOException {
    int n = read(oneByte, 0, 1);
    return n < 0 ? -1 : oneByte[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
    checkOpen();
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length == 0) {
      return 0;
    }
    if (pos >= fileLength) {
      return -1;
    }
    int wanted = (int) Math.min(length, fileLength - pos);
    if (tail != null && pos >= tailStart) {
      return copyFromTail(buffer, offset, wanted);
    }
    if (sequentialBudget == null) {
      sequentialBudget = opener.newBudget();
    }
    RetryBudget budget = sequentialBudget;
    while (true) {
      if (!canContinueAt(pos)) {
        dropCurrent();
        if (pos >= tailStart) {
          tail = fetchTail(budget);
          return copyFromTail(buffer, offset, wanted);
        }
        current = opener.open(pos, fileLength - 1, budget);
      }
      RangeResponse response = current;
      String failure;
      IOException cause = null;
      try {
        long gap = pos - response.position();
        if (gap == 0 || response.skip(gap, scratch)) {
          int n = response.read(buffer, offset, wanted);
          if (n > 0) {
            pos += n;
            budget.onProgress(n);
            return n;
          }
        }
        failure = prematureEnd(response);
      } catch (IOException e) {
        failure = RangeOpener.describe(e, response.url());
        cause = e;
      }
      response.abort();
      current = null;
      if (cause != null) {
        RangeOpener.rethrowIfInterrupted(cause);
      }
      budget.beforeRetry(pos, failure, cause);
    }
  }

  @Override
  public synchronized int read(long position, byte[] buffer, int offset, int length)
      throws IOException {
    checkOpen();
    validatePositionedReadArgs(position, buffer, offset, length);
    if (length == 0) {
      return 0;
    }
    if (position >= fileLength) {
      return -1;
    }
    int n = (int) Math.min(length, fileLength - position);
    readRange(position, buffer, offset, n);
    return n;
  }

  @Override
  public synchronized void readFully(long position, byte[] buffer, int offset, int length)
      throws IOException {
    checkOpen();
    validatePositionedReadArgs(position, buffer, offset, length);
    if (length == 0) {
      return;
    }
    if (position > fileLength - length) {
      throw new EOFException(
          FSExceptionMessages.EOF_IN_READ_FULLY
              + " "
              + displayName
              + " has "
              + fileLength
              + " bytes; asked for "
              + length
              + " at offset "
              + position);
    }
    readRange(position, buffer, offset, length);
  }

  @Override
  public synchronized void seek(long target) throws IOException {
    checkOpen();
    if (target < 0) {
      throw new EOFException(FSExceptionMessages.NEGATIVE_SEEK + ": " + target);
    }
    if (target > fileLength) {
      throw new EOFException(
          FSExceptionMessages.CANNOT_SEEK_PAST_EOF
              + ": "
              + target
              + " > "
              + fileLength
              + " in "
              + displayName);
    }
    pos = target;
  }

  @Override
  public synchronized long getPos() {
    return pos;
  }

  @Override
  public boolean seekToNewSource(long targetPos) {
    return false;
  }

  @Override
  public synchronized long skip(long count) throws IOException {
    checkOpen();
    if (count <= 0) {
      return 0;
    }
    long skipped = Math.min(count, fileLength - pos);
    pos += skipped;
    return skipped;
  }

  /** Bytes left in the file, as Hadoop's object-store streams report it. */
  @Override
  public synchronized int available() throws IOException {
    checkOpen();
    return (int) Math.min(Integer.MAX_VALUE, fileLength - pos);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    dropCurrent();
    tail = null;
  }

  @Override
  public synchronized String toString() {
    return "HttpRangeInputStream[" + displayName + ", pos=" + pos + ", length=" + fileLength + "]";
  }

  private boolean canContinueAt(long target) {
    return current != null
        && target >= current.position()
        && target < current.end()
        && target - current.position() <= MAX_FORWARD_SKIP;
  }

  private void readRange(long position, byte[] buffer, int offset, int length) throws IOException {
    if (position >= tailStart) {
      if (tail == null) {
        tail = fetchTail(opener.newBudget());
      }
      System.arraycopy(tail, (int) (position - tailStart), buffer, offset, length);
      return;
    }
    fetch(position, buffer, offset, length, opener.newBudget());
  }

  private byte[] fetchTail(RetryBudget budget) throws IOException {
    byte[] bytes = new byte[(int) (fileLength - tailStart)];
    fetch(tailStart, bytes, 0, bytes.length, budget);
    return bytes;
  }

  /** Fills the buffer from a bounded request, resuming after failures where it stopped. */
  private void fetch(long position, byte[] buffer, int offset, int length, RetryBudget budget)
      throws IOException {
    int done = 0;
    while (done < length) {
      RangeResponse response = opener.open(position + done, position + length - 1, budget);
      String failure = null;
      IOException cause = null;
      try {
        int n;
        while (done < length && (n = response.read(buffer, offset + done, length - done)) >= 0) {
          done += n;
          budget.onProgress(n);
        }
        if (done < length && !response.complete()) {
          failure = prematureEnd(response);
        }
      } catch (IOException e) {
        response.abort();
        RangeOpener.rethrowIfInterrupted(e);
        failure = RangeOpener.describe(e, response.url());
        cause = e;
      }
      if (failure == null) {
        response.release(DRAIN_LIMIT, scratch);
      } else {
        response.abort();
        budget.beforeRetry(position + done, failure, cause);
      }
    }
  }

  private int copyFromTail(byte[] buffer, int offset, int length) {
    System.arraycopy(tail, (int) (pos - tailStart), buffer, offset, length);
    pos += length;
    return length;
  }

  private void dropCurrent() {
    if (current != null) {
      current.release(DRAIN_LIMIT, scratch);
      current = null;
    }
  }

  private static String prematureEnd(RangeResponse response) {
    return "response body ended at offset "
        + response.position()
        + " before the announced end "
        + response.end();
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException(FSExceptionMessages.STREAM_IS_CLOSED + " " + displayName);
    }
  }
}
