package io.lakeshare.it.bench.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The scanned table: a Delta table written once by delta-spark, not partitioned, with long, double,
 * decimal, int, date and string columns of low to high cardinality. Values come from hashes of the
 * row id, so the content is the same on every machine. A marker file says the write finished; a
 * folder without it is written again.
 */
final class BenchTable {
  /** The two columns of the selective scan: a long and a double, ~25% of the bytes. */
  static final List<String> SELECTIVE = List.of("customer_id", "amount");

  private static final String DONE = "_bench_table_done";

  private final Path dir;
  private final List<Path> files;
  private final long bytes;
  private final long rows;
  private final long selectiveBytes;
  private final int rowGroups;

  private BenchTable(
      Path dir, List<Path> files, long bytes, long rows, long selectiveBytes, int rowGroups) {
    this.dir = dir;
    this.files = files;
    this.bytes = bytes;
    this.rows = rows;
    this.selectiveBytes = selectiveBytes;
    this.rowGroups = rowGroups;
  }

  /** The table in {@code dir}, writing it first (with {@code rows} rows in {@code files} files). */
  static BenchTable ensure(SparkSession spark, Path dir, long rows, int files) throws IOException {
    if (!Files.exists(dir.resolve(DONE))) {
      deleteRecursively(dir);
      System.err.printf(
          Locale.ROOT, "[bench] writing %d rows in %d files to %s%n", rows, files, dir);
      long start = System.nanoTime();
      write(spark, dir, rows, files);
      Files.writeString(dir.resolve(DONE), rows + " rows\n");
      System.err.printf(
          Locale.ROOT, "[bench] table written in %.0f s%n", (System.nanoTime() - start) / 1e9);
    } else {
      System.err.println("[bench] reusing " + dir);
    }
    return inspect(dir);
  }

  private static void write(SparkSession spark, Path dir, long rows, int files) {
    // One range partition per output file, so no shuffle: each task writes a file of ~rows/files.
    spark
        .range(0, rows, 1, files)
        .selectExpr(
            "id",
            "pmod(xxhash64(id, 1), 5000000) AS customer_id",
            "pmod(xxhash64(id, 2), 100000000) / 100.0D AS amount",
            "xxhash64(id, 3) / 9.2e18D AS score",
            "CAST(pmod(xxhash64(id, 4), 10000000) / 100 AS DECIMAL(12, 2)) AS price",
            "CAST(pmod(xxhash64(id, 5), 1000) AS INT) AS qty",
            "concat('category_', pmod(xxhash64(id, 6), 20)) AS category",
            "concat('city_', pmod(xxhash64(id, 7), 20000)) AS city",
            "lower(hex(xxhash64(id, 8))) AS token",
            "date_add(DATE'2020-01-01', CAST(pmod(xxhash64(id, 9), 1500) AS INT)) AS event_date")
        .write()
        .format("delta")
        .mode(SaveMode.ErrorIfExists)
        .save(dir.toString());
  }

  private static BenchTable inspect(Path dir) throws IOException {
    List<Path> parquet;
    try (Stream<Path> s = Files.list(dir)) {
      parquet = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    Configuration conf = new Configuration();
    Set<String> wanted = Set.copyOf(SELECTIVE);
    long bytes = 0;
    long rows = 0;
    long selective = 0;
    int groups = 0;
    for (Path p : parquet) {
      bytes += Files.size(p);
      try (ParquetFileReader r =
          ParquetFileReader.open(
              HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(p.toUri()), conf))) {
        for (BlockMetaData block : r.getFooter().getBlocks()) {
          groups++;
          rows += block.getRowCount();
          for (ColumnChunkMetaData c : block.getColumns()) {
            if (wanted.contains(c.getPath().toDotString())) {
              selective += c.getTotalSize();
            }
          }
        }
      }
    }
    return new BenchTable(dir, parquet, bytes, rows, selective, groups);
  }

  Path dir() {
    return dir;
  }

  List<Path> files() {
    return files;
  }

  /** Bytes of all Parquet files. */
  long bytes() {
    return bytes;
  }

  long rows() {
    return rows;
  }

  /** Bytes of the column chunks of the {@link #SELECTIVE} columns. */
  long selectiveBytes() {
    return selectiveBytes;
  }

  int rowGroups() {
    return rowGroups;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
