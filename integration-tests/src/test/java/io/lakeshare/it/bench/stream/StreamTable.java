package io.lakeshare.it.bench.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.delta.kernel.TableManager;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming benchmark's table: version 0 holds only the protocol and metadata, then every later
 * version is an append of {@code filesPerCommit} new Parquet files. Writing a thousand commits with
 * delta-spark takes too long on a small machine, so Spark writes ten small sample files once, each
 * data file is a hard link to (or copy of) one of them, and the log is written here, with a Kernel
 * checkpoint every {@code checkpointInterval} versions. delta-spark then checks that the table
 * holds every row. A table already verified under the same settings is reused.
 */
final class StreamTable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamTable.class);
  private static final long FIRST_COMMIT_MILLIS =
      Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();
  private static final String TABLE_ID = "5f1c7a4e-0b3d-4e8a-9c21-7d6f0e2b9a10";
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
          + "{\"name\":\"v\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
          + "{\"name\":\"x\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}}]}";
  private static final int SAMPLES = 10;

  final Path path;
  final int commits;
  final int filesPerCommit;
  final int rowsPerFile;
  private final int checkpointInterval;
  private final JsonFactory json = new JsonFactory();

  StreamTable(Path dir, int commits, int filesPerCommit, int rowsPerFile, int checkpointInterval) {
    this.path = dir.resolve("table");
    this.commits = commits;
    this.filesPerCommit = filesPerCommit;
    this.rowsPerFile = rowsPerFile;
    this.checkpointInterval = checkpointInterval;
  }

  long files() {
    return (long) commits * filesPerCommit;
  }

  long rows() {
    return files() * rowsPerFile;
  }

  private String settings() {
    return String.format(
        Locale.ROOT,
        "commits=%d filesPerCommit=%d rowsPerFile=%d checkpointInterval=%d",
        commits,
        filesPerCommit,
        rowsPerFile,
        checkpointInterval);
  }

  /** Generates and verifies the table unless a verified one with the same settings is there. */
  void ensure(SparkSession spark) throws IOException {
    Path ready = path.resolveSibling("READY");
    if (Files.isRegularFile(ready) && Files.readString(ready).trim().equals(settings())) {
      LOG.info("Reusing the stream benchmark table {} ({})", path, settings());
      return;
    }
    Files.deleteIfExists(ready);
    deleteRecursively(path);
    Path samples = path.resolveSibling("samples");
    deleteRecursively(samples);
    long start = System.nanoTime();
    List<Path> sampleFiles = writeSamples(spark, samples);
    long sampled = System.nanoTime();
    writeTable(sampleFiles);
    long written = System.nanoTime();
    long count = spark.read().format("delta").load(path.toString()).count();
    // count() alone may be answered from the log's numRecords; a filter makes Spark read the files
    long scanned =
        spark
            .read()
            .format("delta")
            .load(path.toString())
            .where("x >= 0 AND v IS NOT NULL")
            .count();
    long verified = System.nanoTime();
    if (count != rows() || scanned != rows()) {
      throw new IllegalStateException(
          "delta-spark counts " + count + " rows (" + scanned + " read), expected " + rows());
    }
    Files.writeString(ready, settings() + "\n");
    LOG.info(
        "Generated {} ({}): samples {} ms, files and log {} ms, delta-spark check {} ms",
        path,
        settings(),
        (sampled - start) / 1_000_000,
        (written - sampled) / 1_000_000,
        (verified - written) / 1_000_000);
  }

  /** Ten Parquet files of {@code rowsPerFile} rows each, ids distinct across the samples. */
  private List<Path> writeSamples(SparkSession spark, Path samples) throws IOException {
    spark
        .range(0, (long) SAMPLES * rowsPerFile, 1, SAMPLES)
        .selectExpr("id", "concat('value-', id) AS v", "CAST(id AS DOUBLE) * 0.5 AS x")
        .write()
        .parquet(samples.toString());
    List<Path> files;
    try (Stream<Path> s = Files.list(samples)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    if (files.size() != SAMPLES) {
      throw new IllegalStateException("Spark wrote " + files.size() + " sample files: " + files);
    }
    for (Path f : files) {
      long n = spark.read().parquet(f.toString()).count();
      if (n != rowsPerFile) {
        throw new IllegalStateException(f + " holds " + n + " rows, expected " + rowsPerFile);
      }
    }
    return files;
  }

  private void writeTable(List<Path> samples) throws IOException {
    Path log = path.resolve("_delta_log");
    Files.createDirectories(log);
    for (int v = 0; v <= commits; v++) {
      writeCommit(log, v, samples);
    }
    Engine engine = DefaultEngine.create(new Configuration());
    for (long v = checkpointInterval;
        checkpointInterval > 0 && v <= commits;
        v += checkpointInterval) {
      TableManager.loadSnapshot(path.toString()).atVersion(v).build(engine).writeCheckpoint(engine);
    }
  }

  private void writeCommit(Path log, int version, List<Path> samples) throws IOException {
    long millis = FIRST_COMMIT_MILLIS + version * 60_000L;
    List<String> lines = new ArrayList<>();
    lines.add(commitInfo(millis));
    if (version == 0) {
      lines.add("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}");
      lines.add(metadata(millis));
    } else {
      for (int i = 0; i < filesPerCommit; i++) {
        Path sample = samples.get(i % samples.size());
        String name =
            String.format(
                Locale.ROOT, "part-%05d-%03d-%s.c000.snappy.parquet", version, i, TABLE_ID);
        Path file = path.resolve(name);
        link(sample, file);
        lines.add(add(name, Files.size(sample), millis));
      }
    }
    Path commit = log.resolve(String.format(Locale.ROOT, "%020d.json", version));
    try (Writer w = Files.newBufferedWriter(commit, StandardCharsets.UTF_8)) {
      for (String line : lines) {
        w.write(line);
        w.write('\n');
      }
    }
    // Without in-commit timestamps a commit's time is its file's modification time.
    Files.setLastModifiedTime(commit, FileTime.fromMillis(millis));
  }

  private static void link(Path sample, Path file) throws IOException {
    try {
      Files.createLink(file, sample);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.copy(sample, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private String commitInfo(long millis) throws IOException {
    return object(
        g -> {
          g.writeObjectFieldStart("commitInfo");
          g.writeNumberField("timestamp", millis);
          g.writeStringField("operation", "WRITE");
          g.writeObjectFieldStart("operationParameters");
          g.writeStringField("mode", "Append");
          g.writeEndObject();
          g.writeBooleanField("isBlindAppend", true);
          g.writeStringField("engineInfo", "lakeshare-bench StreamTable");
          g.writeEndObject();
        });
  }

  private String metadata(long millis) throws IOException {
    return object(
        g -> {
          g.writeObjectFieldStart("metaData");
          g.writeStringField("id", TABLE_ID);
          g.writeObjectFieldStart("format");
          g.writeStringField("provider", "parquet");
          g.writeObjectFieldStart("options");
          g.writeEndObject();
          g.writeEndObject();
          g.writeStringField("schemaString", SCHEMA);
          g.writeArrayFieldStart("partitionColumns");
          g.writeEndArray();
          g.writeObjectFieldStart("configuration");
          g.writeEndObject();
          g.writeNumberField("createdTime", millis);
          g.writeEndObject();
        });
  }

  private String add(String name, long size, long millis) throws IOException {
    return object(
        g -> {
          g.writeObjectFieldStart("add");
          g.writeStringField("path", name);
          g.writeObjectFieldStart("partitionValues");
          g.writeEndObject();
          g.writeNumberField("size", size);
          g.writeNumberField("modificationTime", millis);
          g.writeBooleanField("dataChange", true);
          g.writeStringField("stats", "{\"numRecords\":" + rowsPerFile + "}");
          g.writeEndObject();
        });
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private String object(Body body) throws IOException {
    java.io.StringWriter out = new java.io.StringWriter(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    }
    return out.toString();
  }

  private static void deleteRecursively(Path dir) throws IOException {
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
