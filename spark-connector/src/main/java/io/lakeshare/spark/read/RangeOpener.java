package io.lakeshare.spark.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ranged GETs for one file: picks the URL, checks that the answer holds the requested bytes,
 * refreshes rejected URLs and retries transient failures within a {@link RetryBudget}.
 */
final class RangeOpener {

  private static final Logger LOG = LoggerFactory.getLogger(RangeOpener.class);
  private static final int ERROR_BODY_LIMIT = 4096;

  private final CloseableHttpClient client;
  private final UrlSource urls;
  private final long fileLength;
  private final boolean lengthIsMinimum;
  private final HttpReadSettings settings;
  private final String displayName;
  private final byte[] scratch = new byte[ERROR_BODY_LIMIT];

  // The last URL the storage rejected and what refresh() gave instead, in case the source's
  // current() has not caught up yet.
  private FileUrl rejected;
  private FileUrl replacement;

  RangeOpener(
      CloseableHttpClient client,
      UrlSource urls,
      long fileLength,
      boolean lengthIsMinimum,
      HttpReadSettings settings,
      String displayName) {
    this.client = client;
    this.urls = urls;
    this.fileLength = fileLength;
    this.lengthIsMinimum = lengthIsMinimum;
    this.settings = settings;
    this.displayName = displayName;
  }

  /** Whether the storage's length of the file is the one expected (or at least it). */
  private boolean lengthFits(long storageLength) {
    return lengthIsMinimum ? storageLength >= fileLength : storageLength == fileLength;
  }

  RetryBudget newBudget() {
    return new RetryBudget(settings, displayName);
  }

