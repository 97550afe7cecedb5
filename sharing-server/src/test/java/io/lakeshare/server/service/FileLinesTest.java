package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.server.delta.FileExtras;
import io.lakeshare.server.delta.ScanFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lines joined from kept parts are byte for byte the codec's lines of the whole action. */
class FileLinesTest {
  private static final String STATS =
      "{\"numRecords\":3,\"minValues\":{\"s\":\"a\\\"b\",\"n\":1},\"maxValues\":{\"s\":\"é\\\\\","
          + "\"n\":9},\"nullCount\":{\"s\":0,\"n\":1}}";

  private static List<ScanFile> files() {
    Map<String, String> nullPartition = new LinkedHashMap<>();
    nullPartition.put("date", "2024-05-01");
    nullPartition.put("country", null);
    Map<String, String> odd = new LinkedHashMap<>();
    odd.put("name", "Zoë \"quoted\" \\ back\ttab");
    List<ScanFile> out = new ArrayList<>();
    out.add(
        new ScanFile("a.parquet", "file:/t/a.parquet", Map.of(), 10, 1, STATS, FileExtras.PLAIN));
    out.add(
        new ScanFile(
            "b.parquet", "file:/t/b.parquet", nullPartition, 0, 2, null, FileExtras.PLAIN));
    out.add(
        new ScanFile(
            "name=x/c%20d.parquet",
            "file:/t/name=x/c d.parquet",
            odd,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            "{}",
            new FileExtras(false, Map.of("tag", "v\"1"), null, null, 7L, 3L, null, null)));
    // control characters, a character outside the BMP, a slash and a backslash in the stats
    out.add(
        new ScanFile(
            "e.parquet",
            "file:/t/e.parquet",
            Map.of(),
            5,
            5,
            "{\"numRecords\":1,\"minValues\":{\"s\":\"\\u0001\\t\\n/\\\\ \uD83D\uDE00\001\t\"}}",
            FileExtras.PLAIN));
    // a partition column named stats whose value is the stats text: the stats stay in the tail
    Map<String, String> statsNamed = new LinkedHashMap<>();
    statsNamed.put("stats", "{}");
    out.add(
        new ScanFile(
            "stats=%7B%7D/f.parquet",
            "file:/t/stats=%7B%7D/f.parquet",
            statsNamed,
            6,
            6,
            "{}",
            new FileExtras(true, Map.of("stats", "{}"), null, null, null, null, null, null)));
    return out;
  }

  private static final List<String> URLS =
      List.of(
          "http://127.0.0.1:8080/files/t/a.parquet?sig=abc%2Fdef&exp=1",
          "https://bucket.s3.amazonaws.com/k\u00e9y/\"q\"\\x\u007f",
          "http://h/del\u007f/tab\t",
          "");

  @Test
  void joinedLinesEqualTheCodecsLinesInBothFormatsAndSchemes() {
    FileLines lines = new FileLines();
    int compared = 0;
    for (ResponseFormat format : ResponseFormat.values()) {
      for (String scheme : List.of(FileIds.PARQUET, FileIds.DELTA)) {
        for (ScanFile f : files()) {
          for (String url : URLS) {
            for (Long version : new Long[] {null, 0L, 42L}) {
              Long timestamp = version == null ? null : 1_700_000_000_000L + version;
              long expiration = 1_800_000_000_123L;
              FileLines.Parts parts = FileLines.parts(f, format, scheme);
              assertThat(parts).as("%s %s %s", format, scheme, f).isNotNull();
              lines.join(parts, f, url, version, timestamp, expiration);
              String joined = new String(lines.buffer(), 0, lines.length(), StandardCharsets.UTF_8);
              assertThat(joined)
                  .isEqualTo(codecLine(format, scheme, f, url, version, timestamp, expiration));
              // and it parses back to the action
              assertThat(WireJson.readAction(joined)).isNotNull();
              compared++;
            }
          }
        }
      }
    }
    assertThat(compared).isEqualTo(2 * 2 * 5 * 4 * 3);
  }

