package io.lakeshare.it.faults;

import io.lakeshare.it.fixtures.SparkFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Runs Spark work under a wall-clock bound (its jobs are cancelled when the bound passes, so a hung
 * read cannot outlive its test), with connector confs set for the duration and restored afterwards.
 */
final class Bounded {
  private Bounded() {}

  /** How a bounded read ended. */
  record Outcome<T>(T value, Throwable failure, Duration took, boolean timedOut) {
    boolean ok() {
      return failure == null && !timedOut;
    }
  }

  static SparkSession spark() {
    return SparkFixture.spark();
  }

  /**
   * Runs {@code work} in its own thread under a Spark job group; after {@code limit} the group is
   * cancelled, {@code onTimeout} runs (e.g. releasing proxy stalls) and the outcome says so.
   */
  static <T> Outcome<T> run(Duration limit, Runnable onTimeout, Callable<T> work) {
    String group = "faults-" + UUID.randomUUID();
    SparkSession spark = spark();
    FutureTask<T> task =
        new FutureTask<>(
            () -> {
              spark.sparkContext().setJobGroup(group, "bounded fault test", true);
              try {
                return work.call();
              } finally {
                spark.sparkContext().clearJobGroup();
              }
            });
    Thread t = new Thread(task, "bounded-" + group);
    t.setDaemon(true);
    long start = System.nanoTime();
    t.start();
    try {
      T value = task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return new Outcome<>(value, null, since(start), false);
    } catch (TimeoutException e) {
      Duration took = since(start);
      spark.sparkContext().cancelJobGroup(group);
      onTimeout.run();
      t.interrupt();
      try {
        t.join(30_000);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      return new Outcome<>(null, null, took, true);
    } catch (ExecutionException e) {
      return new Outcome<>(null, e.getCause(), since(start), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Sets Spark confs and restores the previous values (or unsets them) when closed. */
  static final class Confs implements AutoCloseable {
    private final Map<String, String> previous = new HashMap<>();

    Confs(Map<String, String> values) {
      RuntimeConfig conf = spark().conf();
      for (Map.Entry<String, String> e : values.entrySet()) {
        previous.put(e.getKey(), conf.contains(e.getKey()) ? conf.get(e.getKey()) : null);
        conf.set(e.getKey(), e.getValue());
      }
    }

    @Override
    public void close() {
      RuntimeConfig conf = spark().conf();
      previous.forEach(
          (k, v) -> {
            if (v == null) {
              conf.unset(k);
            } else {
              conf.set(k, v);
            }
          });
    }
  }

  /** Rows as sorted strings: equal lists mean equal multisets of rows. */
  static List<String> rows(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }

  /** The messages of a failure and its causes, for assertions. */
  static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" | ");
    }
    return sb.toString();
  }
}
