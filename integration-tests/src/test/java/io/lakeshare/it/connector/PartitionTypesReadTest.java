package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.profileFile;
import static io.lakeshare.it.connector.Connector.rows;
import static io.lakeshare.it.connector.Connector.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshare.it.server.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table partitioned by a column of every partition type Delta allows for Spark's atomic types,
 * with NULL partition values, read on every path (snapshot, time travel, partition filters, change
 * data feed, a stream's snapshot phase and its change phase under each ignore/skip option) and
 * compared with delta-spark reading the same table the same way.
 *
 * <p>Columns: {@code p_string, id, p_date, p_ts, p_ts_ntz, v, p_byte, ...}: partition columns
 * before, between and after the data columns. History (CDF on, deletion vectors off, one file per
 * row): v0 CREATE; v1 INSERT ids 1-3 (id 2 NULL in every partition column); v2 INSERT ids 4-5 (id 4
 * NULL in half the columns); v3 DELETE id 3 (a whole file removed); v4 UPDATE id 2 (its file
 * rewritten); v5 INSERT ids 6-7 (id 6 into the all-NULL partition again).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionTypesReadTest {
  /** Partition column name, SQL type, and the literals rows use (index 0-4; null for NULL). */
  private static final List<String[]> PARTITIONS =
      List.of(
          new String[] {"p_string", "STRING", "'a'", "'b c/d=e%'", "''", "'\u00e9t\u00e9'"},
          new String[] {
            "p_date",
            "DATE",
            "DATE'2024-02-29'",
            "DATE'1969-12-31'",
            "DATE'2000-01-01'",
            "DATE'9999-12-31'"
          },
          new String[] {
            "p_ts",
            "TIMESTAMP",
            "TIMESTAMP'2024-01-02 03:04:05.123456'",
            "TIMESTAMP'1969-12-31 23:59:59'",
            "TIMESTAMP'2000-01-01 00:00:00'",
            "TIMESTAMP'2024-06-30 12:00:00.5'"
          },
          new String[] {
            "p_ts_ntz",
            "TIMESTAMP_NTZ",
            "TIMESTAMP_NTZ'2024-01-02 03:04:05.123456'",
            "TIMESTAMP_NTZ'1900-01-01 00:00:00'",
            "TIMESTAMP_NTZ'2000-01-01 00:00:00'",
            "TIMESTAMP_NTZ'2024-06-30 12:00:00.5'"
          },
          new String[] {
            "p_byte",
            "TINYINT",
            "CAST(1 AS TINYINT)",
            "CAST(-128 AS TINYINT)",
            "CAST(0 AS TINYINT)",
            "CAST(127 AS TINYINT)"
          },
          new String[] {
            "p_short",
            "SMALLINT",
            "CAST(2 AS SMALLINT)",
            "CAST(-32768 AS SMALLINT)",
            "CAST(0 AS SMALLINT)",
            "CAST(32767 AS SMALLINT)"
          },
          new String[] {"p_int", "INT", "3", "-2147483648", "0", "2147483647"},
          new String[] {
            "p_long", "BIGINT", "4L", "-9223372036854775808L", "0L", "9223372036854775807L"
          },
          new String[] {
            "p_dec",
            "DECIMAL(10,2)",
            "CAST(1.25 AS DECIMAL(10,2))",
            "CAST(-99999999.99 AS DECIMAL(10,2))",
            "CAST(0 AS DECIMAL(10,2))",
            "CAST(12345678.90 AS DECIMAL(10,2))"
          },
          new String[] {
            "p_float",
            "FLOAT",
            "CAST(1.5 AS FLOAT)",
            "CAST(-0.25 AS FLOAT)",
            "CAST(0 AS FLOAT)",
            "CAST(3.4E38 AS FLOAT)"
          },
          new String[] {
            "p_double", "DOUBLE", "2.5D", "-1.0E-300D", "0.0D", "1.7976931348623157E308D"
          },
          new String[] {"p_bool", "BOOLEAN", "true", "false", "true", "false"});

  private static final AtomicInteger RUNS = new AtomicInteger();

  @TempDir static Path dir;

  private Path table;
  private String url;

  @BeforeAll
  void writeTable() {
    table = dir.resolve("t_part_types");
    String columns = String.join(", ", layout(p -> p[0] + " " + p[1], "id BIGINT", "v STRING"));
    // the partition spec in another order than the schema
    List<String> spec = new ArrayList<>(PARTITIONS.stream().map(p -> p[0]).toList());
    java.util.Collections.reverse(spec);
    String partitionedBy = String.join(", ", spec);
    sql(
        "CREATE TABLE %s ("
            + columns
            + ") USING delta PARTITIONED BY ("
            + partitionedBy
            + ") TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true',"
            + " 'delta.enableDeletionVectors' = 'false')");
    insert(row(1, 0), row(2, -1), row(3, 1)); // v1
    insert(row(4, -2), row(5, 2)); // v2
    sql("DELETE FROM %s WHERE id = 3"); // v3
    sql("UPDATE %s SET v = 'updated' WHERE id = 2"); // v4
    insert(row(6, -1), row(7, 3)); // v5
    TestServer server = TestServer.get(new TestServer.Options().table("t_part_types", table));
    url = profileFile(server) + "#s1.default.t_part_types";
  }

  /**
   * One VALUES row: {@code values} picks the literal of every partition column; -1 is NULL in every
   * column, -2 NULL in every other column (the rest from literal 4).
   */
  private static String row(long id, int values) {
    int[] column = {0};
    List<String> cells =
        layout(
            p -> {
              int i = column[0]++;
              boolean isNull = values == -1 || (values == -2 && i % 2 == 0);
              return isNull ? "CAST(NULL AS " + p[1] + ")" : p[2 + (values == -2 ? 3 : values)];
            },
            Long.toString(id),
            "'v" + id + "'");
    return "(" + String.join(", ", cells) + ")";
  }

  /**
   * The table's columns in order, partition and data columns interleaved (a partition column first,
   * the data columns among them), since a reader that moves partition columns to the end hands
   * values to the wrong names only when they are not already there.
   */
  private static List<String> layout(
      java.util.function.Function<String[], String> partition, String id, String v) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < PARTITIONS.size(); i++) {
      out.add(partition.apply(PARTITIONS.get(i)));
      if (i == 0) {
        out.add(id);
      } else if (i == 3) {
        out.add(v);
      }
    }
    return out;
  }

  private void insert(String... rows) {
    spark()
        .sql(
            "INSERT INTO delta.`"
                + table
                + "` SELECT /*+ COALESCE(1) */ * FROM VALUES "
                + String.join(", ", rows));
  }

  private void sql(String template) {
    spark().sql(String.format(template, "delta.`" + table + "`"));
  }

  private Dataset<Row> sharing(Map<String, String> options) {
    return spark().read().format("deltaSharing").options(options).load(url);
  }

  private Dataset<Row> delta(Map<String, String> options) {
    return spark().read().format("delta").options(options).load(table.toString());
  }

  // ---- batch ----

  @Test
  void latestSnapshotEqualsDeltaSpark() {
    Dataset<Row> ours = sharing(Map.of());
    assertSameData(ours, delta(Map.of()));
    // ids 1, 2, 4, 5, 6, 7 remain; 2 and 6 in the all-NULL partition
    assertThat(rows(ours.select("id"))).containsExactly("[1]", "[2]", "[4]", "[5]", "[6]", "[7]");
    assertThat(rows(ours.where("p_date IS NULL AND p_string IS NULL").select("id")))
        .containsExactly("[2]", "[6]");
    assertThat(ours.schema().fieldNames())
        .startsWith("p_string", "id", "p_date", "p_ts", "p_ts_ntz", "v", "p_byte");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void everyVersionEqualsDeltaSpark(int version) {
    Map<String, String> asOf = Map.of("versionAsOf", Integer.toString(version));
    assertSameData(sharing(asOf), delta(asOf));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 5})
  void theDeltaResponseFormatReadsTheSame(int version) {
    Map<String, String> asOf = Map.of("versionAsOf", Integer.toString(version));
    Map<String, String> ours =
        Map.of("versionAsOf", Integer.toString(version), "responseFormat", "delta");
    assertSameData(sharing(ours), delta(asOf));
    Map<String, String> cdf = Map.of("readChangeFeed", "true", "startingVersion", "1");
    Map<String, String> cdfOurs =
        Map.of("readChangeFeed", "true", "startingVersion", "1", "responseFormat", "delta");
    assertSameData(sharing(cdfOurs), delta(cdf));
  }

  static Stream<Arguments> partitionFilters() {
    List<Arguments> out = new ArrayList<>();
    // every column: IS NULL and an equality; the other forms on every third column each
    for (int i = 0; i < PARTITIONS.size(); i++) {
      String[] p = PARTITIONS.get(i);
      out.add(Arguments.of(p[0] + " IS NULL"));
      out.add(Arguments.of(p[0] + " = " + p[2]));
      out.add(
          Arguments.of(
              switch (i % 3) {
                case 0 -> p[0] + " IS NOT NULL";
                case 1 -> p[0] + " <=> " + p[3];
                default -> p[0] + " <> " + p[4] + " OR " + p[0] + " IS NULL";
              }));
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("partitionFilters")
  void partitionFiltersWithNullsEqualDeltaSpark(String filter) {
    assertSameData(sharing(Map.of()).where(filter), delta(Map.of()).where(filter));
  }

  @Test
  void changeDataFeedEqualsDeltaSpark() {
    Map<String, String> all = Map.of("readChangeFeed", "true", "startingVersion", "0");
    assertSameData(sharing(all), delta(all));
    Map<String, String> middle =
        Map.of("readChangeFeed", "true", "startingVersion", "3", "endingVersion", "4");
    Dataset<Row> ours = sharing(middle);
    assertSameData(ours, delta(middle));
    assertThat(rows(ours.select("id", "_change_type", "_commit_version")))
        .containsExactly("[2, update_postimage, 4]", "[2, update_preimage, 4]", "[3, delete, 3]");
  }

  // ---- streams ----

  /** Each stream option set, read to the end by both connectors; null: both must refuse. */
  static Stream<Arguments> streams() {
    return Stream.of(
        Arguments.of(Map.of(), null),
        Arguments.of(Map.of("maxFilesPerTrigger", "2"), null),
        Arguments.of(Map.of("startingVersion", "1", "skipChangeCommits", "true"), null),
        Arguments.of(
            Map.of("startingVersion", "1", "skipChangeCommits", "true", "maxFilesPerTrigger", "1"),
            null),
        Arguments.of(Map.of("startingVersion", "1", "ignoreChanges", "true"), null),
        Arguments.of(Map.of("startingVersion", "2", "ignoreChanges", "true"), null),
        Arguments.of(Map.of("startingVersion", "4", "ignoreDeletes", "true"), "version 4"),
        Arguments.of(Map.of("startingVersion", "3", "ignoreDeletes", "true"), "version 4"),
        Arguments.of(Map.of("startingVersion", "5", "ignoreDeletes", "true"), null),
        Arguments.of(Map.of("startingVersion", "1"), "version 3"),
        Arguments.of(Map.of("readChangeFeed", "true", "startingVersion", "1"), null),
        // the same paths over the delta response format (delta-spark ignores the option)
        Arguments.of(Map.of("responseFormat", "delta"), null),
        Arguments.of(
            Map.of("startingVersion", "1", "skipChangeCommits", "true", "responseFormat", "delta"),
            null),
        Arguments.of(
            Map.of("startingVersion", "2", "ignoreChanges", "true", "responseFormat", "delta"),
            null),
        Arguments.of(
            Map.of("readChangeFeed", "true", "startingVersion", "1", "responseFormat", "delta"),
            null),
        Arguments.of(
            Map.of("readChangeFeed", "true", "startingVersion", "0", "maxFilesPerTrigger", "2"),
            null));
  }

  @ParameterizedTest
  @MethodSource("streams")
  void streamEqualsDeltaSparksStream(Map<String, String> options, String refusedAt)
      throws Exception {
    int run = RUNS.incrementAndGet();
    Path ours = dir.resolve("ours-" + run);
    Path theirs = dir.resolve("theirs-" + run);
    DataStreamReader sharing = spark().readStream().format("deltaSharing").options(options);
    DataStreamReader delta = spark().readStream().format("delta").options(options);
    if (refusedAt != null) {
      Throwable e = catchThrowable(() -> runToEnd(sharing.load(url), ours));
      assertThat(e).as("the connector refuses " + options).isNotNull();
      assertThat(Connector.messages(e)).contains(refusedAt).contains("t_part_types");
      assertThat(catchThrowable(() -> runToEnd(delta.load(table.toString()), theirs)))
          .as("delta-spark refuses " + options)
          .isNotNull();
      return;
    }
    runToEnd(delta.load(table.toString()), theirs);
    runToEnd(sharing.load(url), ours);
    Dataset<Row> expected = spark().read().parquet(theirs.toString());
    assertThat(expected.count()).as("the oracle read rows").isPositive();
    assertSameData(spark().read().parquet(ours.toString()), expected);
  }

  private static void runToEnd(Dataset<Row> df, Path out) throws Exception {
    StreamingQuery q =
        df.writeStream()
            .format("parquet")
            .option("path", out.toString())
            .option("checkpointLocation", out + "-checkpoint")
            .trigger(Trigger.AvailableNow())
            .start();
    q.awaitTermination();
  }
}
