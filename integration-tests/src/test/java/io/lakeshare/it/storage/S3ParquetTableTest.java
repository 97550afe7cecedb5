package io.lakeshare.it.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.SparkFixture;
import io.lakeshare.protocol.model.FileAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hive-partitioned directory of Parquet files in S3 ({@code format: parquet}, written by Spark
 * through s3a to the in-process SigV4-checking store): the server lists it recursively through its
 * storage entry, reads the footers with ranged GETs, and the connector reads the presigned files
 * equal to {@code spark.read.parquet} of the same directory.
 */
class S3ParquetTableTest {
  private static final String TABLE = "pq_s3";

  @Test
  void aPartitionedParquetDirectoryInS3ReadsLikeSparkParquet(@TempDir Path dir) throws Exception {
    S3Endpoint e = S3ProxyServer.get();
    SparkSession spark = SparkFixture.spark();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    e.hadoopSettings().forEach(conf::set);
    String path = S3Tables.location(e, TABLE);
    spark
        .sql(
            "SELECT id, CAST(id * 1.5 AS DOUBLE) AS score, CASE WHEN id % 4 = 0 THEN NULL"
                + " ELSE CAST(id % 3 AS INT) END AS part FROM range(0, 20)")
        .repartition(2)
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy("part")
        .parquet(path);
    String yaml = S3Tables.parquetYaml(e, TABLE);
    CloudTable t =
        new CloudTable(
            CloudTable.startServer(yaml), yaml, S3Tables.SHARE, S3Tables.SCHEMA, TABLE, path);

    List<FileAction> files = ServedFiles.query(t);
    assertThat(files).isNotEmpty();
    for (FileAction f : files) {
      assertThat(f.url()).doesNotContain("_SUCCESS");
      assertThat(f.partitionValues()).containsKey("part");
    }
    Path profile = dir.resolve("cloud.share");
    Files.writeString(profile, t.profileJson());
    Dataset<Row> shared =
        spark.read().format("deltaSharing").load(profile + "#" + t.qualifiedName());
    Dataset<Row> oracle = spark.read().parquet(path);
    assertThat(shared.schema().simpleString())
        .isEqualTo("struct<id:bigint,score:double,part:int>")
        .isEqualTo(oracle.schema().simpleString());
    assertThat(ServedFiles.sorted(shared)).isEqualTo(ServedFiles.sorted(oracle)).hasSize(20);
    assertThat(ServedFiles.sorted(shared.where("part IS NULL"))).hasSize(5);
  }
}
