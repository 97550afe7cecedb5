package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.spark;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's usage report (files and bytes per recipient and table per day) run with Spark on a
 * real audit log that recipients' connector reads wrote; the figures must equal what delta-spark
 * says those reads cover.
 */
class AuditReportTest {
  private static final String ALICE = "alice-audit-token-0123456789";
  private static final String BOB = "bob-audit-token-0123456789ab";

  @TempDir Path dir;

  private String url(SharingServer server, String token) throws Exception {
    Path p = Files.createTempFile(dir, "profile-", ".share");
    Files.writeString(
        p,
        "{\"shareCredentialsVersion\":1,\"endpoint\":\""
            + server.endpointUrl()
            + "\",\"bearerToken\":\""
            + token
            + "\"}");
    return p + "#s.d.sales";
  }

  /** Files and bytes delta-spark reads for the table at {@code version} (null: latest). */
  private long[] oracle(Path table, Integer version) throws Exception {
    Dataset<Row> df =
        version == null
            ? spark().read().format("delta").load(table.toString())
            : spark().read().format("delta").option("versionAsOf", version).load(table.toString());
    long bytes = 0;
    String[] files = df.inputFiles();
    for (String f : files) {
      bytes += Files.size(Path.of(URI.create(f)));
    }
    return new long[] {files.length, bytes};
  }

  @Test
  void theReadmeUsageReportMatchesTheReads() throws Exception {
    Path table = dir.resolve("sales");
    String t = "delta.`" + table + "`";
    spark()
        .sql(
            "CREATE TABLE "
                + t
                + " (id BIGINT, country STRING) USING delta PARTITIONED BY (country)");
    spark().sql("INSERT INTO " + t + " VALUES (1, 'DE'), (2, 'FR'), (3, 'US')");
    spark().sql("INSERT INTO " + t + " VALUES (4, 'DE'), (5, 'FR')");
    Path logs = dir.resolve("logs");
    String yaml =
        """
        version: 1
        host: 127.0.0.1
        port: 0
        shares:
        - name: s
          schemas: [{name: d, tables: [{name: sales, location: "%s", historyShared: true}]}]
        recipients:
        - {name: alice, token: %s, grants: [{share: s}]}
        - {name: bob, token: %s, grants: [{share: s}]}
        audit: {file: "%s"}
        """
            .formatted(table.toUri(), ALICE, BOB, logs.resolve("audit.json"));
    try (SharingServer server = SharingServer.start(ConfigLoader.parse(yaml, "audit.yaml"))) {
      String alice = url(server, ALICE);
      String bob = url(server, BOB);
      assertThat(spark().read().format("deltaSharing").load(alice).count()).isEqualTo(5);
      assertThat(spark().read().format("deltaSharing").load(alice).count()).isEqualTo(5);
      assertThat(spark().read().format("deltaSharing").option("versionAsOf", "1").load(bob).count())
          .isEqualTo(3);
    }
    long[] latest = oracle(table, null);
    long[] v1 = oracle(table, 1);

    // the README's report, word for word in the Java API
    Dataset<Row> report =
        spark()
            .read()
            .json(logs.resolve("audit*.json").toString())
            .where("status = 200 AND files IS NOT NULL")
            .groupBy(
                functions.to_date(functions.col("time")).alias("day"),
                functions.col("recipient"),
                functions.col("share"),
                functions.col("schema"),
                functions.col("table"))
            .agg(
                functions.count("*").alias("requests"),
                functions.sum("files").alias("files"),
                functions.sum("fileBytes").alias("bytes"))
            .orderBy("day", "recipient", "share", "schema", "table");
    List<Row> rows = report.collectAsList();
    Map<String, long[]> byRecipient = new HashMap<>();
    for (Row r : rows) {
      assertThat(r.getAs("day").toString()).isEqualTo(java.time.LocalDate.now().toString());
      assertThat(r.<String>getAs("table")).isEqualTo("sales");
      byRecipient.put(r.getAs("recipient"), new long[] {r.getAs("files"), r.getAs("bytes")});
    }
    assertThat(byRecipient.keySet()).containsExactlyInAnyOrder("alice", "bob");
    assertThat(byRecipient.get("alice")).containsExactly(2 * latest[0], 2 * latest[1]);
    assertThat(byRecipient.get("bob")).containsExactly(v1[0], v1[1]);
    assertThat(latest[0]).isEqualTo(5);
  }
}
