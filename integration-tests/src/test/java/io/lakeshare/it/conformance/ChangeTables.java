package io.lakeshare.it.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.it.fixtures.SparkFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Delta tables for the change tests, written by delta-spark statement by statement (one commit
 * each) in a temp dir, plus an oracle that reads the file actions straight from the Delta log.
 */
final class ChangeTables {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChangeTables() {}

  static Path create(String name, String... statements) {
    try {
      Path dir = Files.createTempDirectory("lakeshare-changes-" + name).resolve(name);
      for (String s : statements) {
        SparkFixture.spark().sql(s.replace("$T", "delta.`" + dir.toAbsolutePath() + "`"));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One file action of the log: kind (add, remove, cdc), path as logged, dataChange. */
  record LoggedFile(String kind, String path, boolean dataChange, long version) {}

  /** The add, remove and cdc actions of a commit, in log order. */
  static List<LoggedFile> logged(Path table, long version) {
    Path commit = table.resolve("_delta_log").resolve(String.format("%020d.json", version));
    List<LoggedFile> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(commit)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(line);
        for (String kind : List.of("add", "remove", "cdc")) {
          JsonNode a = n.get(kind);
          if (a != null) {
            boolean dc = a.has("dataChange") && a.get("dataChange").asBoolean();
            out.add(new LoggedFile(kind, a.get("path").asText(), dc, version));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The commit's operation from its commitInfo. */
  static String operation(Path table, long version) {
    Path commit = table.resolve("_delta_log").resolve(String.format("%020d.json", version));
    try {
      for (String line : Files.readAllLines(commit)) {
        JsonNode n = line.isBlank() ? null : JSON.readTree(line);
        if (n != null && n.has("commitInfo")) {
          return n.get("commitInfo").path("operation").asText();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return null;
  }

  static long latestVersion(Path table) {
    try (var files = Files.list(table.resolve("_delta_log"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d{20}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, 20)))
          .max()
          .orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
