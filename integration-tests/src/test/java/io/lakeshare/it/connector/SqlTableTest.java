package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.rows;
import static io.lakeshare.it.connector.Connector.spark;
import static io.lakeshare.it.connector.Connector.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTables;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code CREATE TABLE ... USING deltaSharing LOCATION ...} and reads of that table. */
class SqlTableTest {
  private static Dataset<Row> oracle(String name) {
    return spark().read().format("delta").load(FixtureTables.get().table(name).path().toString());
  }

  @BeforeAll
  static void createTables() {
    spark().sql("DROP TABLE IF EXISTS shared_part");
    spark()
        .sql(
            "CREATE TABLE shared_part USING deltaSharing LOCATION '"
                + url(FixtureTables.T_PART)
                + "'");
    spark().sql("DROP TABLE IF EXISTS shared_hist_v2");
    spark()
        .sql(
            "CREATE TABLE shared_hist_v2 USING deltaSharing OPTIONS (versionAsOf 2) LOCATION '"
                + url(FixtureTables.T_HIST)
                + "'");
  }

  @AfterAll
  static void dropTables() {
    spark().sql("DROP TABLE IF EXISTS shared_part");
    spark().sql("DROP TABLE IF EXISTS shared_hist_v2");
  }

  @Test
  void selectFromTheTableEqualsDeltaSpark() {
    assertSameData(spark().sql("SELECT * FROM shared_part"), oracle(FixtureTables.T_PART));
    assertSameData(
        spark().sql("SELECT id, value FROM shared_part WHERE date = DATE'2021-04-28'"),
        oracle(FixtureTables.T_PART).where("date = DATE'2021-04-28'").select("id", "value"));
  }

  @Test
  void sparkTableReadsIt() {
    assertSameData(spark().table("shared_part"), oracle(FixtureTables.T_PART));
  }

  @Test
  void describeShowsTheSharedSchema() {
    List<String> described =
        rows(spark().sql("DESCRIBE shared_part").select("col_name", "data_type"));
    assertThat(described).contains("[id, int]", "[value, string]", "[date, date]");
  }

  @Test
  void inASessionWithSparksOwnSessionCatalogTheTableIsReadWithFiltersPushed() {
    SparkSession plain = spark().newSession();
    plain.conf().unset("spark.sql.catalog.spark_catalog");
    plain.sql("DROP TABLE IF EXISTS shared_plain_v2");
    plain.sql(
        "CREATE TABLE shared_plain_v2 USING deltaSharing LOCATION '"
            + url(FixtureTables.T_PART)
            + "'");
    try {
      Dataset<Row> df = plain.sql("SELECT * FROM shared_plain_v2 WHERE date = DATE'2021-04-28'");
      assertSameData(df, oracle(FixtureTables.T_PART).where("date = DATE'2021-04-28'"));
      // Spark 4 loads a session-catalog table whose provider is a TableProvider as a V2 table;
      // Spark 3.5 always reads session-catalog tables through the V1 relation (filters are
      // pushed there too)
      String plan = df.queryExecution().executedPlan().toString();
      if (org.apache.spark.package$.MODULE$.SPARK_VERSION().startsWith("3.")) {
        assertThat(plan)
            .contains("DeltaSharingRelation")
            .contains("PushedFilters: [IsNotNull(date), EqualTo(date,2021-04-28)]");
      } else {
        assertThat(plan)
            .contains("DeltaSharingScan")
            .contains("predicateHints=[`date` is not null, `date` = DATE '2021-04-28']");
      }
      assertThat(rows(plain.sql("DESCRIBE shared_plain_v2").select("col_name", "data_type")))
          .contains("[date, date]");
    } finally {
      plain.sql("DROP TABLE IF EXISTS shared_plain_v2");
    }
  }

  @Test
  void optionsInTheTableDefinitionApply() {
    assertSameData(
        spark().sql("SELECT * FROM shared_hist_v2"),
        FixtureTables.get().table(FixtureTables.T_HIST).read(2));
  }
}
