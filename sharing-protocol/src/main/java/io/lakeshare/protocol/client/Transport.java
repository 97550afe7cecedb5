package io.lakeshare.protocol.client;

import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.ErrorResponse;
import io.lakeshare.protocol.profile.Profile;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one logical call with retries and maps failures to {@link DeltaSharingException}. Every
 * call this client makes is idempotent (GET, HEAD, the query POST and the token POST), so all of
 * them are retried on 429, 5xx and transient I/O errors; other statuses fail at once.
 */
final class Transport implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
  private static final int MAX_ERROR_BODY = 64 * 1024;

  /** What to send; {@code body} and {@code contentType} are {@code null} without a body. */
  record Call(
      String method, URI uri, Map<String, String> headers, byte[] body, String contentType) {
    String describe() {
      return method + " " + uri.getRawPath();
    }
  }

  private final CloseableHttpClient http;
  private final RetryPolicy retry;
  private final Clock clock;
  private final Profile profile;

  Transport(CloseableHttpClient http, RetryPolicy retry, Clock clock, Profile profile) {
    this.http = http;
    this.retry = retry;
    this.clock = clock;
    this.profile = profile;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Sends the call until it gets a 2xx answer, which is returned open (the caller reads and closes
   * it), or fails with {@link DeltaSharingException}. {@code auth} is {@code null} for calls that
   * carry their own credentials.
   */
  ClassicHttpResponse open(Call call, Authenticator auth) {
    long startNanos = System.nanoTime();
    int retries = 0;
    boolean renewedCredentials = false;
    while (true) {
      HttpUriRequestBase request = build(call, auth);
      ClassicHttpResponse resp;
      try {
        resp = http.executeOpen(null, request, null);
      } catch (IOException e) {
        Duration delay = retry.delay(retries, null);
        if (RetryPolicy.isRetryable(e) && retry.allows(retries, elapsed(startNanos), delay)) {
          LOG.warn(
              "{} failed ({}); retry {} of {} in {} ms",
              call.describe(),
              e.toString(),
              retries + 1,
              retry.maxRetries(),
              delay.toMillis());
          sleep(delay, call);
          retries++;
          continue;
        }
        throw new DeltaSharingException(
            call.describe() + " failed after " + (retries + 1) + " attempt(s): " + e,
            0,
            null,
            null,
            e);
      }
      int status = resp.getCode();
      if (status >= 200 && status < 300) {
        return resp;
      }
      ErrorResponse envelope = readErrorAndClose(resp);
      if (status == 401 && auth != null && !renewedCredentials && auth.invalidate()) {
        renewedCredentials = true;
        continue;
      }
      Duration delay = retry.delay(retries, retryAfter(resp));
      if (RetryPolicy.isRetryableStatus(status)
          && retry.allows(retries, elapsed(startNanos), delay)) {
        LOG.warn(
            "{} answered HTTP {}; retry {} of {} in {} ms",
            call.describe(),
            status,
            retries + 1,
            retry.maxRetries(),
            delay.toMillis());
        sleep(delay, call);
        retries++;
        continue;
      }
      throw httpError(call, status, resp.getReasonPhrase(), envelope);
    }
  }

  private HttpUriRequestBase build(Call call, Authenticator auth) {
    HttpUriRequestBase request = new HttpUriRequestBase(call.method(), call.uri());
    call.headers().forEach(request::setHeader);
    if (auth != null) {
      request.setHeader("Authorization", auth.authorization());
    }
    if (call.body() != null) {
      request.setEntity(new ByteArrayEntity(call.body(), ContentType.parse(call.contentType())));
    }
    return request;
  }

  private DeltaSharingException httpError(
      Call call, int status, String reason, ErrorResponse envelope) {
    String code = envelope == null || envelope.errorCode().isEmpty() ? null : envelope.errorCode();
    String serverMessage =
        envelope != null && !envelope.message().isEmpty()
            ? envelope.message()
            : (reason == null || reason.isEmpty() ? null : reason);
    StringBuilder msg = new StringBuilder(call.describe()).append(" failed: HTTP ").append(status);
    if (code != null) {
      msg.append(' ').append(code);
    }
    if (serverMessage != null) {
      msg.append(": ").append(serverMessage);
    }
    if (status == 401 && profile.isExpired(clock)) {
      msg.append(". The token in the profile expired at ")
          .append(profile.expirationTime())
          .append("; ask the data provider for a new profile");
    }
    return new DeltaSharingException(msg.toString(), status, code, serverMessage, null);
  }

  /** A failure after a 2xx answer (unreadable or inconsistent body). */
  DeltaSharingException failure(Call call, String detail, Throwable cause) {
    return new DeltaSharingException(call.describe() + ": " + detail, 0, null, null, cause);
  }

  private static ErrorResponse readErrorAndClose(ClassicHttpResponse resp) {
    HttpEntity entity = resp.getEntity();
    if (entity == null) {
      closeQuietly(resp);
      return null;
    }
    byte[] body = null;
    boolean fullyRead = false;
    try (InputStream in = entity.getContent()) {
      body = in.readNBytes(MAX_ERROR_BODY);
      fullyRead = in.read() < 0;
      if (!fullyRead) {
        abort(resp);
      }
    } catch (IOException e) {
      abort(resp);
    }
    closeQuietly(resp);
    return body == null ? null : WireJson.readError(body);
  }

  private static Duration retryAfter(ClassicHttpResponse resp) {
    Header h = resp.getFirstHeader("Retry-After");
    if (h == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(h.getValue().trim());
      return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      return null; // an HTTP-date; the exponential backoff applies
    }
  }

  private static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static void sleep(Duration d, Call call) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeltaSharingException(
          call.describe() + " was interrupted while waiting to retry", 0, null, null, e);
    }
  }

  /**
   * Ends a response whose body was read (or is small): drains what is left so that the connection
   * goes back to the pool, within a bound; larger leftovers drop the connection instead.
   */
  static void release(ClassicHttpResponse resp) {
    HttpEntity entity = resp.getEntity();
    if (entity != null) {
      try (InputStream in = entity.getContent()) {
        if (in.skip(MAX_ERROR_BODY) >= MAX_ERROR_BODY || in.read() >= 0) {
          abort(resp);
          return;
        }
      } catch (IOException | RuntimeException e) {
        abort(resp);
        return;
      }
    }
    closeQuietly(resp);
  }

  /** Closes the connection at once instead of draining the rest of the body. */
  static void abort(ClassicHttpResponse resp) {
    if (resp instanceof ModalCloseable m) {
      m.close(CloseMode.IMMEDIATE);
    } else {
      closeQuietly(resp);
    }
  }

  static void closeQuietly(ClassicHttpResponse resp) {
    try {
      resp.close();
    } catch (IOException e) {
      LOG.debug("Ignoring a failure to close a response", e);
    }
  }

  @Override
  public void close() throws IOException {
    http.close();
  }
}
