package io.lakeshare.it.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load generator for when {@code wrk} is not installed: a fixed number of connections
 * each POST the same body back to back for a fixed time; only requests that complete inside the
 * window count, as with wrk.
 *
 * <p>Usage: {@code PostLoad <url> <bearerToken> <connections> <seconds> [body]}.
 */
public final class PostLoad {
  private PostLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4 || args.length > 5) {
      System.err.println("Usage: PostLoad <url> <bearerToken> <connections> <seconds> [body]");
      System.exit(2);
    }
    URI uri = URI.create(args[0]);
    String token = args[1];
    int connections = Integer.parseInt(args[2]);
    long seconds = Long.parseLong(args[3]);
    String body = args.length > 4 ? args[4] : "{}";
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(seconds + 60))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      // One client per worker so that each keeps its own connection, like wrk's -c.
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      workers.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < deadline) {
                  try {
                    HttpResponse<byte[]> r =
                        client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (System.nanoTime() > deadline) {
                      break;
                    }
                    (r.statusCode() == 200 ? ok : failed).incrementAndGet();
                    bytes.addAndGet(r.body().length);
                  } catch (java.io.IOException e) {
                    failed.incrementAndGet();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              }));
    }
    for (Future<?> w : workers) {
      w.get(seconds + 120, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "load connections=%d seconds=%.1f ok=%d failed=%d requestsPerSecond=%.2f bytes=%d%n",
        connections,
        elapsed,
        ok.get(),
        failed.get(),
        ok.get() / (double) seconds,
        bytes.get());
  }
}
