package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.messages;
import static io.lakeshare.it.connector.Connector.oracleChanges;
import static io.lakeshare.it.connector.Connector.rows;
import static io.lakeshare.it.connector.Connector.scanMetrics;
import static io.lakeshare.it.connector.Connector.spark;
import static io.lakeshare.it.connector.Connector.streamAvailableNow;
import static io.lakeshare.it.connector.Connector.url;
import static io.lakeshare.it.fixtures.SparkFixture.EXHAUSTIVE;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.spark.ScanMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads of tables with deletion vectors and column mapping through the delta response format, on
 * every path (snapshots, every version, change data feed, streams, SQL), each equal to delta-spark
 * reading the same table from disk.
 */
class DeltaFormatReadTest {
  @TempDir Path dir;

  private static FixtureTable fixture(String name) {
    return FixtureTables.get().table(name);
  }

  private static DataFrameReader reader() {
    return spark().read().format("deltaSharing");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        FixtureTables.T_DV,
        FixtureTables.T_DV_HIST,
        FixtureTables.T_DV_MANY,
        FixtureTables.T_CM,
        FixtureTables.T_CM_NAME,
        FixtureTables.T_CM_ID
      })
  void latestSnapshotEqualsDeltaSpark(String table) {
    FixtureTable t = fixture(table);
    assertSameData(reader().load(url(table)), t.read(t.latestVersion()));
  }

  @Tag(EXHAUSTIVE)
  @ParameterizedTest
  @ValueSource(strings = {FixtureTables.T_DV_HIST, FixtureTables.T_CM_NAME, FixtureTables.T_CM_ID})
  void everyVersionEqualsDeltaSpark(String table) {
    FixtureTable t = fixture(table);
    for (long v = 1; v <= t.latestVersion(); v++) {
      Dataset<Row> df = reader().option("versionAsOf", v).load(url(table));
      // time travel keeps the schema of the version read, renamed columns included
      assertSameData(df, t.read(v));
    }
  }

  @Test
  void timestampAsOfReadsTheVersionOfThatTime() {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    for (long v : new long[] {2, 5}) {
      String ts = t.commitTimestamp(v).toString();
      assertSameData(
          reader().option("timestampAsOf", ts).load(url(FixtureTables.T_DV_HIST)), t.read(v));
    }
  }

  @Test
  void deletedRowsNeverComeBackInAnySinkOrFormatOption() {
    FixtureTable t = fixture(FixtureTables.T_DV_MANY);
    Dataset<Row> shared =
        reader().option("responseFormat", "delta").load(url(FixtureTables.T_DV_MANY));
    assertThat(shared.count()).isEqualTo(t.rowCount(t.latestVersion()));
    assertThat(shared.where("id % 7 = 0").count()).isZero();
    assertThat(shared.where("id BETWEEN 50000 AND 60000").count()).isZero();
    // a non-Delta sink: rows written and read back are the live rows only
    String out = dir.resolve("sink").toString();
    shared.write().parquet(out);
    assertThat(spark().read().parquet(out).count()).isEqualTo(t.rowCount(t.latestVersion()));
    assertThat(spark().read().parquet(out).where("id % 7 = 0").count()).isZero();
  }

  @Test
  void filtersProjectionsAndAggregatesOnADeletionVectorTable() {
    FixtureTable t = fixture(FixtureTables.T_DV_MANY);
    Dataset<Row> oracle = t.read(t.latestVersion());
    Dataset<Row> shared = reader().load(url(FixtureTables.T_DV_MANY));
    assertSameData(
        shared.where("id > 59990 AND id < 60020").select("id"),
        oracle.where("id > 59990 AND id < 60020").select("id"));
    assertThat(rows(shared.groupBy().sum("id"))).isEqualTo(rows(oracle.groupBy().sum("id")));
    assertSameData(
        shared.select("payload").where("id < 30"), oracle.select("payload").where("id < 30"));
  }

  @Test
  void columnMappingReadsRenamedDroppedAndReAddedColumns() {
    FixtureTable t = fixture(FixtureTables.T_CM_NAME);
    Dataset<Row> shared = reader().load(url(FixtureTables.T_CM_NAME));
    Dataset<Row> oracle = t.read(t.latestVersion());
    assertThat(shared.schema().fieldNames()).containsExactly(oracle.schema().fieldNames());
    // the schema shows no column-mapping metadata
    assertThat(shared.schema().json()).doesNotContain("delta.columnMapping");
    assertSameData(
        shared.select(col("s.x2"), col("region")), oracle.select(col("s.x2"), col("region")));
    assertSameData(shared.where("region = 'x'"), oracle.where("region = 'x'"));
    assertSameData(shared.where("name IS NOT NULL"), oracle.where("name IS NOT NULL"));
    // the renamed partition column is still pushed to the server
    Dataset<Row> filtered = shared.where("region = 'y'");
    assertThat(scanMetrics(filtered).get(ScanMetrics.FILES_LISTED))
        .isLessThan(t.activeFiles(t.latestVersion()).size());
    assertSameData(filtered, oracle.where("region = 'y'"));
  }

  @Test
  void columnMappingIdModeWithDeletionVectors() {
    FixtureTable t = fixture(FixtureTables.T_CM_ID);
    Dataset<Row> shared = reader().load(url(FixtureTables.T_CM_ID));
    Dataset<Row> oracle = t.read(t.latestVersion());
    assertSameData(
        shared.where("value IS NOT NULL AND p = 1"), oracle.where("value IS NOT NULL AND p = 1"));
    assertSameData(shared.select("value"), oracle.select("value"));
  }

  @Test
  void parquetOnlyReadOfADeletionVectorTableFailsNamingTheTableAndOption() {
    Throwable e =
        catchThrowable(
            () ->
                reader()
                    .option("responseFormat", "parquet")
                    .load(url(FixtureTables.T_DV_HIST))
                    .collect());
    assertThat(messages(e)).contains("t_dv_hist").contains("deletion vectors");
  }

  @ParameterizedTest
  @ValueSource(strings = {FixtureTables.T_PLAIN, FixtureTables.T_PART, FixtureTables.T_TYPES})
  void deltaFormatAlsoReadsOrdinaryTables(String table) {
    FixtureTable t = fixture(table);
    assertSameData(
        reader().option("responseFormat", "delta").load(url(table)), t.read(t.latestVersion()));
  }

  @ParameterizedTest
  @CsvSource({"1,7", "2,3", "2,2", "4,5", "6,7", "3,6"})
  void changeDataFeedOfADeletionVectorTableEqualsDeltaSpark(long from, long to) {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    Dataset<Row> df =
        reader()
            .option("readChangeFeed", "true")
            .option("startingVersion", from)
            .option("endingVersion", to)
            .load(url(FixtureTables.T_DV_HIST));
    assertSameData(df, oracleChanges(t, from, to));
  }

  @ParameterizedTest
  @CsvSource({"t_cm_id,3,4", "t_cm_id,1,1", "t_cm_name,6,7", "t_cm_name,8,9"})
  void changeDataFeedOfColumnMappingTablesEqualsDeltaSpark(String table, long from, long to) {
    FixtureTable t = fixture(table);
    Dataset<Row> df =
        reader()
            .option("readChangeFeed", "true")
            .option("startingVersion", from)
            .option("endingVersion", to)
            .load(url(table));
    Dataset<Row> oracle = oracleChanges(t, from, to);
    assertSameData(
        df.select(oracle.columns()[0], "_change_type", "_commit_version"),
        oracle.select(oracle.columns()[0], "_change_type", "_commit_version"));
    assertSameData(df, oracle);
  }

  private List<Row> stream(String table, String... options) throws Exception {
    return streamAvailableNow(
        spark().readStream().format("deltaSharing"), url(table), dir, options);
  }

  @Test
  void streamSnapshotPhaseAppliesDeletionVectors() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    List<Row> got = stream(FixtureTables.T_DV_HIST, "maxFilesPerTrigger", "2");
    assertThat(rows(spark().createDataFrame(got, t.read(0).schema())))
        .isEqualTo(rows(t.read(t.latestVersion())));
  }

  @Test
  void streamChangePhaseWithoutOptionsFailsOnVectorOnlyCommits() {
    Throwable e = catchThrowable(() -> stream(FixtureTables.T_DV_HIST, "startingVersion", "1"));
    assertThat(messages(e)).containsAnyOf("ignoreChanges", "skipChangeCommits");
  }

  @Test
  void streamChangePhaseSkipChangeCommitsReadsOnlyAppends() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    List<Row> got =
        stream(FixtureTables.T_DV_HIST, "startingVersion", "1", "skipChangeCommits", "true");
    // v1 and v6 are the only commits that only add files
    Dataset<Row> expected = t.read(1).union(t.read(6).where("part = 'c'"));
    assertThat(rows(spark().createDataFrame(got, t.read(0).schema()))).isEqualTo(rows(expected));
  }

  @Tag(EXHAUSTIVE)
  @Test
  void streamChangePhaseIgnoreChangesReEmitsFilesWithTheirNewVectorsApplied() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    List<Row> got =
        stream(FixtureTables.T_DV_HIST, "startingVersion", "2", "ignoreChanges", "true");
    // every commit from v2 re-emits the live rows of each file it adds, vectors applied
    List<String> expected = new ArrayList<>();
    for (long v = 2; v <= t.latestVersion(); v++) {
      expected.addAll(rows(addedRows(t, v)));
    }
    expected.sort(null);
    assertThat(rows(spark().createDataFrame(got, t.read(0).schema()))).isEqualTo(expected);
  }

  /** The rows live at {@code v} in the files commit {@code v} added (vectors applied). */
  private static Dataset<Row> addedRows(FixtureTable t, long v) {
    List<String> paths = new ArrayList<>();
    for (var a : t.commitActions(v)) {
      if (a.has("add") && a.get("add").get("dataChange").asBoolean()) {
        paths.add(a.get("add").get("path").asText());
      }
    }
    Dataset<Row> live =
        spark()
            .read()
            .format("delta")
            .option("versionAsOf", v)
            .load(t.path().toString())
            .withColumn("__file", org.apache.spark.sql.functions.input_file_name());
    Dataset<Row> kept = live.where(col("__file").rlike(String.join("|", quoted(paths))));
    return kept.drop("__file");
  }

  private static List<String> quoted(List<String> paths) {
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      String name = p.substring(p.lastIndexOf('/') + 1);
      out.add(java.util.regex.Pattern.quote(name));
    }
    return out.isEmpty() ? List.of("^$") : out;
  }

  @Test
  void changeDataFeedStreamEqualsDeltaSpark() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    List<Row> got =
        stream(FixtureTables.T_DV_HIST, "readChangeFeed", "true", "startingVersion", "1");
    Dataset<Row> oracle = oracleChanges(t, 1, t.latestVersion());
    assertThat(rows(spark().createDataFrame(got, oracle.schema()))).isEqualTo(rows(oracle));
  }

  /**
   * An inline deletion vector (storage type {@code i}): delta-spark's DML never writes one, so a
   * commit that gives the file one (a portable bitmap deleting rows 3, 34 and 67, Z85-encoded) is
   * appended to a table delta-spark wrote; delta-spark reads it as the oracle.
   */
  @Tag(EXHAUSTIVE)
  @Test
  void inlineDeletionVectorsPassThroughAndAreApplied() throws Exception {
    Path table = dir.resolve("t_inline");
    spark()
        .sql(
            "CREATE TABLE delta.`"
                + table
                + "` (id BIGINT) USING delta TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
    spark().sql("INSERT INTO delta.`" + table + "` SELECT /*+ COALESCE(1) */ id FROM range(100)");
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    Path log = table.resolve("_delta_log");
    com.fasterxml.jackson.databind.node.ObjectNode add = null;
    for (String line : java.nio.file.Files.readAllLines(log.resolve("00000000000000000001.json"))) {
      var node = json.readTree(line);
      if (node.has("add")) {
        add = (com.fasterxml.jackson.databind.node.ObjectNode) node.get("add");
      }
    }
    var remove = json.createObjectNode();
    remove.put("path", add.get("path").asText());
    remove.put("deletionTimestamp", System.currentTimeMillis());
    remove.put("dataChange", true);
    remove.put("extendedFileMetadata", true);
    remove.set("partitionValues", add.get("partitionValues"));
    remove.put("size", add.get("size").asLong());
    var dv = add.putObject("deletionVector");
    dv.put("storageType", "i");
    dv.put("pathOrInlineDv", "^Bg9^0rr910000000000iXQKl0rr91000625c8Xg0@%IBlJv8^");
    dv.put("sizeInBytes", 38);
    dv.put("cardinality", 3);
    var commit = json.createObjectNode();
    commit
        .putObject("commitInfo")
        .put("timestamp", System.currentTimeMillis())
        .put("operation", "DELETE");
    java.nio.file.Files.writeString(
        log.resolve("00000000000000000002.json"),
        json.writeValueAsString(commit)
            + "\n"
            + json.writeValueAsString(json.createObjectNode().set("remove", remove))
            + "\n"
            + json.writeValueAsString(json.createObjectNode().set("add", add))
            + "\n");
    Dataset<Row> oracle = spark().read().format("delta").load(table.toString());
    assertThat(oracle.count()).isEqualTo(97);
    io.lakeshare.it.server.TestServer server =
        io.lakeshare.it.server.TestServer.get(
            new io.lakeshare.it.server.TestServer.Options().table("t_inline", table));
    String url = Connector.profileFile(server) + "#s1.default.t_inline";
    assertSameData(reader().load(url), oracle);
    assertThat(reader().load(url).where("id IN (3, 34, 67)").count()).isZero();
    // the server passes the inline vector through untouched
    var answer =
        server
            .raw()
            .query(
                "t_inline",
                "{}",
                "delta-sharing-capabilities",
                "responseformat=delta;readerfeatures=deletionvectors");
    assertThat(answer.body())
        .contains("\"storageType\":\"i\"")
        .contains("^Bg9^0rr910000000000iXQKl0rr91000625c8Xg0@%IBlJv8^")
        .doesNotContain("deletionVectorFileId");
  }

  /** A log-only reader feature: served in parquet to parquet clients, and in delta. */
  @Tag(EXHAUSTIVE)
  @Test
  void v2CheckpointTablesAreReadInBothFormats() throws Exception {
    Path table = dir.resolve("t_v2cp");
    String ref = "delta.`" + table + "`";
    spark()
        .sql(
            "CREATE TABLE "
                + ref
                + " (id BIGINT, v STRING) USING delta TBLPROPERTIES ("
                + "'delta.checkpointPolicy' = 'v2', 'delta.checkpointInterval' = '2')");
    for (int i = 0; i < 3; i++) {
      spark().sql("INSERT INTO " + ref + " VALUES (" + i + ", 'v" + i + "')");
    }
    try (var files = java.nio.file.Files.list(table.resolve("_delta_log"))) {
      // a v2 checkpoint is named by a UUID: <version>.checkpoint.<uuid>.<json|parquet>
      assertThat(files.map(f -> f.getFileName().toString()))
          .anyMatch(n -> n.matches("\\d{20}\\.checkpoint\\.[0-9a-f-]{36}\\.(json|parquet)"));
    }
    Dataset<Row> oracle = spark().read().format("delta").load(table.toString());
    io.lakeshare.it.server.TestServer server =
        io.lakeshare.it.server.TestServer.get(
            new io.lakeshare.it.server.TestServer.Options().table("t_v2cp", table));
    String url = Connector.profileFile(server) + "#s1.default.t_v2cp";
    for (String format : List.of("auto", "parquet", "delta")) {
      assertSameData(reader().option("responseFormat", format).load(url), oracle);
    }
    assertThat(server.raw().query("t_v2cp", "{}").status()).isEqualTo(200);
  }

  @Test
  void sqlTableAndCatalogReadDeletionVectorTables() {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    String name = "dv_sql_" + System.nanoTime();
    spark()
        .sql(
            "CREATE TABLE "
                + name
                + " USING deltaSharing LOCATION '"
                + url(FixtureTables.T_DV_HIST)
                + "'");
    try {
      assertSameData(spark().table(name), t.read(t.latestVersion()));
    } finally {
      spark().sql("DROP TABLE IF EXISTS " + name);
    }
    String catalog = "dvcat" + System.nanoTime();
    spark().conf().set("spark.sql.catalog." + catalog, "io.lakeshare.spark.DeltaSharingCatalog");
    spark()
        .conf()
        .set(
            "spark.sql.catalog." + catalog + ".profile",
            Connector.profileFile(io.lakeshare.it.server.TestServer.get()));
    for (long v : new long[] {3, 5}) {
      assertSameData(
          spark().sql("SELECT * FROM " + catalog + ".s1.default.t_dv_hist VERSION AS OF " + v),
          t.read(v));
    }
    assertSameData(
        spark().sql("SELECT * FROM " + catalog + ".s1.default.t_cm_name"),
        fixture(FixtureTables.T_CM_NAME).read(fixture(FixtureTables.T_CM_NAME).latestVersion()));
  }
}
