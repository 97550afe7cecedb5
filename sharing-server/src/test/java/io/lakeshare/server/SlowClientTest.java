package io.lakeshare.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.server.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slow-client harness: with {@value #SLOW} connections sending their query bodies a byte a
 * second and {@value #SLOW} connections reading a large query answer a few hundred bytes at a time,
 * normal requests (listings, a version, a query) are still answered promptly.
 */
class SlowClientTest {

  private static final int SLOW = 60;
  private static final int BIG_TABLE_FILES = 20_000;

  /** Generous for a loaded 2-core machine; an idle server answers these in milliseconds. */
  private static final long NORMAL_ANSWER_MILLIS = 5_000;

  private static final String TOKEN = "slow-client-token";
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void normalRequestsAreAnsweredWhileSlowClientsHoldConnections() throws Exception {
    long started = System.nanoTime();
    Path big = writeTable(dir.resolve("big"), BIG_TABLE_FILES);
    Path small = writeTable(dir.resolve("small"), 3);
    String yaml =
        "version: 1\nhost: 127.0.0.1\nport: 0\nendpoint: /delta-sharing\n"
            + "authorization:\n  bearerToken: "
            + TOKEN
            + "\nshares:\n- name: s\n  schemas:\n  - name: d\n    tables:\n"
            + "    - name: big\n      location: \""
            + big.toUri()
            + "\"\n    - name: small\n      location: \""
            + small.toUri()
            + "\"\n";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<SocketChannel> slowReaders = new ArrayList<>();
    List<SocketChannel> slowSenders = new ArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    try (SharingServer server = SharingServer.start(ConfigLoader.parse(yaml, "slow.yaml"))) {
      String base = server.endpointUrl();
      String tables = "/delta-sharing/shares/s/schemas/d/tables/";
      // Read the large answer once at full speed: warms the table and gives its size.
      HttpResponse<InputStream> warm =
          http.send(query(base + "/shares/s/schemas/d/tables/big"), ofStream());
      long answerBytes;
      try (InputStream in = warm.body()) {
        answerBytes = in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      assertThat(warm.statusCode()).isEqualTo(200);
      assertThat(answerBytes).isGreaterThan(8L << 20);

      int port = server.port();
      String answerRequest = request(tables + "big/query", "{}", 2);
      for (int i = 0; i < SLOW; i++) {
        slowReaders.add(open(port, answerRequest));
      }
      String bodyHead = request(tables + "small/query", "", 64);
      for (int i = 0; i < SLOW; i++) {
        slowSenders.add(open(port, bodyHead));
      }
      long[] received = new long[SLOW];
      Thread trickle =
          new Thread(() -> trickle(slowReaders, slowSenders, received, running), "slow-clients");
      trickle.start();
      // Let every slow reader's answer start and fill the socket buffers.
      waitUntil(() -> countAtLeast(received, 1) == SLOW, 20_000);
      TimeUnit.MILLISECONDS.sleep(2_000);

      List<String> names = List.of("list shares", "list tables", "table version", "query");
      List<HttpRequest> normal =
          List.of(
              get(base + "/shares"),
              get(base + "/shares/s/all-tables"),
              get(base + "/shares/s/schemas/d/tables/small/version"),
              query(base + "/shares/s/schemas/d/tables/small"));
      long sent = System.nanoTime();
      List<CompletableFuture<Long>> answers = new ArrayList<>();
      for (HttpRequest r : normal) {
        answers.add(
            http.sendAsync(r, HttpResponse.BodyHandlers.ofString())
                .orTimeout(NORMAL_ANSWER_MILLIS * 2, TimeUnit.MILLISECONDS)
                .thenApply(
                    response ->
                        response.statusCode() == 200
                            ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)
                            : -response.statusCode())
                .exceptionally(e -> Long.MAX_VALUE));
      }
      List<Long> millis = new ArrayList<>();
      for (CompletableFuture<Long> a : answers) {
        millis.add(a.get());
      }
      int threadsOnBodies = threadsIn("ContentSourceInputStream");
      int threadsOnAnswers = threadsIn("ContentSinkOutputStream");
      int readersOpen = countAtLeast(received, 0);
      long stillStreaming = countBetween(received, 1, answerBytes - 1);
      int sendersOpen = countOpen(slowSenders);
      running.set(false);
      trickle.join();

      StringBuilder figures = new StringBuilder();
      for (int i = 0; i < names.size(); i++) {
        long m = millis.get(i);
        figures
            .append(names.get(i))
            .append(": ")
            .append(m == Long.MAX_VALUE ? "no answer" : m < 0 ? "status " + -m : m + " ms")
            .append("; ");
      }
      figures.append(
          String.format(
              "slow readers open %d/%d (%d mid-answer of %d bytes), slow senders open %d/%d;"
                  + " request threads waiting for a body %d, writing an answer %d; whole test %d ms",
              readersOpen,
              SLOW,
              stillStreaming,
              answerBytes,
              sendersOpen,
              SLOW,
              threadsOnBodies,
              threadsOnAnswers,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
      System.out.println("Slow-client harness: " + figures);

      for (long m : millis) {
        assertThat(m).as(figures.toString()).isBetween(0L, NORMAL_ANSWER_MILLIS);
      }
      // Trickled bodies hold no thread at all; slow readers hold one each, within the pool.
      assertThat(threadsOnBodies).as(figures.toString()).isZero();
      // The slow clients were really there while the normal requests ran.
      assertThat(stillStreaming).as(figures.toString()).isGreaterThanOrEqualTo(SLOW / 2);
      assertThat(sendersOpen).as(figures.toString()).isGreaterThanOrEqualTo(SLOW / 2);
    } finally {
      running.set(false);
      closeAll(slowReaders);
      closeAll(slowSenders);
    }
  }

  /** Server request threads whose stack passes through the named Jetty stream class. */
  private static int threadsIn(String streamClass) {
    int n = 0;
    for (var e : Thread.getAllStackTraces().entrySet()) {
      if (!e.getKey().getName().startsWith("lakeshare")) {
        continue;
      }
      for (StackTraceElement frame : e.getValue()) {
        if (frame.getClassName().endsWith("." + streamClass)) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  /** Every 250 ms: each reader takes up to 256 bytes, each sender adds one byte of its body. */
  private static void trickle(
      List<SocketChannel> readers,
      List<SocketChannel> senders,
      long[] received,
      AtomicBoolean running) {
    ByteBuffer buffer = ByteBuffer.allocate(256);
    ByteBuffer space = ByteBuffer.wrap(" ".getBytes(US_ASCII));
    int tick = 0;
    while (running.get()) {
      for (int i = 0; i < readers.size(); i++) {
        if (received[i] < 0) {
          continue;
        }
        buffer.clear();
        try {
          int n = readers.get(i).read(buffer);
          if (n < 0) {
            received[i] = -1;
          } else {
            received[i] += n;
          }
        } catch (IOException e) {
          received[i] = -1;
        }
      }
      if (tick++ % 4 == 0) {
        for (SocketChannel s : senders) {
          if (s.isOpen()) {
            try {
              s.write(space.rewind());
            } catch (IOException e) {
              closeQuietly(s);
            }
          }
        }
      }
      try {
        TimeUnit.MILLISECONDS.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** A raw connection that has sent {@code head}; a small receive window keeps it slow. */
  private static SocketChannel open(int port, String head) throws IOException {
    SocketChannel channel = SocketChannel.open();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
    channel.connect(new InetSocketAddress("127.0.0.1", port));
    ByteBuffer bytes = ByteBuffer.wrap(head.getBytes(US_ASCII));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    channel.configureBlocking(false);
    return channel;
  }

  /** A POST with the head and the first {@code body} bytes; Content-Length announces more. */
  private static String request(String path, String body, int contentLength) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + TOKEN
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n"
        + (body.isEmpty() ? "{" : body);
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + TOKEN)
        .build();
  }

  private static HttpRequest query(String table) {
    return HttpRequest.newBuilder(URI.create(table + "/query"))
        .header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build();
  }

  private static HttpResponse.BodyHandler<InputStream> ofStream() {
    return HttpResponse.BodyHandlers.ofInputStream();
  }

  private static int countAtLeast(long[] values, long min) {
    int n = 0;
    for (long v : values) {
      if (v >= min) {
        n++;
      }
    }
    return n;
  }

  private static long countBetween(long[] values, long min, long max) {
    long n = 0;
    for (long v : values) {
      if (v >= min && v <= max) {
        n++;
      }
    }
    return n;
  }

  private static int countOpen(List<SocketChannel> channels) {
    int n = 0;
    ByteBuffer probe = ByteBuffer.allocate(1024);
    for (SocketChannel c : channels) {
      try {
        probe.clear();
        if (c.isOpen() && c.read(probe) >= 0) {
          n++;
        }
      } catch (IOException e) {
        // closed by the server
      }
    }
    return n;
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, long millis)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static void closeAll(List<SocketChannel> channels) {
    channels.forEach(SlowClientTest::closeQuietly);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // already gone
    }
  }

  /** A Delta table of {@code files} files (the log only; queries list and sign them). */
  private static Path writeTable(Path root, int files) throws IOException {
    Path log = Files.createDirectories(root.resolve("_delta_log"));
    String schema =
        "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":"
            + "\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},{\\\"name\\\":\\\"name\\\","
            + "\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";
    StringBuilder commit = new StringBuilder();
    commit.append("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n");
    commit
        .append("{\"metaData\":{\"id\":\"t-")
        .append(root.getFileName())
        .append("\",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"")
        .append(schema)
        .append("\",\"partitionColumns\":[],\"configuration\":{},\"createdTime\":")
        .append(T0)
        .append("}}\n");
    String pad = "x".repeat(120);
    for (int i = 0; i < files; i++) {
      String name = String.format("part-%05d-0e7c5b1a-2d3f-4c5e-9a8b-7f6e5d4c3b2a-c000.parquet", i);
      commit
          .append("{\"add\":{\"path\":\"")
          .append(name)
          .append("\",\"partitionValues\":{},\"size\":")
          .append(1000 + i)
          .append(",\"modificationTime\":")
          .append(T0)
          .append(",\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":100,\\\"minValues\\\":")
          .append("{\\\"id\\\":")
          .append(i * 100L)
          .append(",\\\"name\\\":\\\"a")
          .append(pad)
          .append("\\\"},\\\"maxValues\\\":{\\\"id\\\":")
          .append(i * 100L + 99)
          .append(",\\\"name\\\":\\\"z")
          .append(pad)
          .append("\\\"},\\\"nullCount\\\":{\\\"id\\\":0,\\\"name\\\":0}}\"}}\n");
    }
    Files.writeString(log.resolve("00000000000000000000.json"), commit, UTF_8);
    return root;
  }
}
