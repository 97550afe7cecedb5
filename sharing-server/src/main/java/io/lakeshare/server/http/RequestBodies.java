package io.lakeshare.server.http;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** What every handler does with a request body it has no use for. */
public final class RequestBodies {
  /** The most a handler reads only to throw away; beyond it the connection is closed instead. */
  static final int DRAIN_LIMIT = 64 * 1024;

  private RequestBodies() {}

  /**
   * Reads and discards what is left of the request body (at most {@link #DRAIN_LIMIT} bytes) so the
   * kept-alive connection starts the next request at a request line. A longer body, or one that
   * cannot be read, makes the answer say {@code Connection: close}: a client that pools connections
   * then opens a new one instead of sending its next request down a connection the server is about
   * to close (which it would see as an answer of no bytes at all). Call before the answer is
   * committed.
   */
  public static void drain(Request request, Response response) {
    if (request.getLength() == 0 || response.isCommitted()) {
      return;
    }
    try {
      InputStream in = Content.Source.asInputStream(request);
      byte[] buf = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buf)) >= 0) {
        total += n;
        if (total > DRAIN_LIMIT) {
          response.getHeaders().put(HttpHeader.CONNECTION, "close");
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
  }
}