  /** Opens a response whose body starts at {@code start}; {@code last} is the last byte wanted. */
  RangeResponse open(long start, long last, RetryBudget budget) throws IOException {
    while (true) {
      FileUrl url = pickUrl();
      HttpGet get;
      try {
        // The String constructor keeps the signed URL's encoding byte for byte.
        get = new HttpGet(url.url());
      } catch (IllegalArgumentException e) {
        throw new IOException("Invalid URL for " + displayName + ": " + url.redacted());
      }
      get.setHeader(HttpHeaders.RANGE, "bytes=" + start + "-" + last);
      if (url.bearerToken() != null) {
        get.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + url.bearerToken());
      }
      // Offsets refer to the stored bytes; a transparently decompressed body would shift them.
      get.setHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
      ClassicHttpResponse response;
      try {
        response = client.executeOpen(null, get, null);
      } catch (IOException e) {
        rethrowIfInterrupted(e);
        budget.beforeRetry(start, describe(e, url), e);
        continue;
      }
      RangeResponse opened = accept(response, url, start, last, budget);
      if (opened != null) {
        return opened;
      }
    }
  }

  /** The response's body as a range, or null when the request should be repeated. */
  private RangeResponse accept(
      ClassicHttpResponse response, FileUrl url, long start, long last, RetryBudget budget)
      throws IOException {
    int status = response.getCode();
    HttpEntity entity = response.getEntity();
    InputStream body;
    try {
      body = entity == null ? InputStream.nullInputStream() : entity.getContent();
    } catch (IOException e) {
      new RangeResponse(response, InputStream.nullInputStream(), url, 0, Long.MAX_VALUE).abort();
      RangeOpener.rethrowIfInterrupted(e);
      budget.beforeRetry(start, describe(e, url), e);
      return null;
    }
    long length = entity == null ? 0 : entity.getContentLength();
    if (status == 206) {
      return partial(response, body, url, start, last, length);
    }
    if (status == 200) {
      if (start != 0) {
        new RangeResponse(response, body, url, start, Long.MAX_VALUE).abort();
        throw failure(start, "the server ignored the Range header (HTTP 200)", url);
      }
      if (length >= 0 && !lengthFits(length)) {
        new RangeResponse(response, body, url, start, Long.MAX_VALUE).abort();
        throw failure(start, "the file has " + length + " bytes, expected " + fileLength, url);
      }
      return new RangeResponse(response, body, url, 0, fileLength);
    }
    String errorBody = status == 400 ? readErrorBody(body) : "";
    new RangeResponse(response, body, url, 0, Math.max(length, 0))
        .release(ERROR_BODY_LIMIT, scratch);
    if (status == 401
        || status == 403
        || (status == 400 && errorBody.toLowerCase(Locale.ROOT).contains("expired"))) {
      refresh(url, status, start, budget);
      return null;
    }
    if (status == 408 || status == 429 || (status >= 500 && status <= 599)) {
      budget.beforeRetry(start, "HTTP " + status + " from " + url.redacted(), null);
      return null;
    }
    throw failure(start, "HTTP " + status, url);
  }

  private RangeResponse partial(
      ClassicHttpResponse response,
      InputStream body,
      FileUrl url,
      long start,
      long last,
      long contentLength)
      throws IOException {
    Header header = response.getFirstHeader(HttpHeaders.CONTENT_RANGE);
    long end;
    if (header != null) {
      ContentRange range = ContentRange.parse(header.getValue());
      String problem = null;
      if (range == null) {
        problem = "unreadable Content-Range '" + header.getValue() + "'";
      } else if (range.first() != start) {
        problem = "the server sent a range starting at " + range.first();
      } else if (range.total() >= 0 && !lengthFits(range.total())) {
        problem = "the file has " + range.total() + " bytes, expected " + fileLength;
      }
      if (problem != null) {
        new RangeResponse(response, body, url, start, Long.MAX_VALUE).abort();
        throw failure(start, problem, url);
      }
      end = range.last() + 1;
    } else {
      end = contentLength >= 0 ? start + contentLength : last + 1;
    }
    if (end <= start) {
      new RangeResponse(response, body, url, start, Long.MAX_VALUE).abort();
      throw failure(start, "the server sent an empty range", url);
    }
    return new RangeResponse(response, body, url, start, end);
  }

  private void refresh(FileUrl url, int status, long offset, RetryBudget budget)
      throws IOException {
    budget.beforeRefresh(offset, status, url.redacted());
    FileUrl fresh;
    try {
      fresh = urls.refresh(url, status);
    } catch (IOException e) {
      throw new IOException(
          "Cannot read "
              + displayName
              + " at offset "
              + offset
              + ": storage answered HTTP "
              + status
              + " for "
              + url.redacted()
              + " and no fresh URL is available: "
              + e.getMessage(),
          e);
    }
    LOG.debug("Storage answered HTTP {} for {}; retrying with a refreshed URL", status, url);
    rejected = url;
    replacement = fresh;
  }

  private FileUrl pickUrl() throws IOException {
    FileUrl current = urls.current();
    if (rejected != null && current.url().equals(rejected.url())) {
      return replacement;
    }
    return current;
  }

  private String readErrorBody(InputStream body) {
    try {
      int n = body.readNBytes(scratch, 0, scratch.length);
      return new String(scratch, 0, n, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private IOException failure(long offset, String problem, FileUrl url) {
    return new IOException(
        "Cannot read "
            + displayName
            + " at offset "
            + offset
            + ": "
            + problem
            + " from "
            + url.redacted());
  }

  /** A description of a transport error that never contains the URL's query. */
  static String describe(IOException e, FileUrl url) {
    String message = String.valueOf(e.getMessage());
    int query = url.url().indexOf('?');
    if (query >= 0) {
      message = message.replace(url.url(), url.redacted()).replace(url.url().substring(query), "");
    }
    return e.getClass().getSimpleName() + ": " + message;
  }

  static void rethrowIfInterrupted(IOException e) throws IOException {
    boolean timeout = e instanceof SocketTimeoutException || e instanceof ConnectTimeoutException;
    if (Thread.currentThread().isInterrupted()
        || (e instanceof InterruptedIOException && !timeout)) {
      throw e;
    }
  }
}
