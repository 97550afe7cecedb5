package io.lakeshare.it.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes a large synthetic Delta table log without Spark: commit JSON files full of {@code add}
 * actions with realistic statistics and partition values, then a checkpoint written by Delta
 * Kernel, and checks with Kernel that the snapshot lists the expected number of files. The data
 * files themselves are not written; the sharing server only signs their paths.
 *
 * <p>Usage: {@code SyntheticDeltaLog <tableDir> <files> [commits] [partitions]} (defaults: 10
 * commits, 100 partitions). The content is deterministic for the same arguments.
 */
public final class SyntheticDeltaLog {
  /** Commit time of version 0; later versions follow one minute apart. */
  private static final long FIRST_COMMIT_MILLIS =
      Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();

  /** The schema string of the synthetic table's metadata (partitioned by {@code date}). */
  public static String schemaString() {
    return SCHEMA;
  }

  private static final LocalDate FIRST_DATE = LocalDate.parse("2024-01-01");
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"fields\":["
          + field("date", "date")
          + ","
          + field("id", "long")
          + ","
          + field("amount", "double")
          + ","
          + field("name", "string")
          + ","
          + field("ts", "timestamp")
          + ","
          + field("qty", "integer")
          + "]}";

  private final Path table;
  private final int files;
  private final int commits;
  private final int partitions;
  private final Random random = new Random(20240601L);
  private final JsonFactory json = new JsonFactory();

