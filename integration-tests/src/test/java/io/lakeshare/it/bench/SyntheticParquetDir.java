package io.lakeshare.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes a Hive-partitioned directory of small Parquet files with parquet-mr (no Spark), for the
 * Parquet-table benchmark, or measures the baseline of what the server must do to share it: list
 * the directory and read every footer (one positioned read of each file's tail), in one thread.
 *
 * <p>Usage: {@code SyntheticParquetDir <dir> <files> [partitions]} writes {@code
 * day=<n>/part-<i>.parquet} (4 rows each: a long id, a string, a decimal and a date); {@code
 * SyntheticParquetDir --baseline <dir>} prints {@code files=<n> list_ms=<ms> footers_ms=<ms>}.
 */
public final class SyntheticParquetDir {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message spark_schema { required int64 id; optional binary name (STRING);"
              + " optional int64 amount (DECIMAL(12,2)); optional int32 day_date (DATE); }");

  private SyntheticParquetDir() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("--baseline")) {
      baseline(Path.of(args[1]));
      return;
    }
    Path dir = Path.of(args[0]);
    int files = Integer.parseInt(args[1]);
    int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<?>> done = new java.util.ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int first = t;
      done.add(
          pool.submit(
              () -> {
                SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
                for (int i = first; i < files; i += 2) {
                  write(
                      dir.resolve("day=" + (i % partitions) + "/part-" + i + ".parquet"),
                      groups,
                      i);
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    System.out.printf(
        "wrote %d files in %d partitions in %d ms%n",
        files, partitions, (System.nanoTime() - start) / 1_000_000);
  }

  private static void write(Path file, SimpleGroupFactory groups, int i) {
    try {
      Files.createDirectories(file.getParent());
      try (ParquetWriter<Group> w =
          ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(SCHEMA).build()) {
        for (int r = 0; r < 4; r++) {
          long id = i * 4L + r;
          w.write(
              groups
                  .newGroup()
                  .append("id", id)
                  .append("name", "name-" + id)
                  .append("amount", id * 37 % 100000)
                  .append("day_date", 19000 + (int) (id % 365)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void baseline(Path dir) throws IOException {
    long start = System.nanoTime();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".parquet")).toList();
    }
    long listed = System.nanoTime();
    // the floor: the tail of each file read with one positioned read, the footer decoded
    org.apache.parquet.format.converter.ParquetMetadataConverter converter =
        new org.apache.parquet.format.converter.ParquetMetadataConverter(
            org.apache.parquet.ParquetReadOptions.builder().build());
    long rows = 0;
    for (Path p : files) {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
        long size = ch.size();
        java.nio.ByteBuffer tail =
            java.nio.ByteBuffer.allocate((int) Math.min(size, 64 * 1024))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        ch.read(tail, size - tail.capacity());
        int len = tail.getInt(tail.capacity() - 8);
        java.io.ByteArrayInputStream footer =
            new java.io.ByteArrayInputStream(tail.array(), tail.capacity() - 8 - len, len);
        rows +=
            converter
                .readParquetMetadata(
                    footer, org.apache.parquet.format.converter.ParquetMetadataConverter.NO_FILTER)
                .getBlocks()
                .get(0)
                .getRowCount();
      }
    }
    long read = System.nanoTime();
    System.out.printf(
        "files=%d rows=%d list_ms=%d footers_ms=%d%n",
        files.size(), rows, (listed - start) / 1_000_000, (read - listed) / 1_000_000);
  }
}
