package io.lakeshare.it.demo;

import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.demo.DemoInfo;
import io.lakeshare.server.demo.DemoTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * README's first command, end to end: writes the sample Delta table, serves it with the Lakeshare
 * server, and reads it back through the {@code deltaSharing} connector with Spark {@code local[*]},
 * printing rows and the time each step took. Exits non-zero when the rows read differ from the
 * table's row count.
 */
public final class SparkDemo {
  private SparkDemo() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "lakeshare-demo").toAbsolutePath().normalize();
    long t0 = System.nanoTime();
    Files.createDirectories(dir);
    DemoInfo info = DemoTable.write(dir.resolve("tables"));
    String token = UUID.randomUUID().toString();
    String yaml =
        String.join(
            "\n",
            "version: 1",
            "shares:",
            "- name: demo",
            "  schemas:",
            "  - name: default",
            "    tables:",
            "    - name: sales",
            "      location: \"" + info.tableRoot().toUri() + "\"",
            "      historyShared: true",
            "authorization:",
            "  bearerToken: " + token,
            "host: 127.0.0.1",
            "port: 0",
            "endpoint: /delta-sharing",
            "");
    try (SharingServer server = SharingServer.start(ConfigLoader.parse(yaml, "demo.yaml"))) {
      Path profile = dir.resolve("demo.share");
      Files.writeString(
          profile,
          "{\"shareCredentialsVersion\":1,\"endpoint\":\""
              + server.endpointUrl()
              + "\",\"bearerToken\":\""
              + token
              + "\"}\n");
      System.out.printf(
          "Serving %s (%d rows, version %d) at %s in %.1f s%n",
          info.tableRoot(),
          info.rowCount(),
          info.latestVersion(),
          server.endpointUrl(),
          (System.nanoTime() - t0) / 1e9);
      long t1 = System.nanoTime();
      SparkSession spark =
          SparkSession.builder()
              .master("local[*]")
              .appName("lakeshare-demo")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "4")
              .getOrCreate();
      System.out.printf("Spark started in %.1f s%n", (System.nanoTime() - t1) / 1e9);
      try {
        String url = profile + "#demo.default.sales";
        long t2 = System.nanoTime();
        Dataset<Row> sales = spark.read().format("deltaSharing").load(url);
        sales.orderBy("id").show(20, false);
        long rows = sales.count();
        System.out.printf(
            "Read %d rows of demo.default.sales through the deltaSharing connector in %.2f s%n",
            rows, (System.nanoTime() - t2) / 1e9);
        long t3 = System.nanoTime();
        long v0 = spark.read().format("deltaSharing").option("versionAsOf", 0).load(url).count();
        System.out.printf(
            "Time travel: version 0 has %d rows (%.2f s)%n", v0, (System.nanoTime() - t3) / 1e9);
        System.out.printf(
            "Profile for other clients: %s%nTotal %.1f s%n",
            profile, (System.nanoTime() - t0) / 1e9);
        if (rows != info.rowCount()) {
          System.out.printf("FAILED: expected %d rows%n", info.rowCount());
          System.exit(1);
        }
      } finally {
        spark.stop();
      }
    }
  }
}
