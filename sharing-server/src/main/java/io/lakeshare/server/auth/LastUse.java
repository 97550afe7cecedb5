package io.lakeshare.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each recipient last made an authenticated request. The server keeps it in memory and writes
 * it, every few seconds while it changes, to a JSON file beside the recipients file ({@code
 * <recipientsFile>.last-use.json}, recipient name → RFC 3339 instant), which {@code recipients
 * list} reads. Recorded at one-second precision so that busy recipients cost a map read per
 * request.
 */
public final class LastUse {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final ConcurrentHashMap<String, Instant> seen = new ConcurrentHashMap<>();
  private volatile boolean changed;

  public LastUse(Clock clock) {
    this.clock = clock;
  }

  /** Notes a request authenticated as {@code recipient} now. */
  public void record(String recipient) {
    String name = recipient.toLowerCase(Locale.ROOT);
    Instant now = clock.instant();
    Instant before = seen.get(name);
    if (before == null || now.isAfter(before.plusSeconds(1))) {
      seen.merge(name, now, (a, b) -> a.isAfter(b) ? a : b);
      changed = true;
    }
  }

  /** The file beside {@code recipientsFile} that holds the last uses. */
  public static Path fileFor(Path recipientsFile) {
    return recipientsFile.resolveSibling(recipientsFile.getFileName() + ".last-use.json");
  }

  /**
   * Merges what changed since the last call into {@code file} (keeping the later instant of each
   * recipient, so restarts and several instances sharing the file lose nothing), replacing it in
   * one rename. Does nothing when nobody made a request since.
   */
  public synchronized void flush(Path file) throws IOException {
    if (!changed) {
      return;
    }
    changed = false;
    Map<String, Instant> merged = new TreeMap<>(read(file));
    seen.forEach((k, v) -> merged.merge(k, v, (a, b) -> a.isAfter(b) ? a : b));
    ObjectNode out = JSON.createObjectNode();
    merged.forEach((k, v) -> out.put(k, v.toString()));
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".last-use-", ".tmp");
    try {
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The last uses in {@code file}; empty when it does not exist or cannot be read. */
  public static Map<String, Instant> read(Path file) {
    Map<String, Instant> out = new TreeMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        try {
          out.put(e.getKey().toLowerCase(Locale.ROOT), Instant.parse(e.getValue().asText()));
        } catch (DateTimeParseException ignored) {
          // a hand-edited entry: skip it
        }
      }
    } catch (IOException | RuntimeException e) {
      // a damaged file only loses the display of last use
    }
    return out;
  }
}