  /** A log of {@code files} adds in {@code commits} commits over {@code partitions} dates. */
  public SyntheticDeltaLog(Path table, int files, int commits, int partitions) {
    if (files < 1 || commits < 1 || partitions < 1 || commits > files) {
      throw new IllegalArgumentException("need files >= commits >= 1 and partitions >= 1");
    }
    this.table = table;
    this.files = files;
    this.commits = commits;
    this.partitions = partitions;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 4) {
      System.err.println("Usage: SyntheticDeltaLog <tableDir> <files> [commits] [partitions]");
      System.exit(2);
    }
    Path table = Path.of(args[0]).toAbsolutePath().normalize();
    int files = Integer.parseInt(args[1]);
    int commits = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    System.exit(new SyntheticDeltaLog(table, files, commits, partitions).run() ? 0 : 1);
  }

  /** Writes and verifies the table; returns false (after saying why) when a check fails. */
  public boolean run() throws IOException {
    Path log = table.resolve("_delta_log");
    if (Files.exists(log)) {
      System.err.println("Refusing to overwrite the existing Delta log " + log);
      return false;
    }
    Files.createDirectories(log);
    long start = System.nanoTime();
    for (int v = 0; v < commits; v++) {
      writeCommit(log, v);
    }
    long commitsWritten = System.nanoTime();

    Engine engine = DefaultEngine.create(new Configuration());
    Snapshot head = TableManager.loadSnapshot(table.toString()).build(engine);
    head.writeCheckpoint(engine);
    long checkpointed = System.nanoTime();

    long lastVersion = commits - 1L;
    Path checkpoint =
        log.resolve(String.format(Locale.ROOT, "%020d.checkpoint.parquet", lastVersion));
    Path lastCheckpoint = log.resolve("_last_checkpoint");
    boolean ok = true;
    if (!Files.isRegularFile(checkpoint)) {
      System.err.println(
          "Kernel did not write the expected checkpoint " + checkpoint.getFileName());
      ok = false;
    }
    if (!Files.isRegularFile(lastCheckpoint)) {
      System.err.println("Kernel did not write _last_checkpoint");
      ok = false;
    }

    // A fresh snapshot must start from the checkpoint and still see every file.
    Snapshot fresh = TableManager.loadSnapshot(table.toString()).build(engine);
    boolean fromCheckpoint =
        fresh.getLogSegment().getCheckpointVersionOpt().orElse(-1L) == lastVersion;
    long[] counted = ScanFileCount.count(fresh, engine);
    long verified = System.nanoTime();
    if (fresh.getVersion() != lastVersion || !fromCheckpoint) {
      System.err.println(
          "Snapshot is at version " + fresh.getVersion() + ", from checkpoint: " + fromCheckpoint);
      ok = false;
    }
    if (counted[0] != files || counted[1] != files) {
      System.err.println(
          "Kernel lists "
              + counted[0]
              + " files ("
              + counted[1]
              + " with stats), expected "
              + files);
      ok = false;
    }
    System.out.printf(
        Locale.ROOT,
        "table=%s files=%d commits=%d partitions=%d version=%d commitBytes=%d checkpointBytes=%d"
            + " lastCheckpoint=%s writeMs=%d checkpointMs=%d verifyMs=%d kernelFiles=%d"
            + " withStats=%d ok=%s%n",
        table,
        files,
        commits,
        partitions,
        fresh.getVersion(),
        commitBytes(log),
        Files.isRegularFile(checkpoint) ? Files.size(checkpoint) : -1,
        Files.isRegularFile(lastCheckpoint)
            ? Files.readString(lastCheckpoint, StandardCharsets.UTF_8).trim()
            : "missing",
        millis(start, commitsWritten),
        millis(commitsWritten, checkpointed),
        millis(checkpointed, verified),
        counted[0],
        counted[1],
        ok);
    return ok;
  }

  private void writeCommit(Path log, int version) throws IOException {
    Path file = log.resolve(String.format(Locale.ROOT, "%020d.json", version));
    long commitMillis = FIRST_COMMIT_MILLIS + version * 60_000L;
    int first = (int) ((long) files * version / commits);
    int end = (int) ((long) files * (version + 1) / commits);
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      line(w, g -> writeCommitInfo(g, commitMillis, end - first));
      if (version == 0) {
        line(w, this::writeProtocol);
        line(w, g -> writeMetadata(g, commitMillis));
      }
      for (int i = first; i < end; i++) {
        int index = i;
        line(w, g -> writeAdd(g, index, commitMillis));
      }
    }
    // Without in-commit timestamps Kernel takes a commit's time from the file's modification time.
    Files.setLastModifiedTime(file, FileTime.fromMillis(commitMillis));
  }

  private interface JsonBody {
    void write(JsonGenerator g) throws IOException;
  }

  private void line(Writer w, JsonBody body) throws IOException {
    try (JsonGenerator g = json.createGenerator(w)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      body.write(g);
    }
    w.write('\n');
  }

  private void writeCommitInfo(JsonGenerator g, long millis, int adds) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("commitInfo");
    g.writeNumberField("timestamp", millis);
    g.writeStringField("operation", "WRITE");
    g.writeObjectFieldStart("operationParameters");
    g.writeStringField("mode", "Append");
    g.writeStringField("partitionBy", "[\"date\"]");
    g.writeEndObject();
    g.writeBooleanField("isBlindAppend", true);
    g.writeObjectFieldStart("operationMetrics");
    g.writeStringField("numFiles", Integer.toString(adds));
    g.writeEndObject();
    g.writeStringField("engineInfo", "lakeshare-bench SyntheticDeltaLog");
    g.writeEndObject();
    g.writeEndObject();
  }

  private void writeProtocol(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("protocol");
    g.writeNumberField("minReaderVersion", 1);
    g.writeNumberField("minWriterVersion", 2);
    g.writeEndObject();
    g.writeEndObject();
  }

  private void writeMetadata(JsonGenerator g, long millis) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("metaData");
    g.writeStringField("id", uuid().toString());
    g.writeStringField("name", table.getFileName().toString());
    g.writeObjectFieldStart("format");
    g.writeStringField("provider", "parquet");
    g.writeObjectFieldStart("options");
    g.writeEndObject();
    g.writeEndObject();
    g.writeStringField("schemaString", SCHEMA);
    g.writeArrayFieldStart("partitionColumns");
    g.writeString("date");
    g.writeEndArray();
    g.writeObjectFieldStart("configuration");
    g.writeEndObject();
    g.writeNumberField("createdTime", millis);
    g.writeEndObject();
    g.writeEndObject();
  }

  private void writeAdd(JsonGenerator g, int index, long commitMillis) throws IOException {
    String date = FIRST_DATE.plusDays(index % partitions).toString();
    g.writeStartObject();
    g.writeObjectFieldStart("add");
    g.writeStringField(
        "path",
        String.format(
            Locale.ROOT,
            "date=%s/part-%05d-%s.c000.snappy.parquet",
            date,
            index % 100_000,
            uuid()));
    g.writeObjectFieldStart("partitionValues");
    g.writeStringField("date", date);
    g.writeEndObject();
    g.writeNumberField("size", 2_000_000L + random.nextInt(8_000_000));
    g.writeNumberField("modificationTime", commitMillis - random.nextInt(60_000));
    g.writeBooleanField("dataChange", true);
    g.writeStringField("stats", stats(index, date));
    g.writeEndObject();
    g.writeEndObject();
  }

  /** Statistics shaped like Spark's: record count and min, max and null count of five columns. */
  private String stats(int index, String date) throws IOException {
    int records = 50_000 + random.nextInt(100_000);
    long minId = index * 1_000_000L;
    double minAmount = Math.round(random.nextDouble() * 10_000) / 100.0;
    double maxAmount = minAmount + Math.round(random.nextDouble() * 1_000_000) / 100.0;
    int minTsSecond = random.nextInt(43_200);
    int minQty = random.nextInt(10);
    StringWriter out = new StringWriter(400);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("numRecords", records);
      g.writeObjectFieldStart("minValues");
      g.writeNumberField("id", minId);
      g.writeNumberField("amount", minAmount);
      g.writeStringField(
          "name", String.format(Locale.ROOT, "customer_%07d", random.nextInt(5_000)));
      g.writeStringField("ts", timestamp(date, minTsSecond));
      g.writeNumberField("qty", minQty);
      g.writeEndObject();
      g.writeObjectFieldStart("maxValues");
      g.writeNumberField("id", minId + records - 1);
      g.writeNumberField("amount", maxAmount);
      g.writeStringField(
          "name", String.format(Locale.ROOT, "customer_%07d", 5_000 + random.nextInt(5_000)));
      g.writeStringField("ts", timestamp(date, minTsSecond + 1 + random.nextInt(43_199)));
      g.writeNumberField("qty", minQty + 1 + random.nextInt(990));
      g.writeEndObject();
      g.writeObjectFieldStart("nullCount");
      g.writeNumberField("id", 0);
      g.writeNumberField("amount", random.nextInt(20));
      g.writeNumberField("name", random.nextInt(5));
      g.writeNumberField("ts", 0);
      g.writeNumberField("qty", random.nextInt(3));
      g.writeEndObject();
      g.writeEndObject();
    }
    return out.toString();
  }

  private static String timestamp(String date, int secondOfDay) {
    return String.format(
        Locale.ROOT,
        "%sT%02d:%02d:%02d.000Z",
        date,
        secondOfDay / 3600,
        secondOfDay / 60 % 60,
        secondOfDay % 60);
  }

  private UUID uuid() {
    long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo);
  }

  private static String field(String name, String type) {
    return "{\"name\":\""
        + name
        + "\",\"type\":\""
        + type
        + "\",\"nullable\":true,\"metadata\":{}}";
  }

  private static long commitBytes(Path log) throws IOException {
    try (Stream<Path> entries = Files.list(log)) {
      return entries
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  private static long millis(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }
}
