package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.filesListed;
import static io.lakeshare.it.connector.Connector.messages;
import static io.lakeshare.it.connector.Connector.profileFile;
import static io.lakeshare.it.connector.Connector.rows;
import static io.lakeshare.it.connector.Connector.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.TableRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directories of Parquet files written by Spark, shared with {@code format: parquet} and read
 * through the connector, compared with {@code spark.read.parquet} of the same directory: Hive-style
 * partitions of several inferred types with NULL partitions (Spark's {@code
 * __HIVE_DEFAULT_PARTITION__}), filters pruning on partition values and footer statistics, a schema
 * merged from files that add a column, a new file changing the version, files that disagree on a
 * column's type, and the refusals of history (time travel, change data feed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParquetTableReadTest {
  @TempDir static Path dir;

  private Path part;
  private Path merged;
  private Path grow;
  private Path conflict;
  private Path declared;
  private Path times;
  private TestServer server;

  @BeforeAll
  void writeDirectories() {
    part = dir.resolve("pq_part");
    // several files per partition, partitions of int, string (with characters Hive escapes and
    // the empty string, which Spark writes as NULL), date, long, double and boolean values
    String values =
        " FROM VALUES"
            + " (1L, 'a', 10, 'x', DATE'2024-02-29', 5000000000L, 1.5D, true, CAST(1.25 AS"
            + " DECIMAL(10,2)), DATE'2020-01-01'),"
            + " (2L, NULL, 10, 'b c/d=e%', DATE'2024-02-29', 5000000000L, 1.5D, false, NULL,"
            + " NULL),"
            + " (3L, 'c', 20, NULL, NULL, -7L, -0.5D, NULL, CAST(-3.5 AS DECIMAL(10,2)),"
            + " DATE'1969-12-31'),"
            + " (4L, 'd', NULL, 'x', DATE'1999-12-31', NULL, NULL, true, CAST(0 AS DECIMAL(10,2)),"
            + " DATE'2024-06-30'),"
            + " (5L, 'e', 30, '', DATE'2000-01-01', 1L, 2.0D, false, CAST(99.99 AS DECIMAL(10,2)),"
            + " NULL)"
            + " AS t(id, v, p_int, p_str, p_date, p_long, p_dbl, p_bool, amount, d)";
    write("SELECT *" + values, part, "p_int", "p_str", "p_date", "p_long", "p_dbl", "p_bool");
    write(
        "SELECT id + 100 AS id, v, p_int, p_str, p_date, p_long, p_dbl, p_bool, amount, d" + values,
        part,
        "p_int",
        "p_str",
        "p_date",
        "p_long",
        "p_dbl",
        "p_bool");

    merged = dir.resolve("pq_merged");
    write("SELECT id, CAST(id AS STRING) AS name FROM range(0, 6)", merged);
    write("SELECT id, CAST(id AS STRING) AS name, id * 2 AS extra FROM range(6, 9)", merged);

    grow = dir.resolve("pq_grow");
    write("SELECT id, 'one' AS v FROM range(0, 3)", grow);

    conflict = dir.resolve("pq_conflict");
    write("SELECT id FROM range(0, 3)", conflict);
    write("SELECT CAST(id AS STRING) AS id FROM range(3, 6)", conflict);

    declared = dir.resolve("pq_declared");
    write("SELECT id, CAST(id % 2 AS STRING) AS code FROM range(0, 4)", declared, "code");

    times = dir.resolve("pq_times");
    write(
        "SELECT * FROM VALUES (1L, TIMESTAMP'2024-01-02 03:04:05.5'),"
            + " (2L, TIMESTAMP'1969-12-31 23:59:59'), (3L, NULL), (4L, TIMESTAMP'2000-01-01"
            + " 00:00:00') AS t(id, ts)",
        times,
        "ts");

    server =
        TestServer.get(
            new TestServer.Options()
                .parquetTable("pq_part", part)
                .parquetTable("pq_merged", merged)
                .parquetTable("pq_grow", grow)
                .parquetTable("pq_conflict", conflict)
                .parquetTable("pq_declared", declared, "partitionColumnTypes: {code: string}")
                .parquetTable("pq_times", times));
  }

  private static void write(String sql, Path to, String... partitionBy) {
    spark()
        .sql(sql)
        .repartition(2)
        .write()
        .mode(SaveMode.Append)
        .partitionBy(partitionBy)
        .parquet(to.toString());
  }

  private String url(String table) {
    return profileFile(server) + "#s1.default." + table;
  }

  private Dataset<Row> sharing(String table) {
    return spark().read().format("deltaSharing").load(url(table));
  }

  @Test
  void partitionedDirectoryEqualsSparkParquet() {
    Dataset<Row> oracle = spark().read().parquet(part.toString());
    Dataset<Row> ours = sharing("pq_part");
    assertSameData(ours, oracle);
    // the inferred types Spark gives (booleans stay strings), data columns first
    assertThat(ours.schema().simpleString())
        .isEqualTo(
            "struct<id:bigint,v:string,amount:decimal(10,2),d:date,p_int:int,p_str:string,"
                + "p_date:date,p_long:bigint,p_dbl:double,p_bool:string>");
    assertThat(rows(ours.where("p_int IS NULL").select("id"))).containsExactly("[104]", "[4]");
    assertThat(rows(ours.where("p_str IS NULL").select("id")))
        .containsExactly("[103]", "[105]", "[3]", "[5]");
    assertThat(rows(ours.where("p_str = 'b c/d=e%'").select("id"))).containsExactly("[102]", "[2]");
  }

  @Test
  void filtersPruneOnPartitionsAndFooterStatisticsAndStayCorrect() {
    Dataset<Row> oracle = spark().read().parquet(part.toString());
    String[] filters = {
      "p_int = 10",
      "p_date = DATE'2024-02-29'",
      "p_date IS NULL",
      "id > 100",
      "id = 3",
      "d < DATE'2000-01-01'",
      "amount > 1",
      "v = 'c'",
      "p_long = 5000000000 AND p_dbl = 1.5",
    };
    long all = filesListed(sharing("pq_part"));
    assertThat(all).isEqualTo(countDataFiles(part));
    for (String f : filters) {
      assertSameData(sharing("pq_part").where(f), oracle.where(f));
    }
    assertThat(filesListed(sharing("pq_part").where("p_int = 10"))).isLessThan(all);
    // only the second write's files hold ids above 100: the footers' id ranges prune the rest
    assertThat(filesListed(sharing("pq_part").where("id > 100"))).isLessThan(all);
  }

  @Test
  void timestampPartitionsWithEscapedColonsReadAsSparkReadsThem() {
    Dataset<Row> oracle = spark().read().parquet(times.toString());
    Dataset<Row> ours = sharing("pq_times");
    assertThat(ours.schema().simpleString()).isEqualTo("struct<id:bigint,ts:timestamp>");
    assertSameData(ours, oracle);
    assertSameData(
        ours.where("ts < TIMESTAMP'2001-01-01 00:00:00'"),
        oracle.where("ts < TIMESTAMP'2001-01-01 00:00:00'"));
    assertThat(rows(ours.where("ts IS NULL").select("id"))).containsExactly("[3]");
  }

  @Test
  void schemaIsMergedFromEveryFooter() {
    Dataset<Row> oracle = spark().read().option("mergeSchema", "true").parquet(merged.toString());
    Dataset<Row> ours = sharing("pq_merged");
    assertThat(ours.schema().simpleString())
        .isEqualTo("struct<id:bigint,name:string,extra:bigint>");
    assertSameData(ours, oracle.select("id", "name", "extra"));
    assertThat(rows(ours.where("extra IS NULL").select("id"))).hasSize(6);
  }

  @Test
  void declaredPartitionTypesOverrideInference() {
    Dataset<Row> ours = sharing("pq_declared");
    assertThat(ours.schema().simpleString()).isEqualTo("struct<id:bigint,code:string>");
    Dataset<Row> oracle =
        spark()
            .read()
            .option("basePath", declared.toString())
            .schema("id BIGINT, code STRING")
            .parquet(declared.toString());
    assertSameData(ours, oracle);
  }

  @Test
  void aNewFileIsANewVersionAndItsRowsAreRead() throws Exception {
    TableRef ref = new TableRef("s1", "default", "pq_grow");
    try (DeltaSharingClient client = server.client()) {
      long before = client.getTableVersion(ref, null);
      assertThat(client.getTableVersion(ref, null)).isEqualTo(before);
      assertThat(rows(sharing("pq_grow"))).hasSize(3);
      write("SELECT id, 'two' AS v FROM range(3, 5)", grow);
      long after = client.getTableVersion(ref, null);
      assertThat(after).isNotEqualTo(before);
      assertSameData(sharing("pq_grow"), spark().read().parquet(grow.toString()));
      assertThat(rows(sharing("pq_grow"))).hasSize(5);
    }
  }

  @Test
  void filesThatDisagreeOnATypeAreRefusedNamingTheColumn() {
    Throwable e = catchThrowable(() -> sharing("pq_conflict").collect());
    assertThat(messages(e))
        .contains("s1.default.pq_conflict")
        .contains("disagree on the type of column 'id'")
        .doesNotContain(dir.toString());
  }

  @Test
  void historyIsNotShared() {
    Throwable travel =
        catchThrowable(
            () ->
                spark()
                    .read()
                    .format("deltaSharing")
                    .option("versionAsOf", "0")
                    .load(url("pq_grow"))
                    .collect());
    assertThat(messages(travel)).contains("history");
    Throwable cdf =
        catchThrowable(
            () ->
                spark()
                    .read()
                    .format("deltaSharing")
                    .option("readChangeFeed", "true")
                    .option("startingVersion", "0")
                    .load(url("pq_grow"))
                    .collect());
    assertThat(messages(cdf)).contains("cdf is not enabled on table s1.default.pq_grow");
  }

  private static long countDataFiles(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(
              p ->
                  Arrays.stream(root.relativize(p).toString().split("/"))
                      .noneMatch(s -> s.startsWith(".") || s.startsWith("_") && !s.contains("=")))
          .count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
