package io.lakeshare.server.storage;

import static io.lakeshare.server.storage.LocalFileHandlerTest.KEY;
import static io.lakeshare.server.storage.LocalFileHandlerTest.VALIDITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.eclipse.jetty.http.UriCompliance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large files, concurrent downloads and aborted downloads. */
class LocalFileHandlerStreamingTest {

  private static final int MIB = 1024 * 1024;

  private final MutableClock clock = new MutableClock(Instant.now());
  private final HttpClient client = HttpClient.newHttpClient();

  @TempDir Path dir;
  private Path table;
  private FileServerFixture server;
  private LocalFileSigner signer;

  @BeforeEach
  void setUp() throws Exception {
    table = Files.createDirectories(dir.resolve("table"));
    server = new FileServerFixture(KEY, clock, UriCompliance.DEFAULT);
    server.allowedRoots.add(table);
    signer = new LocalFileSigner(KEY, table, server.baseUrl(), VALIDITY, clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
  }

  /** Writes {@code mib} MiB of seeded random bytes and returns their SHA-256. */
  private static byte[] writeRandomFile(Path file, int mib, long seed) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    Random random = new Random(seed);
    byte[] chunk = new byte[MIB];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < mib; i++) {
        random.nextBytes(chunk);
        digest.update(chunk);
        out.write(chunk);
      }
    }
    return digest.digest();
  }

  private static byte[] readRange(Path file, long first, int length) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      byte[] bytes = new byte[length];
      raf.seek(first);
      raf.readFully(bytes);
      return bytes;
    }
  }

  private HttpResponse<InputStream> stream(String url, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Open file descriptors of this JVM that point at the file, where /proc shows them. */
  private static long openDescriptors(Path file) throws IOException {
    Path real = file.toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                  return false; // closed while listing
                }
              })
          .count();
    }
  }

  private static void awaitNoDescriptors(Path file) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (openDescriptors(file) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(openDescriptors(file)).as("descriptors left open").isZero();
  }

  @Test
  void fiftyMibFileStreamsWholeAndByRangeFromTheMiddle() throws Exception {
    Path file = table.resolve("part-big.parquet");
    byte[] sha = writeRandomFile(file, 50, 42);
    String url = signer.sign(file).url();

    HttpResponse<InputStream> whole = stream(url);
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long total = 0;
    try (InputStream in = whole.body()) {
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, read);
        total += read;
      }
    }
    long first = 25L * MIB - 12_345;
    int length = 3 * MIB + 7;
    HttpResponse<InputStream> middle =
        stream(url, "Range", "bytes=" + first + "-" + (first + length - 1));
    byte[] middleBytes;
    try (InputStream in = middle.body()) {
      middleBytes = in.readAllBytes();
    }

    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(total).isEqualTo(50L * MIB);
    assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(HexFormat.of().formatHex(sha));
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.headers().firstValue("Content-Range"))
        .hasValue("bytes " + first + "-" + (first + length - 1) + "/" + 50L * MIB);
    assertThat(middleBytes).isEqualTo(readRange(file, first, length));
  }

  @Test
  void twoHundredMibSparseFileStreamsToTheLastByte() throws Exception {
    Path file = table.resolve("sparse.parquet");
    long size = 200L * MIB;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
      raf.seek(size - 4);
      raf.write(new byte[] {'P', 'A', 'R', '1'});
    }

    HttpResponse<InputStream> response = stream(signer.sign(file).url());
    long total = 0;
    byte[] tail = new byte[4];
    try (InputStream in = response.body()) {
      byte[] buffer = new byte[256 * 1024];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        for (int i = 0; i < read; i++) {
          long position = total + i;
          if (position >= size - 4) {
            tail[(int) (position - (size - 4))] = buffer[i];
          }
        }
        total += read;
      }
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(size));
    assertThat(total).isEqualTo(size);
    assertThat(new String(tail, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PAR1");
  }

  @Test
  void concurrentRangeAndWholeDownloadsGetTheirOwnBytes() throws Exception {
    Path file = table.resolve("shared.parquet");
    byte[] content = new byte[4 * MIB + 999];
    new Random(3).nextBytes(content);
    Files.write(file, content);
    String url = signer.sign(file).url();

    List<CompletableFuture<HttpResponse<byte[]>>> futures = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      int first = i * 170_000;
      int last = i % 4 == 0 ? content.length - 1 : first + 100_000 + i;
      ranges.add(new int[] {first, last});
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
      if (i % 4 != 0) {
        request.header("Range", "bytes=" + first + "-" + last);
      }
      futures.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    for (int i = 0; i < futures.size(); i++) {
      HttpResponse<byte[]> response = futures.get(i).get();
      if (i % 4 == 0) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
      } else {
        int[] range = ranges.get(i);
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, range[0], range[1] + 1));
      }
    }
  }

  @Test
  void completedAndAbandonedDownloadsCloseTheFile() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc to count descriptors");
    Path file = table.resolve("abandoned.parquet");
    writeRandomFile(file, 64, 9);
    String url = signer.sign(file).url();

    HttpResponse<InputStream> abandoned = stream(url);
    try (InputStream in = abandoned.body()) {
      assertThat(in.readNBytes(MIB)).hasSize(MIB);
    } // closing early makes the client drop the connection mid-body
    awaitNoDescriptors(file);

    HttpResponse<InputStream> ranged = stream(url, "Range", "bytes=0-99");
    try (InputStream in = ranged.body()) {
      assertThat(in.readAllBytes()).isEqualTo(readRange(file, 0, 100));
    }
    awaitNoDescriptors(file);
  }
}
