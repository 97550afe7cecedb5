package io.lakeshare.it.faults;

import static io.lakeshare.it.faults.Bounded.rows;
import static io.lakeshare.it.faults.Bounded.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.lakeshare.it.server.TestServer;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming driver ({@link StreamDriver} in a child JVM) killed with SIGKILL in the middle of a
 * micro-batch and restarted from its checkpoint delivers every row of the shared table into its
 * file sink exactly once.
 */
class StreamKillTest {
  private static final Logger LOG = LoggerFactory.getLogger(StreamKillTest.class);
  private static final int ALWAYS = Integer.MAX_VALUE;

  @TempDir Path dir;

  @Test
  void driverKilledMidBatchAndRestartedFromItsCheckpointDeliversEveryRowOnce() throws Exception {
    Path table = dir.resolve("kill_src");
    // six commits of five rows, one file each: ids 0-29, one micro-batch per file
    for (int c = 0; c < 6; c++) {
      append(table, c * 5L, c * 5L + 5);
    }
    Path out = dir.resolve("out");
    Path checkpoint = dir.resolve("checkpoint");
    try (ProxiedServer server =
        ProxiedServer.start(new TestServer.Options().table("kill_src", table))) {
      FaultProxy proxy = server.proxy();
      String url = server.url("kill_src");
      // healthy but slow downloads, so that every batch takes a moment
      proxy.rule("slow", FaultProxy.Request::isFile, new Fault.Delay(250), ALWAYS);
      Path firstLog = dir.resolve("driver-1.log");
      Process first = launch(url, out, checkpoint, "continuous", firstLog);
      long committed;
      try {
        await("two committed batches", () -> sinkBatches(out) >= 2, first, firstLog, 180);
        // from now on a download hangs: the batch that makes it is stuck half way
        proxy.ruleFirst("stall", FaultProxy.Request::isFile, new Fault.StallAfter(0), ALWAYS);
        await("a stalled download", () -> proxy.stalledNow() > 0, first, firstLog, 60);
        committed = sinkBatches(out);
      } finally {
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
      long offsets = lastIndex(checkpoint.resolve("offsets"));
      long commits = lastIndex(checkpoint.resolve("commits"));
      LOG.info(
          "killed with {} sink batches, offsets up to {}, commits up to {}",
          committed,
          offsets,
          commits);
      // mid-batch: the batch in flight was planned (offsets logged) and never committed
      assertThat(offsets).as("offsets log").isEqualTo(commits + 1);
      assertThat(commits).isGreaterThanOrEqualTo(1).isLessThan(5);

      // while the driver is down the table moves on: the restart reads snapshot and changes
      append(table, 30, 35);
      append(table, 35, 40);
      proxy.reset();
      Path secondLog = dir.resolve("driver-2.log");
      Process second = launch(url, out, checkpoint, "availableNow", secondLog);
      boolean ended = second.waitFor(180, TimeUnit.SECONDS);
      if (!ended) {
        second.destroyForcibly();
      }
      assertThat(ended).as(Files.readString(secondLog, StandardCharsets.UTF_8)).isTrue();
      assertThat(second.exitValue())
          .as(Files.readString(secondLog, StandardCharsets.UTF_8))
          .isZero();
    }
    Dataset<Row> sink = spark().read().parquet(out.toString());
    Dataset<Row> oracle = spark().read().format("delta").load(table.toString());
    List<String> expected = rows(oracle);
    assertThat(expected).hasSize(40);
    // none lost, none twice
    assertThat(rows(sink.select("id", "v"))).containsExactlyElementsOf(expected);
  }

  private static void append(Path table, long from, long to) {
    spark()
        .range(from, to)
        .selectExpr("id", "concat('v', id) AS v")
        .coalesce(1)
        .write()
        .format("delta")
        .mode("append")
        .save(table.toString());
  }

  /** Batches committed to the file sink's {@code _spark_metadata} log. */
  private static long sinkBatches(Path out) {
    return countNumbered(out.resolve("_spark_metadata"));
  }

  private static long countNumbered(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches("\\d+(\\.compact)?")).count();
    } catch (IOException e) {
      return 0; // a log file being renamed into place
    }
  }

  /** The highest batch number in a checkpoint log directory, or -1. */
  private static long lastIndex(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return -1;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d+"))
          .mapToLong(Long::parseLong)
          .max()
          .orElse(-1);
    }
  }

  private static void await(
      String what, BooleanSupplier condition, Process p, Path log, int seconds) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (!condition.getAsBoolean()) {
      if (!p.isAlive()) {
        fail(
            "the stream driver exited ("
                + p.exitValue()
                + ") while waiting for "
                + what
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      if (System.nanoTime() > deadline) {
        fail(
            "no "
                + what
                + " within "
                + seconds
                + " s:\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(25);
    }
  }

  /** Starts {@link StreamDriver} in a JVM with this JVM's test classpath and module flags. */
  private static Process launch(String url, Path out, Path checkpoint, String mode, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-XX:TieredStopAtLevel=1");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--")
          || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
          || a.startsWith("-Dio.netty")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    // surefire runs tests from a manifest-only jar and puts the real classpath here
    cmd.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
            .replace(File.pathSeparator + File.pathSeparator, File.pathSeparator));
    cmd.addAll(
        List.of(
            StreamDriver.class.getName(), url, out.toString(), checkpoint.toString(), mode, "1"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.redirectOutput(log.toFile());
    return pb.start();
  }
}
