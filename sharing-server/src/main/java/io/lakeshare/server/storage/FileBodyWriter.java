package io.lakeshare.server.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Streams a byte range of an open file into a response one pooled buffer at a time, so memory per
 * download stays at one chunk whatever the file size. The next chunk is read only after Jetty has
 * written the previous one, which also applies the client's back-pressure.
 */
final class FileBodyWriter extends IteratingCallback {

  /** Bytes read from disk and handed to Jetty per write. */
  static final int CHUNK_BYTES = 64 * 1024;

  private final FileChannel channel;
  private final Response response;
  private final Callback callback;
  private final RetainableByteBuffer buffer;
  private long position;
  private long remaining;
  private boolean lastWritten;

  FileBodyWriter(
      FileChannel channel,
      ByteRange range,
      Response response,
      ByteBufferPool pool,
      Callback callback) {
    this.channel = channel;
    this.response = response;
    this.callback = callback;
    this.position = range.first();
    this.remaining = range.length();
    this.buffer = pool.acquire((int) Math.min(CHUNK_BYTES, Math.max(1, remaining)), true);
  }

  @Override
  protected Action process() throws IOException {
    if (lastWritten) {
      return Action.SUCCEEDED;
    }
    ByteBuffer chunk = buffer.getByteBuffer();
    chunk.clear();
    int want = (int) Math.min(chunk.capacity(), remaining);
    chunk.limit(want);
    while (chunk.hasRemaining()) {
      int read = channel.read(chunk, position);
      if (read < 0) {
        // The file shrank after Content-Length went out; failing aborts the connection so the
        // client sees a truncated body rather than wrong bytes.
        throw new EOFException("File ended before the announced length");
      }
      position += read;
    }
    chunk.flip();
    remaining -= want;
    lastWritten = remaining == 0;
    response.write(lastWritten, chunk, this);
    return Action.SCHEDULED;
  }

  @Override
  protected void onCompleted(Throwable causeOrNull) {
    // Runs once no write is pending any more, so the buffer can go back to the pool.
    buffer.release();
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to recover: the bytes have been sent or the response has failed anyway.
    }
    super.onCompleted(causeOrNull);
  }

  @Override
  protected void onCompleteSuccess() {
    callback.succeeded();
  }

  @Override
  protected void onCompleteFailure(Throwable cause) {
    callback.failed(cause);
  }
}
