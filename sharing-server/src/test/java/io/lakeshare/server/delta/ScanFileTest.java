package io.lakeshare.server.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stats a file keeps as a JSON string body decode back to the text they were made from. */
class ScanFileTest {
  private static ScanFile withStats(String stats) {
    return new ScanFile("a.parquet", "file:/t/a.parquet", Map.of(), 1, 1, stats, FileExtras.PLAIN);
  }

  @Test
  void statsRoundTripThroughTheirJsonStringBody() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> texts =
        List.of(
            "",
            "{}",
            "{\"numRecords\":3,\"minValues\":{\"s\":\"a\\\"b\"}}",
            "plain ascii without escapes",
            "tab\there, newline\nthere, return\r, \b\f, nul \000 and \u001f",
            "slash / and backslash \\ and quote \"",
            "Zoë, 東京, \uD83D\uDE00 (outside the BMP), \u2028 (line separator)",
            "\u007f\u0080\u00ff\u0100",
            "a lone high surrogate \uD83D, a lone low one \uDE00, then a pair \uD83D\uDE00",
            "\uD83D");
    for (String text : texts) {
      ScanFile f = withStats(text);
      assertThat(f.stats()).isEqualTo(text);
      if (text.contains("lone") || text.equals("\uD83D")) {
        // Jackson refuses these; the kept bytes escape the lone surrogates
        assertThat(new String(f.statsJson(), StandardCharsets.US_ASCII)).contains("\\uD83D");
        continue;
      }
      // the kept bytes are exactly Jackson's generator's serialization of the string (which
      // escapes characters outside the BMP), without the quotes
      String serialized = new String(json.writeValueAsBytes(text), StandardCharsets.UTF_8);
      assertThat(new String(f.statsJson(), StandardCharsets.UTF_8))
          .isEqualTo(serialized.substring(1, serialized.length() - 1));
    }
    assertThat(withStats(null).stats()).isNull();
    assertThat(withStats(null).statsJson()).isNull();
  }

  @Test
  void everyJsonEscapeDecodes() {
    byte[] body =
        "\\/\\\"\\\\\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonStringBody.decode(body)).isEqualTo("/\"\\\b\f\n\r\té\uD83D\uDE00");
    assertThatThrownBy(() -> JsonStringBody.decode("a\\".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonStringBody.decode("\\u12".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonStringBody.decode("\\x".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLogPathIsKeptAsWrittenWhetherOrNotItEndsTheAbsolutePath() {
    for (String[] paths :
        new String[][] {
          {"date=2024-01-01/part-0.parquet", "file:/t/date=2024-01-01/part-0.parquet"},
          {"a%20b.parquet", "file:/t/a b.parquet"},
          {"s3://bucket/t/x.parquet", "s3://bucket/t/x.parquet"},
          {"file:/elsewhere/y.parquet", "file:/elsewhere/y.parquet"},
          {"b.parquet", "file:/t/ab.parquet"}
        }) {
      ScanFile f = new ScanFile(paths[0], paths[1], Map.of(), 1, 1, null, FileExtras.PLAIN);
      assertThat(f.logPath()).isEqualTo(paths[0]);
      assertThat(f.absolutePath()).isEqualTo(paths[1]);
      assertThat(f.separateLogPathLength())
          .as("kept beside the absolute path only where it does not end it")
          .isEqualTo(paths[1].endsWith(paths[0]) ? 0 : paths[0].length());
      assertThat(f)
          .isEqualTo(new ScanFile(paths[0], paths[1], Map.of(), 1, 1, null, FileExtras.PLAIN))
          .hasSameHashCodeAs(
              new ScanFile(paths[0], paths[1], Map.of(), 1, 1, null, FileExtras.PLAIN));
    }
    // the same absolute path read from another log path is another file entry
    assertThat(
            new ScanFile("x.parquet", "file:/t/x.parquet", Map.of(), 1, 1, null, FileExtras.PLAIN))
        .isNotEqualTo(
            new ScanFile(
                "file:/t/x.parquet", "file:/t/x.parquet", Map.of(), 1, 1, null, FileExtras.PLAIN));
  }

  @Test
  void equalityFollowsTheStats() {
    assertThat(withStats("{\"a\":1}")).isEqualTo(withStats("{\"a\":1}"));
    assertThat(withStats("{\"a\":1}").hashCode()).isEqualTo(withStats("{\"a\":1}").hashCode());
    assertThat(withStats("{\"a\":1}")).isNotEqualTo(withStats("{\"a\":2}"));
    assertThat(withStats("{\"a\":1}")).isNotEqualTo(withStats(null));
  }
}
