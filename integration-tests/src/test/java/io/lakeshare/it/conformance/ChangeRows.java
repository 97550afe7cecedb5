package io.lakeshare.it.conformance;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.lakeshare.it.fixtures.SparkFixture;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.protocol.model.FileAction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Rebuilds change rows from the files of a change data feed answer the way a reader does: cdf files
 * as they are (they hold {@code _change_type}), add files as inserts, remove files as deletes,
 * partition values and the commit version and time from the line.
 */
final class ChangeRows {
  private ChangeRows() {}

  /** Data columns of the table, then _change_type, _commit_version, _commit_timestamp. */
  static Dataset<Row> rebuild(List<FileAction> files, StructType tableSchema) {
    SparkSession spark = SparkFixture.spark();
    try {
      Path dir = Files.createTempDirectory("lakeshare-cdf-files");
      List<Column> columns = new ArrayList<>();
      for (StructField f : tableSchema.fields()) {
        columns.add(col(f.name()));
      }
      columns.add(col("_change_type"));
      columns.add(col("_commit_version"));
      columns.add(col("_commit_timestamp"));
      Dataset<Row> all = null;
      int i = 0;
      for (FileAction f : files) {
        HttpResponse<byte[]> r = RawHttp.fetch(f.url());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("fetching " + f.url() + ": " + r.statusCode());
        }
        Path local = dir.resolve((i++) + ".parquet");
        Files.write(local, r.body());
        Dataset<Row> d = spark.read().parquet(local.toString());
        for (Map.Entry<String, String> pv : f.partitionValues().entrySet()) {
          StructField field = tableSchema.apply(pv.getKey());
          d = d.withColumn(pv.getKey(), lit(pv.getValue()).cast(field.dataType()));
        }
        if (f.kind() != FileAction.Kind.CDF) {
          d =
              d.withColumn(
                  "_change_type", lit(f.kind() == FileAction.Kind.ADD ? "insert" : "delete"));
        }
        d =
            d.withColumn("_commit_version", lit(f.version()))
                .withColumn("_commit_timestamp", lit(new Timestamp(f.timestamp())));
        d = d.select(columns.toArray(Column[]::new));
        all = all == null ? d : all.union(d);
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** delta-spark's own change data feed of the table for a version range. */
  static Dataset<Row> oracle(Path table, long start, long end) {
    return SparkFixture.spark()
        .read()
        .format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", start)
        .option("endingVersion", end)
        .load(table.toString());
  }

  /** Rows as sorted strings; {@code withTimestamp} keeps _commit_timestamp. */
  static List<String> sorted(Dataset<Row> d, StructType tableSchema, boolean withTimestamp) {
    if (d == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>(Arrays.asList(tableSchema.fieldNames()));
    names.add("_change_type");
    names.add("_commit_version");
    if (withTimestamp) {
      names.add("_commit_timestamp");
    }
    List<String> out = new ArrayList<>();
    for (Row r : d.selectExpr(names.toArray(String[]::new)).collectAsList()) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }
}
