package io.lakeshare.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.SparkFixture;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.spark.ScanMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2ScanRelation;
import org.apache.spark.sql.types.StructField;
import scala.collection.JavaConverters;

/** Helpers for reading fixture tables through the connector and comparing with delta-spark. */
final class Connector {
  private Connector() {}

  static SparkSession spark() {
    return SparkFixture.spark();
  }

  /** Writes a profile file for {@code server} (with {@code token}) and returns its path. */
  static String profileFile(TestServer server, String token) {
    try {
      Path p = Files.createTempFile("lakeshare-", ".share");
      p.toFile().deleteOnExit();
      Files.writeString(
          p,
          "{\"shareCredentialsVersion\":1,\"endpoint\":\""
              + server.endpoint()
              + "\",\"bearerToken\":\""
              + token
              + "\"}");
      return p.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String profileFile(TestServer server) {
    return profileFile(server, TestServer.TOKEN);
  }

  /** {@code <profile>#s1.default.<table>} on the default test server. */
  static String url(String table) {
    return profileFile(TestServer.get()) + "#s1.default." + table;
  }

  static Dataset<Row> read(String table) {
    return spark().read().format("deltaSharing").load(url(table));
  }

  /** The messages of an exception and its causes, for assertions. */
  static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(" | ");
    }
    return sb.toString();
  }

  /** Rows as sortable strings: equal multisets mean equal results. */
  static List<String> rows(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(render(r));
    }
    out.sort(null);
    return out;
  }

  private static String render(Object v) {
    if (v instanceof Row r) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < r.length(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(render(r.get(i)));
      }
      return sb.append(']').toString();
    }
    if (v instanceof byte[] b) {
      return "0x" + java.util.HexFormat.of().formatHex(b);
    }
    if (v instanceof scala.collection.Seq<?> s) {
      List<String> items = new ArrayList<>();
      JavaConverters.seqAsJavaList(s).forEach(x -> items.add(render(x)));
      return items.toString();
    }
    if (v instanceof scala.collection.Map<?, ?> m) {
      List<String> items = new ArrayList<>();
      JavaConverters.mapAsJavaMap(m).forEach((k, x) -> items.add(render(k) + "->" + render(x)));
      items.sort(null);
      return items.toString();
    }
    return String.valueOf(v);
  }

  /** Asserts same schema (names, types, nullability aside) and the same multiset of rows. */
  static void assertSameData(Dataset<Row> actual, Dataset<Row> expected) {
    List<String> a = new ArrayList<>();
    for (StructField f : actual.schema().fields()) {
      a.add(f.name() + ":" + f.dataType().simpleString());
    }
    List<String> e = new ArrayList<>();
    for (StructField f : expected.schema().fields()) {
      e.add(f.name() + ":" + f.dataType().simpleString());
    }
    assertThat(a).isEqualTo(e);
    List<String> expectedRows = rows(expected);
    assertThat(rows(actual)).containsExactlyElementsOf(expectedRows);
  }

  /**
   * The driver metrics of the (single) Delta Sharing scan in {@code df}'s optimized plan, planning
   * it first when {@code df} has not run.
   */
  static Map<String, Long> scanMetrics(Dataset<Row> df) {
    LogicalPlan plan = df.queryExecution().optimizedPlan();
    Map<String, Long> out = new HashMap<>();
    for (LogicalPlan leaf : JavaConverters.seqAsJavaList(plan.collectLeaves())) {
      if (leaf instanceof DataSourceV2ScanRelation rel) {
        // plans the scan if the DataFrame was not run (metrics exist once files are listed)
        rel.scan().toBatch().planInputPartitions();
        for (CustomTaskMetric m : rel.scan().reportDriverMetrics()) {
          out.put(m.name(), m.value());
        }
      }
    }
    assertThat(out).containsKey(ScanMetrics.FILES_LISTED);
    return out;
  }

  static long filesListed(Dataset<Row> df) {
    return scanMetrics(df).get(ScanMetrics.FILES_LISTED);
  }

  /**
   * delta-spark's change data feed of {@code t} over {@code [from, to]}: the oracle of CDF reads.
   */
  static Dataset<Row> oracleChanges(FixtureTable t, long from, long to) {
    return spark()
        .read()
        .format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", from)
        .option("endingVersion", to)
        .load(t.path().toString());
  }

  /**
   * Runs {@code stream} (with {@code options}, name-value pairs) on {@code url} once with {@code
   * Trigger.AvailableNow} into a Parquet sink under {@code dir}, and returns what it wrote.
   */
  static List<Row> streamAvailableNow(
      org.apache.spark.sql.streaming.DataStreamReader stream,
      String url,
      Path dir,
      String... options)
      throws Exception {
    for (int i = 0; i + 1 < options.length; i += 2) {
      stream = stream.option(options[i], options[i + 1]);
    }
    Path out = dir.resolve("out-" + System.nanoTime());
    org.apache.spark.sql.streaming.StreamingQuery q =
        stream
            .load(url)
            .writeStream()
            .format("parquet")
            .option("path", out.toString())
            .option("checkpointLocation", dir.resolve("cp-" + System.nanoTime()).toString())
            .trigger(org.apache.spark.sql.streaming.Trigger.AvailableNow())
            .start();
    q.awaitTermination();
    return new ArrayList<>(spark().read().parquet(out.toString()).collectAsList());
  }
}
