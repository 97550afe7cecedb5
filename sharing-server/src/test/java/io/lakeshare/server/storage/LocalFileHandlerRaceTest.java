package io.lakeshare.server.storage;

import static io.lakeshare.server.storage.LocalFileHandlerTest.KEY;
import static io.lakeshare.server.storage.LocalFileHandlerTest.VALIDITY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.UriCompliance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory inside a shared table swapped back and forth for a symlink to an outside directory
 * that holds a file of the same name, while the file's URL is fetched thousands of times: no answer
 * may ever carry the outside bytes, whichever URL shape is used.
 */
class LocalFileHandlerRaceTest {

  private static final int MAX_REQUESTS = 4_000;
  private static final long MAX_MILLIS = 6_000;
  private static final String INSIDE = "inside the table ".repeat(64);
  private static final String OUTSIDE = "OUTSIDE SECRET ".repeat(64);

  private final MutableClock clock = new MutableClock(Instant.now());
  private final HttpClient client = HttpClient.newHttpClient();

  @TempDir Path dir;
  private Path table;
  private Path partition;
  private Path parkedDirectory;
  private Path parkedLink;
  private FileServerFixture server;

  @BeforeEach
  void setUp() throws Exception {
    table = Files.createDirectories(dir.resolve("table"));
    partition = Files.createDirectories(table.resolve("p=1"));
    Files.writeString(partition.resolve("part-0.parquet"), INSIDE);
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("part-0.parquet"), OUTSIDE);
    // Both stand-ins wait outside the table while the other one is in place.
    parkedDirectory = dir.resolve("parked-directory");
    parkedLink = Files.createSymbolicLink(dir.resolve("parked-link"), outside);
    server = new FileServerFixture(KEY, clock, UriCompliance.DEFAULT);
    server.allowedRoots.add(table);
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
  }

  @Test
  void swappingADirectoryForAnOutsideSymlinkNeverServesTheOutsideFile() throws Exception {
    Path file = partition.resolve("part-0.parquet");
    LocalFileSigner signer = new LocalFileSigner(KEY, table, server.baseUrl(), VALIDITY, clock);
    String current = signer.sign(file).url();
    long expiry = clock.millis() / 1000 + VALIDITY.toSeconds();
    String oldShape =
        server.baseUrl()
            + "/files/"
            + new FileToken(KEY).create(file.toString(), expiry)
            + "/part-0.parquet";
    assertThat(body(get(current))).isEqualTo(INSIDE);
    assertThat(body(get(oldShape))).isEqualTo(INSIDE);

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong swaps = new AtomicLong();
    Thread swapper = new Thread(() -> swapUntilStopped(running, swaps), "swapper");
    long[] inside = new long[2];
    long[] outside = new long[2];
    long[] refused = new long[2];
    long[] other = new long[2];
    long start = System.nanoTime();
    swapper.start();
    try {
      List<String> urls = List.of(current, oldShape);
      for (int i = 0;
          i < MAX_REQUESTS && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS);
          i++) {
        int shape = i % 2;
        HttpResponse<byte[]> response = get(urls.get(shape));
        String body = body(response);
        if (body.contains("OUTSIDE")) {
          outside[shape]++;
        } else if (response.statusCode() == 200 && body.equals(INSIDE)) {
          inside[shape]++;
        } else if (response.statusCode() == 403) {
          refused[shape]++;
        } else {
          other[shape]++;
        }
      }
    } finally {
      running.set(false);
      swapper.join();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String figures =
        String.format(
            "%d ms, %d swaps; current URLs: %d inside, %d OUTSIDE, %d refused, %d other;"
                + " old-shape URLs: %d inside, %d OUTSIDE, %d refused, %d other",
            millis,
            swaps.get(),
            inside[0],
            outside[0],
            refused[0],
            other[0],
            inside[1],
            outside[1],
            refused[1],
            other[1]);
    // The figures of the run are part of what the test reports (the escape count must be 0).
    System.out.println("Swap loop: " + figures);

    assertThat(outside[0] + outside[1]).as(figures).isZero();
    assertThat(other[0] + other[1]).as(figures).isZero();
    assertThat(swaps.get()).as(figures).isPositive();
    // Requests between swaps are still served: the defence is not a blanket refusal.
    assertThat(inside[0]).as(figures).isPositive();
    assertThat(inside[1]).as(figures).isPositive();
    assertThat(body(get(current))).isEqualTo(INSIDE);
  }

  /** Directory out, symlink in, symlink out, directory in: each step one rename. */
  private void swapUntilStopped(AtomicBoolean running, AtomicLong swaps) {
    try {
      while (running.get()) {
        Files.move(partition, parkedDirectory, StandardCopyOption.ATOMIC_MOVE);
        Files.move(parkedLink, partition, StandardCopyOption.ATOMIC_MOVE);
        Thread.onSpinWait();
        Files.move(partition, parkedLink, StandardCopyOption.ATOMIC_MOVE);
        Files.move(parkedDirectory, partition, StandardCopyOption.ATOMIC_MOVE);
        swaps.incrementAndGet();
      }
    } catch (IOException e) {
      throw new IllegalStateException("The swap loop failed", e);
    }
  }

  private HttpResponse<byte[]> get(String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), UTF_8);
  }
}
