package io.lakeshare.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A small command-line reader, handy to check a profile and a setup: {@code spark-submit --packages
 * io.lakeshare:lakeshare-spark-4.2_2.13:<version> --class io.lakeshare.spark.ShowSharedTable
 * spark-internal <profile>#<share>.<schema>.<table> [rows]} prints the schema, the row count and
 * the first rows.
 */
public final class ShowSharedTable {
  private ShowSharedTable() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: ShowSharedTable <profile-file>#<share>.<schema>.<table> [rows]");
      System.exit(2);
    }
    int show = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    SparkSession spark = SparkSession.builder().appName("lakeshare-show").getOrCreate();
    try {
      long start = System.nanoTime();
      Dataset<Row> df = spark.read().format(DeltaSharingTableProvider.SHORT_NAME).load(args[0]);
      df.printSchema();
      long rows = df.count();
      df.show(show, false);
      System.out.printf("rows=%d seconds=%.2f%n", rows, (System.nanoTime() - start) / 1e9);
    } finally {
      spark.stop();
    }
  }
}
