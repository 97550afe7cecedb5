package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.filesListed;
import static io.lakeshare.it.connector.Connector.profileFile;
import static io.lakeshare.it.connector.Connector.rows;
import static io.lakeshare.it.connector.Connector.spark;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.spark.read.UrlRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table of 1,000 small files, and a scan that outlives the server's 10-second URL expiry. */
class ManyFilesAndExpiryTest {
  @TempDir static Path dir;
  private static Path manyFiles;

  @BeforeAll
  static void writeManyFiles() {
    manyFiles = dir.resolve("t_many");
    spark()
        .range(0, 3000, 1, 1000)
        .selectExpr("id", "cast(id % 7 as int) as bucket", "concat('row-', id) as label")
        .write()
        .format("delta")
        .save(manyFiles.toString());
  }

  @Test
  void thousandSmallFilesArePackedIntoFewTasksAndReadExactly() {
    TestServer server = TestServer.get(new TestServer.Options().table("t_many", manyFiles));
    Dataset<Row> df =
        spark().read().format("deltaSharing").load(profileFile(server) + "#s1.default.t_many");
    Dataset<Row> oracle = spark().read().format("delta").load(manyFiles.toString());
    assertThat(oracle.inputFiles()).hasSize(1000);
    assertSameData(df, oracle);
    assertThat(filesListed(df)).isEqualTo(1000);
    // Spark's own packing of small files: far fewer tasks than files
    int tasks = df.javaRDD().getNumPartitions();
    assertThat(tasks).isBetween(2, 100);
    assertThat(df.where("bucket = 3").count()).isEqualTo(oracle.where("bucket = 3").count());
  }

  @Test
  void scanOutlivingTheUrlExpiryStillReadsEveryRow() {
    TestServer server =
        TestServer.get(new TestServer.Options().with("preSignedUrlTimeoutSeconds: 10"));
    String table = profileFile(server) + "#s1.default." + FixtureTables.T_PART;
    // one file per task, so that later tasks open their files after the first URLs expired
    spark().conf().set("spark.sql.files.openCostInBytes", String.valueOf(1L << 30));
    spark().conf().set("spark.sql.files.maxPartitionBytes", String.valueOf(1L << 30));
    try {
      long refreshesBefore = UrlRegistry.get().totalRefreshes();
      Dataset<Row> df = spark().read().format("deltaSharing").load(table);
      assertThat(df.javaRDD().getNumPartitions()).isEqualTo(6);
      long start = System.nanoTime();
      Function2<Integer, java.util.Iterator<Row>, java.util.Iterator<String>> slow =
          (index, it) -> {
            if (index == 2 || index == 3) {
              Thread.sleep(11_000); // beyond the 10 s URL life of the planned URLs
            }
            List<String> out = new ArrayList<>();
            it.forEachRemaining(r -> out.add(r.toString()));
            return out.iterator();
          };
      List<String> got =
          new ArrayList<>(df.javaRDD().mapPartitionsWithIndex(slow, false).collect());
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      assertThat(seconds).isGreaterThanOrEqualTo(11);
      got.sort(null);
      Dataset<Row> oracle =
          spark()
              .read()
              .format("delta")
              .load(FixtureTables.get().table(FixtureTables.T_PART).path().toString());
      List<String> expected = new ArrayList<>();
      oracle.collectAsList().forEach(r -> expected.add(r.toString()));
      expected.sort(null);
      assertThat(got).containsExactlyElementsOf(expected);
      assertThat(UrlRegistry.get().totalRefreshes()).isGreaterThan(refreshesBefore);
      assertThat(rows(df)).hasSize(10);
    } finally {
      spark().conf().unset("spark.sql.files.openCostInBytes");
      spark().conf().unset("spark.sql.files.maxPartitionBytes");
    }
  }

  /** Deletion-vector URLs expire and refresh like data-file URLs. */
  @Test
  void deletionVectorUrlsAreRefreshedWhenTheyExpire() {
    TestServer server =
        TestServer.get(new TestServer.Options().with("preSignedUrlTimeoutSeconds: 10"));
    String table = profileFile(server) + "#s1.default." + FixtureTables.T_DV_HIST;
    spark().conf().set("spark.sql.files.openCostInBytes", String.valueOf(1L << 30));
    spark().conf().set("spark.sql.files.maxPartitionBytes", String.valueOf(1L << 30));
    try {
      long refreshesBefore = UrlRegistry.get().totalRefreshes();
      Dataset<Row> df = spark().read().format("deltaSharing").load(table);
      int partitions = df.javaRDD().getNumPartitions();
      assertThat(partitions).isEqualTo(5);
      Function2<Integer, java.util.Iterator<Row>, java.util.Iterator<String>> slow =
          (index, it) -> {
            if (index == 2 || index == 3) {
              // these tasks, and the one after them, open files and vectors after they expired
              Thread.sleep(11_000);
            }
            List<String> out = new ArrayList<>();
            it.forEachRemaining(r -> out.add(r.toString()));
            return out.iterator();
          };
      List<String> got =
          new ArrayList<>(df.javaRDD().mapPartitionsWithIndex(slow, false).collect());
      got.sort(null);
      var fixture = FixtureTables.get().table(FixtureTables.T_DV_HIST);
      List<String> expected = new ArrayList<>();
      fixture
          .read(fixture.latestVersion())
          .collectAsList()
          .forEach(r -> expected.add(r.toString()));
      expected.sort(null);
      assertThat(got).containsExactlyElementsOf(expected);
      assertThat(UrlRegistry.get().totalRefreshes()).isGreaterThan(refreshesBefore);
    } finally {
      spark().conf().unset("spark.sql.files.openCostInBytes");
      spark().conf().unset("spark.sql.files.maxPartitionBytes");
    }
  }
}
