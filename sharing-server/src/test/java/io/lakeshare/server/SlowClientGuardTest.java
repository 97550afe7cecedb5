package io.lakeshare.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each lever of the guard on its own, with limits short enough for a unit test. */
class SlowClientGuardTest {

  private static final SlowClientGuard.Limits LIMITS =
      new SlowClientGuard.Limits(
          Duration.ofMillis(800), 1000, 3000, Duration.ofMillis(800), 1024 * 1024);

  private Server server;
  private SlowClientGuard guard;
  private final AtomicInteger handled = new AtomicInteger();
  private final CompletableFuture<Throwable> answerFailure = new CompletableFuture<>();

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  /** Echoes the body's length; on GET writes {@code size} bytes with blocking writes. */
  private int start(long answerBytes) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    Handler echo =
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            handled.incrementAndGet();
            if ("GET".equals(request.getMethod())) {
              writeAnswer(response, callback, answerBytes);
              return true;
            }
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
              body = in.readNBytes(LIMITS.maxBodyBytes() + 1);
            }
            response.setStatus(200);
            response.write(
                true, ByteBuffer.wrap(("length " + body.length).getBytes(UTF_8)), callback);
            return true;
          }
        };
    guard = new SlowClientGuard(echo, LIMITS);
    server.setHandler(guard);
    server.start();
    return connector.getLocalPort();
  }

  private void writeAnswer(Response response, Callback callback, long bytes) {
    response.setStatus(200);
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      for (long written = 0; written < bytes; written += chunk.length) {
        out.write(chunk);
      }
      callback.succeeded();
      answerFailure.complete(null);
    } catch (IOException e) {
      answerFailure.complete(e);
      callback.failed(e);
    }
  }

  private static String post(int contentLength) {
    return "POST /q HTTP/1.1\r\nHost: x\r\nContent-Length: " + contentLength + "\r\n\r\n";
  }

  private static String readAll(Socket socket) throws IOException {
    return new String(socket.getInputStream().readAllBytes(), UTF_8);
  }

  @Test
  void aBodySentInPiecesReachesTheHandlerWhole() throws Exception {
    int port = start(0);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write((post(300) + "x".repeat(100)).getBytes(US_ASCII));
      out.flush();
      TimeUnit.MILLISECONDS.sleep(200);
      // Nothing runs the handler, so no thread waits, until the body is complete.
      assertThat(handled.get()).isZero();
      out.write("y".repeat(200).getBytes(US_ASCII));
      out.flush();
      socket.shutdownOutput();

      String answer = readAll(socket);

      assertThat(answer).startsWith("HTTP/1.1 200").endsWith("length 300");
      assertThat(handled.get()).isEqualTo(1);
    }
  }

  @Test
  void aBodyThatDoesNotArriveInTimeIsRefusedWith408AndTheConnectionClosed() throws Exception {
    int port = start(0);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write((post(100) + "{").getBytes(US_ASCII));
      long sent = System.nanoTime();

      String answer = readAll(socket);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

      assertThat(answer)
          .startsWith("HTTP/1.1 408")
          .contains("Connection: close")
          .endsWith(
              "{\"errorCode\":\"MALFORMED_REQUEST\",\"message\":"
                  + "\"The request body did not arrive within 0.8 s.\"}");
      assertThat(millis).isBetween(700L, 8_000L);
      assertThat(handled.get()).isZero();
      assertThat(guard.slowBodiesClosed()).isEqualTo(1);
    }
  }

  @Test
  void aMalformedChunkedBodyIsRefusedWith400AndTheConnectionClosed() throws Exception {
    int port = start(0);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "POST /q HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nZZ\r\n"
                  .getBytes(US_ASCII));

      String answer = readAll(socket);

      assertThat(answer).startsWith("HTTP/1.1 400").contains("Connection: close");
      assertThat(handled.get()).isZero();
    }
  }

  @Test
  void bodiesOverTheLimitReachTheHandlerWithOneByteTooMany() throws Exception {
    int port = start(0);
    String announced = post(5000).replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
    String chunked =
        "POST /q HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + "1388\r\n"
            + "z".repeat(5000)
            + "\r\n0\r\n\r\n";
    // Announced too large: handed on unread. Chunked: read up to the limit plus one byte.
    for (String request : new String[] {announced + "z".repeat(5000), chunked}) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.getOutputStream().write(request.getBytes(US_ASCII));

        assertThat(readAll(socket)).endsWith("length 1001");
      }
    }
  }

  @Test
  void bodiesHeldTogetherBeyondTheBudgetAreRefusedWith503() throws Exception {
    int port = start(0);
    // Each unfinished body holds its buffer; the budget fits only a few of them.
    Socket[] holders = new Socket[6];
    try {
      for (int i = 0; i < holders.length; i++) {
        holders[i] = new Socket("127.0.0.1", port);
        holders[i].getOutputStream().write((post(1000) + "h".repeat(900)).getBytes(US_ASCII));
      }
      int refused = 0;
      for (Socket s : holders) {
        s.setSoTimeout(10_000);
        String answer = readAll(s);
        if (answer.startsWith("HTTP/1.1 503")) {
          refused++;
          assertThat(answer).contains("Retry-After").contains("\"errorCode\":\"INTERNAL_ERROR\"");
        } else {
          assertThat(answer).startsWith("HTTP/1.1 408");
        }
      }
      assertThat(refused).isBetween(1, holders.length - 1);
    } finally {
      for (Socket s : holders) {
        if (s != null) {
          s.close();
        }
      }
    }
  }

  @Test
  void aReaderThatStallsIsCutOffAndTheWritingThreadFreed() throws Exception {
    int port = start(64L << 20);
    try (SocketChannel channel = SocketChannel.open()) {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
      channel.connect(new InetSocketAddress("127.0.0.1", port));
      channel.write(ByteBuffer.wrap("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII)));
      long sent = System.nanoTime();

      // The client reads nothing: the handler's blocking write must fail, not wait for ever.
      Throwable failure = answerFailure.get(15, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

      assertThat(failure).isInstanceOf(IOException.class);
      assertThat(millis).isLessThan(10_000L);
      assertThat(guard.slowReadersClosed()).isEqualTo(1);
    }
  }

  @Test
  void aReaderThatKeepsUpGetsTheWholeAnswer() throws Exception {
    long size = 16L << 20;
    int port = start(size);
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/a")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    long total;
    try (InputStream in = response.body()) {
      total = in.transferTo(OutputStream.nullOutputStream());
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(total).isEqualTo(size);
    assertThat(answerFailure.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(guard.slowReadersClosed()).isZero();
  }
}