  @Test
  void theStatsAreKeptOnceOnTheFileNotInTheParts() {
    for (ResponseFormat format : ResponseFormat.values()) {
      ScanFile f = files().get(0);
      FileLines.Parts parts = FileLines.parts(f, format, FileIds.DELTA);
      assertThat(parts.afterStats()).as("%s", format).isNotNull();
      String kept =
          new String(parts.head(), StandardCharsets.UTF_8)
              + new String(parts.tail(), StandardCharsets.UTF_8)
              + new String(parts.afterStats(), StandardCharsets.UTF_8);
      assertThat(kept).doesNotContain("numRecords").contains("\"size\":10");
      assertThat(new String(parts.tail(), StandardCharsets.UTF_8)).endsWith("\"stats\":\"");
      assertThat(new String(parts.afterStats(), StandardCharsets.UTF_8)).startsWith("\"");
    }
    // a partition column and a tag named stats: the mark is still found once
    ScanFile statsNamed = files().get(4);
    assertThat(FileLines.parts(statsNamed, ResponseFormat.DELTA, FileIds.DELTA).afterStats())
        .isNotNull();
    // a partition value that repeats the marked field: the codec's path, rather than a guess
    ScanFile marked =
        new ScanFile(
            "m.parquet",
            "file:/t/m.parquet",
            Map.of("stats", FileLines.STATS_MARK),
            1,
            1,
            "{}",
            FileExtras.PLAIN);
    assertThat(FileLines.parts(marked, ResponseFormat.PARQUET, FileIds.PARQUET)).isNull();
    assertThat(marked.rendered()).isNull();
    // a file without stats has nothing to cut around
    assertThat(
            FileLines.parts(files().get(1), ResponseFormat.PARQUET, FileIds.PARQUET).afterStats())
        .isNull();
  }

  @Test
  void statsWithALoneSurrogateStillMakeAValidLine() {
    // Jackson refuses to write a lone surrogate; the kept stats escape it
    String stats = "{\"maxValues\":{\"s\":\"ab\uD83D\"}}";
    ScanFile f =
        new ScanFile("a.parquet", "file:/t/a.parquet", Map.of(), 1, 1, stats, FileExtras.PLAIN);
    for (ResponseFormat format : ResponseFormat.values()) {
      FileLines lines = new FileLines();
      lines.join(FileLines.parts(f, format, FileIds.DELTA), f, "http://h/a", null, null, 1L);
      String line = new String(lines.buffer(), 0, lines.length(), StandardCharsets.UTF_8);
      assertThat(line).contains("ab\\uD83D");
      ResponseAction read = WireJson.readAction(line);
      String readStats =
          read instanceof FileAction a ? a.stats() : ((DeltaFileAction) read).stats();
      assertThat(readStats).as("%s", format).isEqualTo(stats);
    }
  }

  @Test
  void partsAreKeptOnTheFileAndRemadeForAnotherFormatOrScheme() {
    ScanFile f = files().get(0);
    FileLines.Parts first = FileLines.parts(f, ResponseFormat.PARQUET, FileIds.PARQUET);
    assertThat(FileLines.parts(f, ResponseFormat.PARQUET, FileIds.PARQUET)).isSameAs(first);
    FileLines.Parts delta = FileLines.parts(f, ResponseFormat.DELTA, FileIds.DELTA);
    assertThat(delta).isNotSameAs(first);
    assertThat(delta.format()).isEqualTo(ResponseFormat.DELTA);
    assertThat(new String(delta.head(), StandardCharsets.UTF_8))
        .isEqualTo("{\"file\":{\"id\":\"" + FileIds.id(FileIds.DELTA, "a.parquet") + "\"");
    assertThat(FileLines.parts(f, ResponseFormat.DELTA, FileIds.DELTA)).isSameAs(delta);
    // the slot takes no part in equality
    assertThat(f).isEqualTo(files().get(0));
  }

  @Test
  void filesWithDeletionVectorsTakeTheCodecsPathInTheDeltaFormat() {
    DeletionVector dv = new DeletionVector("u", "ab^-aqEH.-t@S}K{vb[*k^", 1, 36, 2L, null);
    ScanFile f =
        new ScanFile(
            "a.parquet",
            "file:/t/a.parquet",
            Map.of(),
            10,
            1,
            STATS,
            new FileExtras(
                true, null, dv, "file:/t/deletion_vector_x.bin", null, null, null, null));
    assertThat(FileLines.parts(f, ResponseFormat.DELTA, FileIds.DELTA)).isNull();
    assertThat(f.rendered()).isNull();
    assertThat(FileLines.parts(f, ResponseFormat.PARQUET, FileIds.PARQUET)).isNotNull();
  }

  private static String codecLine(
      ResponseFormat format,
      String scheme,
      ScanFile f,
      String url,
      Long version,
      Long timestamp,
      long expiration) {
    String id = FileIds.id(scheme, f.logPath());
    ResponseAction a =
        format == ResponseFormat.PARQUET
            ? new FileAction(
                FileAction.Kind.FILE,
                url,
                id,
                f.partitionValues(),
                f.size(),
                f.stats(),
                version,
                timestamp,
                expiration)
            : new DeltaFileAction(
                DeltaFileAction.Kind.ADD,
                id,
                null,
                version,
                timestamp,
                expiration,
                url,
                f.partitionValues(),
                f.size(),
                f.modificationTime(),
                f.extras().dataChange(),
                f.stats(),
                f.extras().tags(),
                null,
                f.extras().baseRowId(),
                f.extras().defaultRowCommitVersion(),
                null,
                null);
    return new String(WireJson.actionBytes(a), StandardCharsets.UTF_8);
  }
}
