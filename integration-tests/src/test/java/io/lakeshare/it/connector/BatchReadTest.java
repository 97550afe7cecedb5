package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.filesListed;
import static io.lakeshare.it.connector.Connector.read;
import static io.lakeshare.it.connector.Connector.rows;
import static io.lakeshare.it.connector.Connector.spark;
import static io.lakeshare.it.connector.Connector.url;
import static io.lakeshare.it.fixtures.SparkFixture.EXHAUSTIVE;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads through the connector equal delta-spark's reads of the same tables. */
class BatchReadTest {

  private static FixtureTable fixture(String name) {
    return FixtureTables.get().table(name);
  }

  private static Dataset<Row> oracle(String name) {
    return spark().read().format("delta").load(fixture(name).path().toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        FixtureTables.T_PLAIN,
        FixtureTables.T_PART,
        FixtureTables.T_HIST,
        FixtureTables.T_TYPES,
        FixtureTables.T_TYPES_PART,
        FixtureTables.T_DV_CLEAN,
        FixtureTables.T_EMPTY
      })
  void fullScanEqualsDeltaSpark(String table) {
    Dataset<Row> df = read(table);
    assertSameData(df, oracle(table));
    assertThat(df.count()).isEqualTo(fixture(table).rowCount(fixture(table).latestVersion()));
  }

  @Test
  void schemaAndPartitioningComeFromTheTableMetadata() {
    StructType schema = read(FixtureTables.T_TYPES).schema();
    assertThat(schema.apply("c_ts_ntz").dataType()).isEqualTo(DataTypes.TimestampNTZType);
    assertThat(schema.apply("c_dec38").dataType()).isEqualTo(DataTypes.createDecimalType(38, 18));
    assertThat(schema.apply("c_map").dataType().simpleString()).isEqualTo("map<string,int>");
    assertThat(schema.apply("c_struct").dataType().simpleString())
        .isEqualTo("struct<x:int,y:string>");
    assertThat(read(FixtureTables.T_PART).schema().fieldNames())
        .containsExactly("id", "value", "date");
  }

  @Test
  void projectionReadsOnlyTheSelectedColumns() {
    Dataset<Row> df = read(FixtureTables.T_TYPES).select("c_string", "c_struct", "c_long");
    assertSameData(df, oracle(FixtureTables.T_TYPES).select("c_string", "c_struct", "c_long"));
    assertThat(df.queryExecution().executedPlan().toString()).doesNotContain("c_map");

    Dataset<Row> nested = read(FixtureTables.T_TYPES).select(col("c_struct.y"));
    assertSameData(nested, oracle(FixtureTables.T_TYPES).select(col("c_struct.y")));
  }

  @Test
  void partitionFilterIsPushedAndTheServerReturnsFewerFiles() {
    Dataset<Row> all = read(FixtureTables.T_PART);
    Dataset<Row> df = all.where(col("date").equalTo(java.sql.Date.valueOf("2021-04-28")));
    assertSameData(
        df,
        oracle(FixtureTables.T_PART)
            .where(col("date").equalTo(java.sql.Date.valueOf("2021-04-28"))));
    // v1 wrote one file for 2021-04-28, v3 another one
    assertThat(filesListed(df)).isEqualTo(2);
    assertThat(filesListed(all)).isEqualTo(6);
    assertThat(df.queryExecution().executedPlan().toString()).contains("jsonPredicateHints");
  }

  @Test
  void nullPartitionValuesAreReadAsNull() {
    Dataset<Row> nulls = read(FixtureTables.T_PART).where(col("date").isNull());
    assertThat(rows(nulls.select("id", "date")))
        .containsExactlyElementsOf(
            rows(oracle(FixtureTables.T_PART).where(col("date").isNull()).select("id", "date")));
    assertThat(nulls.count()).isEqualTo(2);
    assertThat(filesListed(nulls)).isEqualTo(1);
  }

  @Test
  void dataFilterSkipsFilesByStatsAndSparkStillFiltersRows() {
    Dataset<Row> df = read(FixtureTables.T_PLAIN).where(col("id").equalTo(1));
    assertSameData(df, oracle(FixtureTables.T_PLAIN).where(col("id").equalTo(1)));
    assertThat(df.count()).isEqualTo(1);
    assertThat(filesListed(df)).isEqualTo(1);
    assertThat(filesListed(read(FixtureTables.T_PLAIN))).isEqualTo(2);
    // the same predicate also reaches Spark's Parquet reader for row-group skipping
    assertThat(df.queryExecution().executedPlan().toString())
        .contains("rowGroupFilters=[")
        .contains("EqualTo(id,1)");
  }

