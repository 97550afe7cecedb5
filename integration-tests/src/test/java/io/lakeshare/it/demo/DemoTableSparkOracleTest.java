package io.lakeshare.it.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.server.demo.DemoInfo;
import io.lakeshare.server.demo.DemoRow;
import io.lakeshare.server.demo.DemoTable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Uses delta-spark as the oracle for the Kernel-written demo table. */
class DemoTableSparkOracleTest {
  @TempDir static Path dir;
  private static SparkSession spark;
  private static DemoInfo info;

  @BeforeAll
  static void writeTableAndStartSpark() {
    info = DemoTable.write(dir);
    // getOrCreate reuses the JVM-wide session when the shared Spark fixture has started one. That
    // shared session owns its lifecycle, so this class never stops it.
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("lakeshare-it")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2})
  void sparkSeesTheRowCountAndAmountOfEachRegionAtEachVersion(long version) {
    List<DemoRow> expected = DemoTable.rowsAtVersion(version);
    // One grouped query per version keeps the Spark job count low on a 2-core machine.
    Map<String, Row> byRegion =
        spark
            .read()
            .format("delta")
            .option("versionAsOf", version)
            .load(root())
            .groupBy("region")
            .agg(count(lit(1)), sum(col("amount")))
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r));

    Map<String, List<DemoRow>> expectedByRegion =
        expected.stream().collect(Collectors.groupingBy(DemoRow::region));
    assertThat(byRegion).containsOnlyKeys(expectedByRegion.keySet());
    expectedByRegion.forEach(
        (region, rows) -> {
          assertThat(byRegion.get(region).getLong(1))
              .as("rows in %s", region)
              .isEqualTo(rows.size());
          assertThat(byRegion.get(region).getDecimal(2))
              .as("sum(amount) in %s", region)
              .isEqualByComparingTo(
                  rows.stream().map(DemoRow::amount).reduce(BigDecimal.ZERO, BigDecimal::add));
        });
    assertThat(byRegion.values().stream().mapToLong(r -> r.getLong(1)).sum())
        .isEqualTo(expected.size());
  }

  @Test
  void latestVersionMatchesDemoInfo() {
    long latest =
        spark
            .sql("DESCRIBE HISTORY delta.`" + root() + "`")
            .agg(max(col("version")))
            .first()
            .getLong(0);

    assertThat(latest).isEqualTo(info.latestVersion()).isEqualTo(2);
  }

  @Test
  void sparkReadsExactlyTheGeneratedRows() {
    List<DemoRow> read =
        spark
            .read()
            .format("delta")
            .load(root())
            .select("id", "product", "amount", "sold_at", "region")
            .collectAsList()
            .stream()
            .map(DemoTableSparkOracleTest::toDemoRow)
            .toList();

    assertThat(read).hasSize((int) info.rowCount());
    assertThat(read)
        .containsExactlyInAnyOrderElementsOf(DemoTable.rowsAtVersion(info.latestVersion()));
  }

  @Test
  void partitionFilterReturnsOnlyThatRegionsRows() {
    List<Long> ids =
        spark
            .read()
            .format("delta")
            .load(root())
            .where(col("region").equalTo("LATAM"))
            .select("id")
            .collectAsList()
            .stream()
            .map(r -> r.getLong(0))
            .toList();

    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(
            DemoTable.rowsAtVersion(info.latestVersion()).stream()
                .filter(r -> r.region().equals("LATAM"))
                .map(DemoRow::id)
                .toList());
  }

  private static String root() {
    return info.tableRoot().toString();
  }

  private static DemoRow toDemoRow(Row row) {
    Object soldAt = row.get(3);
    LocalDate date =
        soldAt instanceof LocalDate local ? local : ((java.sql.Date) soldAt).toLocalDate();
    return new DemoRow(
        row.getLong(0),
        row.isNullAt(1) ? null : row.getString(1),
        row.getDecimal(2),
        date,
        row.getString(4));
  }
}
