package io.lakeshare.spark.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpRangeInputStreamTest {

  private static final HttpReadSettings FAST =
      new HttpReadSettings(3, Duration.ofSeconds(5), Duration.ofMillis(1));
  private static final String NAME = "share.schema.events/part-00001.parquet";
  private static final int SIZE = 400_001;

  private RangeServer server;
  private TestUrls urls;
  private CloseableHttpClient client;

  @BeforeEach
  void start() throws IOException {
    server = new RangeServer(SIZE, 7);
    urls = new TestUrls(server);
    client = newClient();
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.close();
  }

  @Test
  void sequentialReadsReturnTheWholeFile() throws IOException {
    try (HttpRangeInputStream in = open()) {
      byte[] head = new byte[3];
      for (int i = 0; i < head.length; i++) {
        head[i] = (byte) in.read();
      }
      byte[] rest = readAll(in);
      assertThat(head).isEqualTo(slice(0, 3));
      assertThat(rest).isEqualTo(slice(3, SIZE - 3));
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.getPos()).isEqualTo(SIZE);
    }
    assertThat(server.requests())
        .extracting(RangeServer.Request::range)
        .containsExactly("bytes=0-" + (SIZE - 1));
    assertThat(server.lastRequest().acceptEncoding()).isEqualTo("identity");
  }

  @Test
  void randomSeeksAndPositionedReadsReturnTheFileSlices() throws IOException {
    Random random = new Random(20240611);
    try (HttpRangeInputStream in = open()) {
      for (int op = 0; op < 300; op++) {
        int kind = random.nextInt(5);
        long target = random.nextInt(SIZE + 1);
        int length = random.nextInt(random.nextBoolean() ? 300 : 40_000) + 1;
        long before = in.getPos();
        if (kind == 0) {
          in.seek(target);
          byte[] got = readUpTo(in, length);
          assertThat(got).isEqualTo(slice(target, (int) Math.min(length, SIZE - target)));
          assertThat(in.getPos()).isEqualTo(target + got.length);
        } else if (kind == 1) {
          byte[] got = readUpTo(in, length);
          assertThat(got).isEqualTo(slice(before, (int) Math.min(length, SIZE - before)));
        } else if (kind == 2) {
          byte[] buffer = new byte[length + 2];
          int n = in.read(target, buffer, 1, length);
          if (target == SIZE) {
            assertThat(n).isEqualTo(-1);
          } else {
            assertThat(n).isEqualTo((int) Math.min(length, SIZE - target));
            assertThat(Arrays.copyOfRange(buffer, 1, 1 + n)).isEqualTo(slice(target, n));
          }
          assertThat(in.getPos()).isEqualTo(before);
        } else if (kind == 3) {
          long position = Math.min(target, SIZE - length);
          byte[] buffer = new byte[length];
          in.readFully(position, buffer, 0, length);
          assertThat(buffer).isEqualTo(slice(position, length));
          assertThat(in.getPos()).isEqualTo(before);
        } else {
          long skipped = in.skip(length);
          assertThat(skipped).isEqualTo(Math.min(length, SIZE - before));
          assertThat(in.getPos()).isEqualTo(before + skipped);
          int next = in.read();
          assertThat(next)
              .isEqualTo(
                  before + skipped == SIZE ? -1 : server.data[(int) (before + skipped)] & 0xff);
        }
      }
    }
  }

  @Test
  void shortForwardSeekReusesTheOpenResponse() throws IOException {
    try (HttpRangeInputStream in = open()) {
      assertThat(readUpTo(in, 100)).isEqualTo(slice(0, 100));
      in.seek(100 + 10_000);
      assertThat(readUpTo(in, 100)).isEqualTo(slice(10_100, 100));
      assertThat(server.requestCount()).isEqualTo(1);

      in.seek(50);
      assertThat(readUpTo(in, 100)).isEqualTo(slice(50, 100));
      in.seek(150 + HttpRangeInputStream.MAX_FORWARD_SKIP + 1);
      assertThat(readUpTo(in, 100))
          .isEqualTo(slice(150 + HttpRangeInputStream.MAX_FORWARD_SKIP + 1, 100));
    }
    assertThat(server.requests())
        .extracting(RangeServer.Request::range)
        .containsExactly(
            "bytes=0-" + (SIZE - 1),
            "bytes=50-" + (SIZE - 1),
            "bytes=" + (151 + HttpRangeInputStream.MAX_FORWARD_SKIP) + "-" + (SIZE - 1));
  }

  @Test
  void seekAloneSendsNoRequest() throws IOException {
    try (HttpRangeInputStream in = open()) {
      in.seek(1234);
      in.seek(99);
      assertThat(in.getPos()).isEqualTo(99);
    }
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void footerLengthAndFooterCostOneRequest() throws IOException {
    try (HttpRangeInputStream in = open()) {
      byte[] footerLength = new byte[8];
      in.readFully(SIZE - 8, footerLength, 0, 8);
      byte[] footer = new byte[20_000];
      in.readFully(SIZE - 8 - 20_000, footer, 0, footer.length);
      in.seek(SIZE - 4);
      byte[] magic = readUpTo(in, 10);

      assertThat(footerLength).isEqualTo(slice(SIZE - 8, 8));
      assertThat(footer).isEqualTo(slice(SIZE - 8 - 20_000, 20_000));
      assertThat(magic).isEqualTo(slice(SIZE - 4, 4));
    }
    assertThat(server.requests())
        .extracting(RangeServer.Request::range)
        .containsExactly("bytes=" + (SIZE - HttpRangeInputStream.TAIL_SIZE) + "-" + (SIZE - 1));
  }

  @Test
  void positionedReadsUseBoundedRangesAndKeepTheSequentialResponse() throws IOException {
    try (HttpRangeInputStream in = open()) {
      assertThat(readUpTo(in, 10)).isEqualTo(slice(0, 10));
      byte[] middle = new byte[1000];
      in.readFully(5000, middle, 0, 1000);
      assertThat(middle).isEqualTo(slice(5000, 1000));
      assertThat(readUpTo(in, 10)).isEqualTo(slice(10, 10));
    }
    assertThat(server.requests())
        .extracting(RangeServer.Request::range)
        .containsExactly("bytes=0-" + (SIZE - 1), "bytes=5000-5999");
  }

  @Test
  void rejectedUrlIsRefreshedAndTheReadResumesAtTheSameOffset() throws IOException {
    try (HttpRangeInputStream in = open()) {
      assertThat(readUpTo(in, 1000)).isEqualTo(slice(0, 1000));
      server.revoke("sig0");
      in.seek(300_000);
      assertThat(readUpTo(in, 5000)).isEqualTo(slice(300_000, 5000));
    }
    assertThat(urls.refreshes()).hasSize(1);
    assertThat(urls.refreshes().get(0).status()).isEqualTo(403);
    assertThat(urls.refreshes().get(0).failed().url()).isEqualTo(server.url("sig0"));
    List<RangeServer.Request> requests = server.requests();
    assertThat(requests).hasSize(3);
    assertThat(requests.get(1).range()).isEqualTo("bytes=300000-" + (SIZE - 1));
    assertThat(requests.get(1).rawUri()).endsWith("sig0");
    assertThat(requests.get(2).range()).isEqualTo("bytes=300000-" + (SIZE - 1));
    assertThat(requests.get(2).rawUri()).endsWith("sig1");
  }

  @Test
  void refreshedUrlIsUsedEvenIfTheSourceStillOffersTheRejectedOne() throws IOException {
    UrlSource stale =
        new UrlSource() {
          @Override
          public FileUrl current() {
            return FileUrl.of(server.url("sig0"));
          }

          @Override
          public FileUrl refresh(FileUrl failed, int status) {
            return FileUrl.of(server.url("fresh"));
          }
        };
    server.revoke("sig0");
    try (HttpRangeInputStream in = new HttpRangeInputStream(client, stale, SIZE, FAST, NAME)) {
      assertThat(readUpTo(in, 100)).isEqualTo(slice(0, 100));
      in.seek(300_000);
      assertThat(readUpTo(in, 100)).isEqualTo(slice(300_000, 100));
    }
    assertThat(server.requests())
        .extracting(r -> r.rawUri().replaceFirst(".*=", ""))
        .containsExactly("sig0", "fresh", "fresh");
  }

  @Test
  void backgroundRefreshIsPickedUpOnTheNextRequest() throws IOException {
    try (HttpRangeInputStream in = open()) {
      assertThat(readUpTo(in, 100)).isEqualTo(slice(0, 100));
      urls.rotate();
      in.seek(0);
      assertThat(readUpTo(in, 100)).isEqualTo(slice(0, 100));
    }
    assertThat(server.requests())
        .extracting(r -> r.rawUri().replaceFirst(".*=", ""))
        .containsExactly("sig0", "sig1");
    assertThat(urls.refreshes()).isEmpty();
  }

  @Test
  void failedRefreshNamesFileAndStatusButNotTheSignature() throws IOException {
    server.revoke("sig0");
    urls.refuseRefresh("table was removed from the cache");
    try (HttpRangeInputStream in = open()) {
      in.seek(777);
      assertThatThrownBy(() -> in.read())
          .isInstanceOf(IOException.class)
          .hasMessageContaining(NAME)
          .hasMessageContaining("403")
          .hasMessageContaining("offset 777")
          .hasMessageContaining("/bucket/dir%2Fsub/file%20name.parquet")
          .hasMessageContaining("table was removed from the cache")
          .hasMessageNotContaining("X-Amz-Signature")
          .hasMessageNotContaining("sig0");
    }
    assertThat(urls.refreshes()).hasSize(1);
  }

  @Test
  void storageThatKeepsRejectingFreshUrlsFailsAfterThreeRefreshes() throws IOException {
    server.failNext(10, 401, "");
    try (HttpRangeInputStream in = open()) {
      assertThatThrownBy(() -> in.read())
          .isInstanceOf(IOException.class)
          .hasMessageContaining(NAME)
          .hasMessageContaining("401")
          .hasMessageNotContaining("X-Amz-Signature");
    }
    assertThat(urls.refreshes()).hasSize(RetryBudget.MAX_REFRESHES);
    assertThat(server.requestCount()).isEqualTo(RetryBudget.MAX_REFRESHES + 1);
  }

  @Test
  void badRequestSayingExpiredTriggersRefresh() throws IOException {
    server.failNext(1, 400, "<Error><Message>Request has expired</Message></Error>");
    try (HttpRangeInputStream in = open()) {
      assertThat(readUpTo(in, 100)).isEqualTo(slice(0, 100));
    }
    assertThat(urls.refreshes()).extracting(TestUrls.Refresh::status).containsExactly(400);
  }

  @Test
  void otherBadRequestFailsWithoutRefresh() throws IOException {
    server.failNext(1, 400, "<Error><Message>Invalid argument</Message></Error>");
    try (HttpRangeInputStream in = open()) {
      assertThatThrownBy(() -> in.read())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("HTTP 400")
          .hasMessageContaining(NAME);
    }
    assertThat(urls.refreshes()).isEmpty();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void serverErrorsAreRetriedAndTheBytesAreCorrect() throws IOException {
    server.failNext(1, 500, "");
    server.failNext(1, 429, "");
    try (HttpRangeInputStream in = open()) {
      in.seek(4321);
      assertThat(readUpTo(in, 1000)).isEqualTo(slice(4321, 1000));
    }
    assertThat(server.requests())
        .extracting(RangeServer.Request::range)
        .containsOnly("bytes=4321-" + (SIZE - 1))
        .hasSize(3);
  }

  @Test
  void persistentServerErrorsFailWithFileOffsetAndLastError() throws IOException {
    HttpReadSettings twoRetries = new HttpReadSettings(2, Duration.ofSeconds(5), Duration.ZERO);
    server.failNext(10, 503, "");
    try (HttpRangeInputStream in = new HttpRangeInputStream(client, urls, SIZE, twoRetries, NAME)) {
      in.seek(12);
      assertThatThrownBy(() -> in.read(new byte[10]))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(NAME)
          .hasMessageContaining("offset 12")
          .hasMessageContaining("HTTP 503")
          .hasMessageNotContaining("X-Amz-Signature");
    }
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void droppedConnectionResumesAtTheNextUndeliveredByte() throws IOException {
    server.dropNextAfter(70_000);
    byte[] all;
    try (HttpRangeInputStream in = open()) {
      all = readAll(in);
    }
    assertThat(all).isEqualTo(server.data);
    assertThat(server.requests())
        .extracting(RangeServer.Request::range)
        .containsExactly("bytes=0-" + (SIZE - 1), "bytes=70000-" + (SIZE - 1));
  }

  @Test
  void urlExpiringDuringADroppedResponseIsRefreshedAtTheResumeOffset() throws IOException {
    server.dropNextAfter(1000);
    try (HttpRangeInputStream in = open()) {
      assertThat(readUpTo(in, 500)).isEqualTo(slice(0, 500));
      server.revoke("sig0");
      assertThat(readUpTo(in, SIZE)).isEqualTo(slice(500, SIZE - 500));
    }
    assertThat(urls.refreshes()).hasSize(1);
    assertThat(server.requests())
        .extracting(r -> r.range() + " " + r.rawUri().replaceFirst(".*=", ""))
        .containsExactly(
            "bytes=0-" + (SIZE - 1) + " sig0",
            "bytes=1000-" + (SIZE - 1) + " sig0",
            "bytes=1000-" + (SIZE - 1) + " sig1");
  }

  @Test
  void positionedReadResumesAfterADroppedConnection() throws IOException {
    server.dropNextAfter(30_000);
    byte[] buffer = new byte[100_000];
    try (HttpRangeInputStream in = open()) {
      in.readFully(1000, buffer, 0, buffer.length);
      assertThat(in.getPos()).isZero();
    }
    assertThat(buffer).isEqualTo(slice(1000, 100_000));
    assertThat(server.requests())
        .extracting(RangeServer.Request::range)
        .containsExactly("bytes=1000-100999", "bytes=31000-100999");
  }

  @Test
  void serverIgnoringRangeAfterOffsetZeroFailsClearly() throws IOException {
    server.ignoreRange(true);
    try (HttpRangeInputStream in = open()) {
      in.seek(1000);
      assertThatThrownBy(() -> in.read())
          .isInstanceOf(IOException.class)
          .hasMessageContaining(NAME)
          .hasMessageContaining("ignored the Range header")
          .hasMessageContaining("offset 1000");
      assertThat(in.getPos()).isEqualTo(1000);
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void contentRangeForAnotherOffsetFailsClearly() throws IOException {
    server.misreportStart(true);
    try (HttpRangeInputStream in = open()) {
      in.seek(10);
      assertThatThrownBy(() -> in.read())
          .isInstanceOf(IOException.class)
          .hasMessageContaining(NAME)
          .hasMessageContaining("range starting at 11");
    }
  }

  @Test
  void cappedRangesAreContinuedWithFurtherRequests() throws IOException {
    server.maxRangeLength(100_000);
    try (HttpRangeInputStream in = open()) {
      assertThat(readAll(in)).isEqualTo(server.data);
      byte[] buffer = new byte[150_000];
      in.readFully(10, buffer, 0, buffer.length);
      assertThat(buffer).isEqualTo(slice(10, 150_000));
    }
    assertThat(server.requests())
        .extracting(RangeServer.Request::range)
        .containsExactly(
            "bytes=0-" + (SIZE - 1),
            "bytes=100000-" + (SIZE - 1),
            "bytes=200000-" + (SIZE - 1),
            "bytes=300000-" + (SIZE - 1),
            "bytes=" + (SIZE - HttpRangeInputStream.TAIL_SIZE) + "-" + (SIZE - 1),
            "bytes=10-150009",
            "bytes=100010-150009");
  }

  @Test
  void refusedConnectionsAreRetriedThenReported() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    FileUrl nowhere = FileUrl.of("http://127.0.0.1:" + closedPort + "/f.parquet?sig=secret");
    UrlSource source =
        new UrlSource() {
          @Override
          public FileUrl current() {
            return nowhere;
          }

          @Override
          public FileUrl refresh(FileUrl failed, int status) throws IOException {
            throw new IOException("not expected");
          }
        };
    HttpReadSettings oneRetry = new HttpReadSettings(1, Duration.ofSeconds(5), Duration.ZERO);
    try (HttpRangeInputStream in = new HttpRangeInputStream(client, source, 100, oneRetry, NAME)) {
      assertThatThrownBy(() -> in.read(50, new byte[10], 0, 10))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(NAME)
          .hasMessageContaining("offset 0")
          .hasMessageContaining("after 1 retries")
          .hasMessageNotContaining("secret");
    }
  }

  @Test
  void wholeFileAnswerIsAcceptedFromOffsetZero() throws IOException {
    server.ignoreRange(true);
    try (HttpRangeInputStream in = open()) {
      assertThat(readAll(in)).isEqualTo(server.data);
    }
  }

  @Test
  void endOfFileFollowsHadoopConventions() throws IOException {
    try (HttpRangeInputStream in = open()) {
      in.seek(SIZE);
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.read(new byte[10], 0, 10)).isEqualTo(-1);
      assertThat(in.available()).isZero();
      assertThat(in.skip(10)).isZero();
      assertThat(in.read(SIZE, new byte[10], 0, 10)).isEqualTo(-1);
      assertThatThrownBy(() -> in.seek(SIZE + 1)).isInstanceOf(EOFException.class);
      assertThatThrownBy(() -> in.seek(-1)).isInstanceOf(EOFException.class);
      assertThatThrownBy(() -> in.readFully(SIZE - 5, new byte[10], 0, 10))
          .isInstanceOf(EOFException.class);
      assertThatThrownBy(() -> in.read(-1, new byte[10], 0, 10)).isInstanceOf(EOFException.class);
      assertThat(in.read(5, new byte[0], 0, 0)).isZero();
      assertThat(in.seekToNewSource(0)).isFalse();

      in.seek(SIZE - 3);
      byte[] buffer = new byte[10];
      assertThat(in.read(buffer, 0, 10)).isEqualTo(3);
      assertThat(Arrays.copyOf(buffer, 3)).isEqualTo(slice(SIZE - 3, 3));
      assertThat(in.read(buffer, 0, 10)).isEqualTo(-1);
    }
  }

  @Test
  void emptyFileNeedsNoRequest() throws IOException {
    try (HttpRangeInputStream in = new HttpRangeInputStream(client, urls, 0, FAST, NAME)) {
      assertThat(in.read()).isEqualTo(-1);
      in.seek(0);
      assertThat(in.read(0, new byte[4], 0, 4)).isEqualTo(-1);
    }
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void closeDrainsASmallRemainderSoTheConnectionIsReused() throws IOException {
    int remainder = 4000;
    try (HttpRangeInputStream in = open()) {
      byte[] got = readUpTo(in, SIZE - remainder);
      assertThat(got).isEqualTo(slice(0, SIZE - remainder));
    }
    try (HttpRangeInputStream in = open()) {
      assertThat(readUpTo(in, 10)).isEqualTo(slice(0, 10));
    }
    List<RangeServer.Request> requests = server.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).clientPort()).isEqualTo(requests.get(0).clientPort());
  }

  @Test
  void closeAbortsALargeRemainder() throws IOException {
    try (HttpRangeInputStream in = open()) {
      assertThat(readUpTo(in, 10)).isEqualTo(slice(0, 10));
    }
    try (HttpRangeInputStream in = open()) {
      assertThat(readUpTo(in, 10)).isEqualTo(slice(0, 10));
    }
    List<RangeServer.Request> requests = server.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).clientPort()).isNotEqualTo(requests.get(0).clientPort());
  }

  @Test
  void readsAfterCloseFail() throws IOException {
    HttpRangeInputStream in = open();
    assertThat(in.read()).isEqualTo(server.data[0] & 0xff);
    in.close();
    in.close();
    assertThatThrownBy(() -> in.read()).isInstanceOf(IOException.class).hasMessageContaining(NAME);
    assertThatThrownBy(() -> in.read(new byte[4], 0, 4)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> in.read(0, new byte[4], 0, 4)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> in.readFully(0, new byte[4], 0, 4)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> in.seek(0)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> in.available()).isInstanceOf(IOException.class);
  }

  @Test
  void signedUrlIsSentByteForByte() throws IOException {
    String pathAndQuery =
        "/bucket/a%2Fb/c%20d~e.parquet?X-Amz-Credential=AK%2F20240101%2Fus-east-1%2Fs3"
            + "&X-Amz-SignedHeaders=host&x=a%20b+c%3D&X-Amz-Signature=00ff";
    UrlSource fixed =
        new UrlSource() {
          @Override
          public FileUrl current() {
            return FileUrl.of(server.base() + pathAndQuery);
          }

          @Override
          public FileUrl refresh(FileUrl failed, int status) throws IOException {
            throw new IOException("no refresh in this test");
          }
        };
    try (HttpRangeInputStream in = new HttpRangeInputStream(client, fixed, SIZE, FAST, NAME)) {
      assertThat(readUpTo(in, 10)).isEqualTo(slice(0, 10));
    }
    assertThat(server.lastRequest().rawUri()).isEqualTo(pathAndQuery);
  }

  @Test
  void aPrefixOfALongerFileIsReadWhenTheLengthIsAMinimum() throws IOException {
    // a deletion vector: its bytes end well before the end of the file holding it
    int prefix = 45;
    byte[] got = new byte[40];
    try (HttpRangeInputStream in =
        new HttpRangeInputStream(client, urls, prefix, true, FAST, NAME)) {
      in.readFully(5, got, 0, got.length);
    }
    assertThat(got).isEqualTo(slice(5, 40));
    // read as an exact length, the same prefix is refused: the file is longer than said
    try (HttpRangeInputStream in = new HttpRangeInputStream(client, urls, prefix, FAST, NAME)) {
      assertThatThrownBy(() -> in.readFully(5, got, 0, got.length))
          .hasMessageContaining("bytes, expected " + prefix);
    }
  }

  private HttpRangeInputStream open() {
    return new HttpRangeInputStream(client, urls, SIZE, FAST, NAME);
  }

  private byte[] slice(long from, int length) {
    return Arrays.copyOfRange(server.data, (int) from, (int) from + length);
  }

  private static byte[] readUpTo(HttpRangeInputStream in, int length) throws IOException {
    byte[] buffer = new byte[length];
    int done = 0;
    while (done < length) {
      int n = in.read(buffer, done, length - done);
      if (n < 0) {
        break;
      }
      done += n;
    }
    return Arrays.copyOf(buffer, done);
  }

  private static byte[] readAll(HttpRangeInputStream in) throws IOException {
    return readUpTo(in, SIZE + 1);
  }

  static CloseableHttpClient newClient() {
    return HttpClients.custom()
        .disableAutomaticRetries()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(5))
                        .setSocketTimeout(Timeout.ofSeconds(5))
                        .build())
                .build())
        .build();
  }
}