  @Test
  void unconvertibleFiltersStillGiveCorrectRows() {
    Dataset<Row> df =
        read(FixtureTables.T_PLAIN)
            .where(col("name").startsWith("a").or(col("score").multiply(2).gt(1)));
    Dataset<Row> expected =
        oracle(FixtureTables.T_PLAIN)
            .where(col("name").startsWith("a").or(col("score").multiply(2).gt(1)));
    assertSameData(df, expected);
    assertThat(filesListed(df)).isEqualTo(2);
    // Spark's own V1 conversion would weaken this OR to its first side; it must not be used
    assertThat(df.queryExecution().executedPlan().toString()).doesNotContain("rowGroupFilters");
  }

  @Test
  void limitIsSentAsAHintAndSparkStillLimits() {
    Dataset<Row> df = read(FixtureTables.T_PLAIN).limit(1);
    assertThat(df.collectAsList()).hasSize(1);
    // the first file alone holds 3 rows, enough for LIMIT 1
    assertThat(filesListed(df)).isEqualTo(1);
    assertThat(df.queryExecution().executedPlan().toString()).contains("limitHint=1");
    Dataset<Row> many = read(FixtureTables.T_PLAIN).limit(100);
    assertThat(many.count()).isEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void versionAsOfEqualsDeltaTimeTravel(long version) {
    FixtureTable t = fixture(FixtureTables.T_HIST);
    Dataset<Row> df =
        spark()
            .read()
            .format("deltaSharing")
            .option("versionAsOf", version)
            .load(url(FixtureTables.T_HIST));
    assertSameData(df, t.read(version));
  }

  @Tag(EXHAUSTIVE)
  @Test
  void timestampAsOfEqualsDeltaTimeTravel() {
    FixtureTable t = fixture(FixtureTables.T_HIST);
    for (long v : List.of(2L, 4L)) {
      Instant at = t.commitTimestamp(v);
      Dataset<Row> df =
          spark()
              .read()
              .format("deltaSharing")
              .option("timestampAsOf", at.toString())
              .load(url(FixtureTables.T_HIST));
      assertSameData(df, t.read(v));
      // one millisecond before the commit is still the previous version
      Dataset<Row> before =
          spark()
              .read()
              .format("deltaSharing")
              .option("timestampAsOf", at.minusMillis(1).toString())
              .load(url(FixtureTables.T_HIST));
      assertSameData(before, t.read(v - 1));
    }
  }

  @Test
  void smallServerPagesAreFollowedForLatestAndTimeTravelReads() {
    spark().conf().set("spark.delta.sharing.queryPagination.enabled", "true");
    spark().conf().set("spark.delta.sharing.maxFilesPerQueryRequest", "2");
    try {
      // 6 files in pages of 2; the latest read also asks for a refresh token on the first page
      Dataset<Row> latest = read(FixtureTables.T_PART);
      assertSameData(latest, oracle(FixtureTables.T_PART));
      assertThat(filesListed(latest)).isEqualTo(6);
      FixtureTable hist = fixture(FixtureTables.T_HIST);
      Dataset<Row> v3 =
          spark()
              .read()
              .format("deltaSharing")
              .option("versionAsOf", 3)
              .load(url(FixtureTables.T_HIST));
      assertSameData(v3, hist.read(3));
    } finally {
      spark().conf().unset("spark.delta.sharing.queryPagination.enabled");
      spark().conf().unset("spark.delta.sharing.maxFilesPerQueryRequest");
    }
  }

  @Test
  void profileGivenAsOptionsReadsTheSameTable() {
    io.lakeshare.it.server.TestServer server = io.lakeshare.it.server.TestServer.get();
    Dataset<Row> df =
        spark()
            .read()
            .format("deltaSharing")
            .option("shareCredentialsVersion", "1")
            .option("endpoint", server.endpoint())
            .option("bearerToken", io.lakeshare.it.server.TestServer.TOKEN)
            .load("s1.default." + FixtureTables.T_PLAIN);
    assertSameData(df, oracle(FixtureTables.T_PLAIN));
  }

  @Test
  void aggregatesAndJoinsWork() {
    Dataset<Row> df = read(FixtureTables.T_HIST).groupBy("part").count();
    assertSameData(df, oracle(FixtureTables.T_HIST).groupBy("part").count());
    Dataset<Row> joined =
        read(FixtureTables.T_HIST).join(read(FixtureTables.T_HIST).select("id"), "id");
    assertThat(joined.count()).isEqualTo(oracle(FixtureTables.T_HIST).count());
  }
}
