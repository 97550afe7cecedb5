package io.lakeshare.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow clients from pinning request threads of the handler it wraps, which reads bodies and
 * writes answers with blocking I/O.
 *
 * <ul>
 *   <li>Request bodies are read before the wrapped handler runs, asynchronously: while a client
 *       trickles its body no thread waits for it (Jetty calls back when bytes arrive). The body
 *       must be complete within {@link Limits#bodyTimeout()} (else 408 and the connection is
 *       closed), is held up to {@link Limits#maxBodyBytes()} plus one byte (the wrapped handler
 *       refuses larger ones), and all bodies held at once share {@link Limits#bodyBudgetBytes()}
 *       (beyond it, 503).
 *   <li>Every response write must complete within {@link Limits#writeStallFloor()} or within the
 *       time its bytes take at {@link Limits#minWriteBytesPerSecond()}, whichever is longer; a
 *       client reading slower than that has its connection closed, which fails the blocked write
 *       and frees the thread. This is a minimum data rate checked per write, so the first megabytes
 *       that the socket buffers absorb at once cannot hide a stalled reader for minutes, as an
 *       average since the start of the answer would (Jetty 12's {@code
 *       HttpConfiguration.setMinResponseDataRate} is not enforced by its HTTP/1.1 connection).
 * </ul>
 */
final class SlowClientGuard extends Handler.Wrapper {

  /**
   * The bounds the guard applies.
   *
   * @param bodyTimeout time a whole request body may take to arrive
   * @param maxBodyBytes the wrapped handler's body limit; one byte more is read so that it sees the
   *     excess and answers as it does for any oversized body
   * @param bodyBudgetBytes bytes of bodies held across all requests at once
   * @param writeStallFloor time any one response write may take
   * @param minWriteBytesPerSecond rate below which a larger write is too slow
   */
  record Limits(
      Duration bodyTimeout,
      int maxBodyBytes,
      long bodyBudgetBytes,
      Duration writeStallFloor,
      long minWriteBytesPerSecond) {}

  private static final Logger LOG = LoggerFactory.getLogger(SlowClientGuard.class);
  private static final String JSON = "application/json; charset=utf-8";
  private static final int INITIAL_BUFFER = 4096;

  private final Limits limits;
  private final AtomicLong heldBodyBytes = new AtomicLong();
  private final AtomicLong slowBodies = new AtomicLong();
  private final AtomicLong slowReaders = new AtomicLong();

  SlowClientGuard(Handler handler, Limits limits) {
    super(handler);
    this.limits = limits;
  }

  /** Connections closed so far because a request body did not arrive in time. */
  long slowBodiesClosed() {
    return slowBodies.get();
  }

  /** Connections closed so far because an answer was read too slowly. */
  long slowReadersClosed() {
    return slowReaders.get();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Response guarded = new WriteGuard(request, response);
    // A body announced as too large is refused by the wrapped handler without being read.
    if (!expectsBody(request) || request.getLength() > limits.maxBodyBytes()) {
      return super.handle(request, guarded, callback);
    }
    new BodyLoader(request, guarded, callback).start();
    return true;
  }

  private static boolean expectsBody(Request request) {
    for (HttpField field : request.getHeaders()) {
      HttpHeader header = field.getHeader();
      if (header == HttpHeader.CONTENT_LENGTH && field.getLongValue() > 0) {
        return true;
      }
      if (header == HttpHeader.TRANSFER_ENCODING) {
        return true;
      }
    }
    return false;
  }

  /** Runs the wrapped handler as Jetty would, once the body is held. */
  private void dispatch(Request request, Response response, Callback callback) {
    try {
      if (!super.handle(request, response, callback)) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      }
    } catch (Throwable t) {
      Response.writeError(request, response, callback, t);
    }
  }

  /** Answers with the protocol's error envelope and closes the connection afterwards. */
  static void sendError(
      Response response, Callback callback, int status, String errorCode, String message) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
    }
    // Messages are fixed text without characters that need JSON escaping.
    byte[] body =
        ("{\"errorCode\":\"" + errorCode + "\",\"message\":\"" + message + "\"}").getBytes(UTF_8);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** Reads one request body without holding a thread, then hands the request on. */
  private final class BodyLoader implements Runnable {
    private static final int LOADING = 0;
    private static final int DONE = 1;

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final AtomicInteger state = new AtomicInteger(LOADING);
    // bytes and size belong to the reading thread; the budget fields are shared with the timer.
    private byte[] bytes = new byte[0];
    private int size;
    private long reserved;
    private boolean released;
    private Scheduler.Task timeout;

    BodyLoader(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    void start() {
      timeout =
          request
              .getComponents()
              .getScheduler()
              .schedule(this::timedOut, limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
      run();
    }

    /** Reads what has arrived; asks to be called again when more does. */
    @Override
    public void run() {
      while (state.get() == LOADING) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          // A transient failure is Jetty's idle timeout; a terminal one a malformed body (such as
          // a bad chunk size) or a broken connection. Either way the body will not be complete.
          boolean idle = chunk.getFailure() instanceof TimeoutException;
          chunk.release();
          finishWithError(
              idle ? HttpStatus.REQUEST_TIMEOUT_408 : HttpStatus.BAD_REQUEST_400,
              "MALFORMED_REQUEST",
              idle
                  ? "The request body stopped arriving."
                  : "The request body is malformed or incomplete.");
          return;
        }
        boolean accepted = append(chunk.getByteBuffer());
        boolean last = chunk.isLast();
        chunk.release();
        if (!accepted) {
          finishWithError(
              HttpStatus.SERVICE_UNAVAILABLE_503,
              "INTERNAL_ERROR",
              "The server is busy receiving other requests; retry in a few seconds.");
          return;
        }
        if (last || size > limits.maxBodyBytes()) {
          if (state.compareAndSet(LOADING, DONE)) {
            timeout.cancel();
            BufferedRequest buffered =
                new BufferedRequest(
                    request, Content.Chunk.from(ByteBuffer.wrap(bytes, 0, size), last));
            dispatch(buffered, response, Callback.from(callback, this::releaseBudget));
          }
          return;
        }
      }
    }

    /** Copies what fits of the limit plus one byte; false when the shared budget is spent. */
    private synchronized boolean append(ByteBuffer data) {
      int room = limits.maxBodyBytes() + 1 - size;
      int n = Math.min(data.remaining(), room);
      if (n <= 0) {
        return true;
      }
      if (size + n > bytes.length) {
        if (released) {
          return true; // already answered; what still arrives is dropped
        }
        int capacity =
            (int)
                Math.min(
                    (long) limits.maxBodyBytes() + 1,
                    Math.max((long) size + n, Math.max(INITIAL_BUFFER, 2L * bytes.length)));
        long grow = capacity - bytes.length;
        if (heldBodyBytes.addAndGet(grow) > limits.bodyBudgetBytes()) {
          heldBodyBytes.addAndGet(-grow);
          return false;
        }
        reserved += grow;
        bytes = Arrays.copyOf(bytes, capacity);
      }
      data.get(bytes, size, n);
      size += n;
      return true;
    }

    private void timedOut() {
      if (state.compareAndSet(LOADING, DONE)) {
        slowBodies.incrementAndGet();
        LOG.debug("Closing a connection whose request body did not arrive in time");
        releaseBudget();
        sendError(
            response,
            callback,
            HttpStatus.REQUEST_TIMEOUT_408,
            "MALFORMED_REQUEST",
            "The request body did not arrive within "
                + BigDecimal.valueOf(limits.bodyTimeout().toMillis(), 3)
                    .stripTrailingZeros()
                    .toPlainString()
                + " s.");
      }
    }

    private void finishWithError(int status, String errorCode, String message) {
      if (state.compareAndSet(LOADING, DONE)) {
        timeout.cancel();
        releaseBudget();
        sendError(response, callback, status, errorCode, message);
      }
    }

    private synchronized void releaseBudget() {
      released = true;
      heldBodyBytes.addAndGet(-reserved);
      reserved = 0;
    }
  }

  /** A request whose body, or its first part, has already been read. */
  private static final class BufferedRequest extends Request.Wrapper {
    private Content.Chunk held;

    BufferedRequest(Request wrapped, Content.Chunk body) {
      super(wrapped);
      this.held = body;
    }

    @Override
    public Content.Chunk read() {
      synchronized (this) {
        Content.Chunk chunk = held;
        if (chunk != null) {
          held = null;
          return chunk;
        }
      }
      return super.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
      boolean ready;
      synchronized (this) {
        ready = held != null;
      }
      if (ready) {
        getContext().execute(demandCallback);
      } else {
        super.demand(demandCallback);
      }
    }
  }

  /** Closes the connection when one write takes longer than its bytes justify. */
  private final class WriteGuard extends Response.Wrapper {
    private final Scheduler scheduler;

    WriteGuard(Request request, Response wrapped) {
      super(request, wrapped);
      this.scheduler = request.getComponents().getScheduler();
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
      long bytes = content == null ? 0 : content.remaining();
      long allowed =
          Math.max(
              limits.writeStallFloor().toMillis(), bytes * 1000 / limits.minWriteBytesPerSecond());
      Scheduler.Task stall =
          scheduler.schedule(() -> stalled(bytes, allowed), allowed, TimeUnit.MILLISECONDS);
      super.write(
          last,
          content,
          new Callback.Nested(callback) {
            @Override
            public void succeeded() {
              stall.cancel();
              super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
              stall.cancel();
              super.failed(x);
            }
          });
    }

    private void stalled(long bytes, long allowedMillis) {
      slowReaders.incrementAndGet();
      LOG.debug(
          "Closing a connection that did not take {} bytes of an answer in {} ms",
          bytes,
          allowedMillis);
      getRequest()
          .getConnectionMetaData()
          .getConnection()
          .getEndPoint()
          .close(new TimeoutException("The client reads the answer too slowly"));
    }
  }
}
