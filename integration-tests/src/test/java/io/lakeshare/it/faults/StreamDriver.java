package io.lakeshare.it.faults;

import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver of a streaming query that {@link StreamKillTest} runs in a child JVM: a {@code
 * deltaSharing} stream into a parquet file sink with a checkpoint. Arguments: table URL, sink
 * directory, checkpoint directory, {@code continuous} (micro-batches back to back until killed) or
 * {@code availableNow} (to the end, then exit 0), maxFilesPerTrigger.
 */
public final class StreamDriver {
  private static final Logger LOG = LoggerFactory.getLogger(StreamDriver.class);

  private StreamDriver() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      LOG.error("the stream failed", t);
      System.exit(2);
    }
    // Spark leaves non-daemon threads behind
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    String table = args[0];
    String sink = args[1];
    String checkpoint = args[2];
    boolean availableNow = args[3].equals("availableNow");
    String maxFiles = args[4];
    SparkSession spark =
        SparkSession.builder()
            .appName("lakeshare-stream-driver")
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
    StreamingQuery q =
        spark
            .readStream()
            .format("deltaSharing")
            .option("maxFilesPerTrigger", maxFiles)
            .load(table)
            .writeStream()
            .format("parquet")
            .option("path", sink)
            .option("checkpointLocation", checkpoint)
            .trigger(
                availableNow ? Trigger.AvailableNow() : Trigger.ProcessingTime(0, TimeUnit.SECONDS))
            .start();
    LOG.info("stream {} started ({})", q.id(), args[3]);
    q.awaitTermination();
    LOG.info("stream {} ended: {}", q.id(), q.lastProgress());
    spark.stop();
  }
}
