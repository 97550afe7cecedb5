package io.lakeshare.it.conformance;

import io.lakeshare.it.fixtures.SparkFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** A small Delta table that a test may change (delta-spark writes it), in its own temp dir. */
final class Mutable {
  private final Path path;

  private Mutable(Path path) {
    this.path = path;
  }

  /** Creates the table with two commits of two rows each (one file per commit). */
  static Mutable create(String name) {
    try {
      Path dir = Files.createTempDirectory("lakeshare-" + name).resolve(name);
      Mutable m = new Mutable(dir);
      m.append(2);
      m.append(2);
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path path() {
    return path;
  }

  /** One commit of {@code rows} rows written as one file. */
  void append(int rows) {
    SparkSession spark = SparkFixture.spark();
    spark
        .range(rows)
        .selectExpr("id", "CAST(id AS STRING) AS name")
        .coalesce(1)
        .write()
        .format("delta")
        .mode("append")
        .save(path.toString());
  }

  /** Oracle: the number of data files delta-spark reads at a version. */
  long filesAt(long version) {
    return SparkFixture.spark()
        .read()
        .format("delta")
        .option("versionAsOf", version)
        .load(path.toString())
        .selectExpr("input_file_name()")
        .distinct()
        .count();
  }
}
