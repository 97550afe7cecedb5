package io.lakeshare.it.bench.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The table of the deletion-vector scan benchmark: the connector benchmark's {@link BenchTable}
 * written by delta-spark (version 0), deletion vectors turned on by {@code ALTER TABLE} (version
 * 1), then a {@code DELETE} of about 10% of the rows, chosen by a hash of the row id so that they
 * are spread over every file and row group (version 2, one deletion vector per data file). A marker
 * file says all three commits are there; a folder without it is written again.
 */
final class DvTable {
  /** The deleted rows: about one in ten, by a hash of the row id. */
  static final String DELETED = "pmod(xxhash64(id, 10), 10) = 0";

  private static final String DONE = "_bench_dv_done";

  /** What the log says about the deletion vectors of the latest version. */
  record Vectors(int files, int withVector, int vectorFiles, long vectorBytes, long cardinality) {}

  private final BenchTable table;
  private final long before;
  private final long after;
  private final Vectors vectors;

  private DvTable(BenchTable table, long before, long after, Vectors vectors) {
    this.table = table;
    this.before = before;
    this.after = after;
    this.vectors = vectors;
  }

  static DvTable ensure(SparkSession spark, Path dir, long rows, int files) throws IOException {
    if (!Files.exists(dir.resolve(DONE))) {
      BenchTable.deleteRecursively(dir);
    }
    BenchTable table = BenchTable.ensure(spark, dir, rows, files);
    if (!Files.exists(dir.resolve(DONE))) {
      String ref = "delta.`" + dir + "`";
      long start = System.nanoTime();
      spark.sql(
          "ALTER TABLE " + ref + " SET TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
      System.err.printf(Locale.ROOT, "[bench] DELETE FROM %s WHERE %s%n", dir, DELETED);
      spark.sql("DELETE FROM " + ref + " WHERE " + DELETED);
      Files.writeString(dir.resolve(DONE), "deleted where " + DELETED + "\n");
      System.err.printf(
          Locale.ROOT,
          "[bench] deletion vectors written in %.0f s%n",
          (System.nanoTime() - start) / 1e9);
    }
    long latest = latestVersion(dir);
    return new DvTable(table, latest - 1, latest, vectors(dir, latest));
  }

  private static long latestVersion(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("_delta_log"))) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d{20}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, 20)))
          .max()
          .orElseThrow();
    }
  }

  /** Reads the DELETE's commit: every file it touched is re-added with its vector. */
  private static Vectors vectors(Path dir, long version) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> lines =
        Files.readAllLines(
            dir.resolve(String.format(Locale.ROOT, "_delta_log/%020d.json", version)));
    int adds = 0;
    int withVector = 0;
    long cardinality = 0;
    Set<String> vectorFiles = new HashSet<>();
    for (String line : lines) {
      JsonNode add = json.readTree(line).get("add");
      if (add == null) {
        continue;
      }
      adds++;
      JsonNode dv = add.get("deletionVector");
      if (dv != null && !dv.isNull()) {
        withVector++;
        cardinality += dv.get("cardinality").asLong();
        vectorFiles.add(dv.get("storageType").asText() + dv.get("pathOrInlineDv").asText());
      }
    }
    long bytes = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".bin")).toList()) {
        bytes += Files.size(p);
      }
    }
    return new Vectors(adds, withVector, vectorFiles.size(), bytes, cardinality);
  }

  BenchTable table() {
    return table;
  }

  /** The version before the DELETE: deletion vectors enabled, none written yet. */
  long before() {
    return before;
  }

  /** The version of the DELETE. */
  long after() {
    return after;
  }

  Vectors vectors() {
    return vectors;
  }
}
