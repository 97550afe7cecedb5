package io.lakeshare.it.storage;

import org.apache.spark.sql.SparkSession;

/**
 * The contents of every cloud fixture table: partitioned, with partition values that need escaping
 * in keys and URLs, a checkpoint (so the server reads Parquet through its object-store reader), and
 * a DELETE that removes a file (so the active files are not simply every object in the folder).
 */
final class DeltaFixtureWriter {
  private DeltaFixtureWriter() {}

  static void write(SparkSession spark, String path) {
    String t = "delta.`" + path + "`";
    spark.sql(
        "CREATE TABLE "
            + t
            + " (id BIGINT, name STRING, part STRING) USING delta PARTITIONED BY (part)"
            + " TBLPROPERTIES ('delta.checkpointInterval' = '2',"
            + " 'delta.enableDeletionVectors' = 'false')");
    spark.sql(
        "INSERT INTO "
            + t
            + " VALUES (1, 'one', 'x'), (2, 'two', 'y'), (3, 'three', 'y'),"
            + " (4, 'four', 'with space'), (5, 'five', 'a:b%c')");
    spark.sql("INSERT INTO " + t + " VALUES (6, 'six', 'x'), (7, 'seven', 'y')");
    spark.sql("DELETE FROM " + t + " WHERE id = 2");
  }

  /**
   * A table with deletion vectors: five rows in one file, then a DELETE that leaves a vector on it
   * (stored beside the data as {@code deletion_vector_<uuid>.bin}). Four rows remain.
   */
  static void writeWithDeletionVectors(SparkSession spark, String path) {
    String t = "delta.`" + path + "`";
    spark.sql(
        "CREATE TABLE "
            + t
            + " (id BIGINT, name STRING) USING delta"
            + " TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
    spark.sql(
        "INSERT INTO "
            + t
            + " SELECT /*+ COALESCE(1) */ * FROM VALUES (1, 'one'), (2, 'two'), (3, 'three'),"
            + " (4, 'four'), (5, 'five')");
    spark.sql("DELETE FROM " + t + " WHERE id = 2");
  }
}
