package io.lakeshare.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.http.RequestCounter;
import io.lakeshare.server.http.RequestRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit file rolls at its size and keeps only the configured number of rolled files. */
class AuditLogTest {
  @TempDir Path dir;

  @Test
  void rollsAtTheSizeAndKeepsMaxFiles() throws Exception {
    Path file = dir.resolve("audit.json");
    RequestRecord r = RequestRecordAccess.record("id-1");
    r.recipient("alice");
    r.table("s", "a", "t");
    r.answer(7, "delta");
    r.addFile(1234);
    String agent = "x".repeat(300);
    RequestCounter.Completed c =
        new RequestCounter.Completed(
            r, "POST", "POST query", 200, false, 5_000_000, "127.0.0.1", null, agent);
    AuditLog log = AuditLog.open(file, 1, 3);
    try {
      // about 400 bytes a line: 1 MiB holds ~2,600 lines; 12,000 lines roll 4 times
      for (int i = 0; i < 12_000; i++) {
        log.completed(c);
      }
    } finally {
      log.close();
    }
    List<Path> rolled;
    try (Stream<Path> s = Files.list(dir)) {
      rolled = s.filter(p -> p.getFileName().toString().startsWith("audit-")).toList();
    }
    assertThat(rolled).hasSize(3);
    assertThat(rolled)
        .allMatch(
            p -> p.getFileName().toString().matches("audit-\\d{4}-\\d{2}-\\d{2}-\\d+\\.json"));
    assertThat(Files.size(file)).isLessThanOrEqualTo(1024 * 1024 + 1024);
    JsonNode line = new ObjectMapper().readTree(Files.readAllLines(file).get(0));
    assertThat(line.path("recipient").asText()).isEqualTo("alice");
    assertThat(line.path("tableVersion").asLong()).isEqualTo(7);
    assertThat(line.path("responseFormat").asText()).isEqualTo("delta");
    assertThat(line.path("files").asLong()).isEqualTo(1);
    assertThat(line.path("fileBytes").asLong()).isEqualTo(1234);
    assertThat(line.path("durationMs").asDouble()).isEqualTo(5.0);
    assertThat(line.path("userAgent").asText()).hasSize(256);
    assertThat(line.path("endpoint").asText()).isEqualTo("query");
  }
}
