package io.lakeshare.it.faults;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.it.fixtures.SparkFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;

/**
 * What delta-spark says a table held at a version (active files with their deletion vectors) and
 * what each commit changed, in the shape of served file lines: {@code "<kind> <id> dv=<n>"} with
 * the delta-scheme file id (SHA-256 of the log path) and the vector's cardinality (or -1).
 */
final class LogOracle {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path table;

  LogOracle(Path table) {
    this.table = table.toAbsolutePath();
  }

  /** The snapshot's {@code add} files at {@code version}, as {@link #line} strings, sorted. */
  List<String> activeFiles(long version) {
    DeltaLog log = DeltaLog.forTable(SparkFixture.spark(), table.toString());
    // Scala default arguments, spelled out because Java cannot omit them.
    Snapshot snapshot =
        log.getSnapshotAt(
            version,
            log.getSnapshotAt$default$2(),
            log.getSnapshotAt$default$3(),
            log.getSnapshotAt$default$4());
    List<String> out = new ArrayList<>();
    for (Row r :
        snapshot
            .allFiles()
            .toDF()
            .select(col("path"), col("deletionVector.cardinality"))
            .collectAsList()) {
      out.add(line("add", r.getString(0), r.isNullAt(1) ? -1 : r.getLong(1)));
    }
    out.sort(null);
    return out;
  }

  /**
   * The file lines a change query must give for commit {@code version}: its {@code cdc} files if it
   * has any, else its {@code add} and {@code remove} actions with {@code dataChange}; sorted.
   */
  List<String> changes(long version) {
    Path file =
        table.resolve("_delta_log").resolve(String.format(Locale.ROOT, "%020d.json", version));
    List<String> cdc = new ArrayList<>();
    List<String> data = new ArrayList<>();
    try {
      for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (l.isBlank()) {
          continue;
        }
        JsonNode action = JSON.readTree(l);
        if (action.has("cdc")) {
          cdc.add(line("cdc", action.get("cdc").get("path").asText(), -1));
        }
        for (String kind : List.of("add", "remove")) {
          JsonNode a = action.get(kind);
          if (a != null && a.path("dataChange").asBoolean(true)) {
            JsonNode dv = a.get("deletionVector");
            long card = dv == null || dv.isNull() ? -1 : dv.get("cardinality").asLong();
            data.add(line(kind, a.get("path").asText(), card));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<String> out = cdc.isEmpty() ? data : cdc;
    out.sort(null);
    return out;
  }

  /** A served or expected file line: kind, the delta-scheme id of the log path, cardinality. */
  static String line(String kind, String logPath, long dvCardinality) {
    return kind + " " + sha256(logPath) + " dv=" + dvCardinality;
  }

  /** A line for a served file whose id the server computed. */
  static String servedLine(String kind, String id, long dvCardinality) {
    return kind + " " + id + " dv=" + dvCardinality;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
