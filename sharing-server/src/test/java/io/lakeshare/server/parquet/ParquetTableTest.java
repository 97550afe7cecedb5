package io.lakeshare.server.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeshare.server.delta.DeltaTableException;
import io.lakeshare.server.delta.ScanFile;
import io.lakeshare.server.delta.TableSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet tables over files written by parquet-mr: listing, schema, statistics, versions. */
class ParquetTableTest {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required int64 id; optional binary name (STRING); optional int32 day (DATE);"
              + " optional int64 amount (DECIMAL(12,2)); optional double score; }");

  @TempDir Path dir;

  private void write(Path file, MessageType schema, int rowGroups, long... ids) throws Exception {
    Files.createDirectories(file.getParent());
    SimpleGroupFactory f = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withType(schema)
            .withRowGroupSize(rowGroups > 1 ? 1024 : 128L * 1024 * 1024)
            .build()) {
      for (long id : ids) {
        Group g = f.newGroup();
        if (schema.getType("id").asPrimitiveType().getPrimitiveTypeName()
            == PrimitiveType.PrimitiveTypeName.BINARY) {
          g.append("id", Long.toString(id));
        } else {
          g.append("id", id);
        }
        if (schema.containsField("name") && id % 3 != 0) {
          g.append("name", "n" + id);
        }
        if (schema.containsField("day")) {
          g.append("day", (int) (19000 + id));
        }
        if (schema.containsField("amount")) {
          g.append("amount", id * 100 + 5);
        }
        if (schema.containsField("score")) {
          g.append("score", id / 2.0);
        }
        w.write(g);
      }
    }
  }

  private ParquetTable table(Map<String, String> types) {
    return new ParquetTable(dir.toUri().toString(), ParquetFiles.local(), types, Duration.ZERO);
  }

  private static List<ScanFile> files(TableSnapshot s) throws Exception {
    List<ScanFile> out = new ArrayList<>();
    try (var it = s.scanFiles()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void sharesTheListingWithSchemaPartitionsAndFooterStatistics() throws Exception {
    write(dir.resolve("region=eu/part-0.parquet"), SCHEMA, 1, 1, 2, 3);
    write(dir.resolve("region=us/part-1.parquet"), SCHEMA, 1, 10, 20);
    Files.writeString(dir.resolve("_SUCCESS"), "");
    Files.writeString(dir.resolve("region=eu/.part-0.parquet.crc"), "x");
    TableSnapshot s = table(Map.of()).latest();

    JsonNode schema = Footers.MAPPER.readTree(s.schemaString());
    List<String> fields = new ArrayList<>();
    schema.get("fields").forEach(fl -> fields.add(fl.get("name").asText() + ":" + fl.get("type")));
    assertThat(fields)
        .containsExactly(
            "id:\"long\"",
            "name:\"string\"",
            "day:\"date\"",
            "amount:\"decimal(12,2)\"",
            "score:\"double\"",
            "region:\"string\"");
    assertThat(s.partitionColumns()).containsExactly("region");
    assertThat(s.minReaderVersion()).isEqualTo(1);
    assertThat(s.format().provider()).isEqualTo("parquet");

    List<ScanFile> files = files(s);
    assertThat(files)
        .extracting(ScanFile::logPath)
        .containsExactly("region=eu/part-0.parquet", "region=us/part-1.parquet");
    assertThat(files.get(1).partitionValues()).containsEntry("region", "us");
    assertThat(files.get(0).absolutePath())
        .isEqualTo("file:" + dir.resolve("region=eu/part-0.parquet"));
    JsonNode stats = Footers.MAPPER.readTree(files.get(0).stats());
    assertThat(stats.get("numRecords").asLong()).isEqualTo(3);
    assertThat(stats.get("minValues").get("id").asLong()).isEqualTo(1);
    assertThat(stats.get("maxValues").get("id").asLong()).isEqualTo(3);
    assertThat(stats.get("minValues").get("name").asText()).isEqualTo("n1");
    assertThat(stats.get("maxValues").get("name").asText()).isEqualTo("n2");
    assertThat(stats.get("nullCount").get("name").asLong()).isEqualTo(1);
    assertThat(stats.get("minValues").get("day").asText()).isEqualTo("2022-01-09");
    assertThat(stats.get("maxValues").get("amount").decimalValue()).isEqualByComparingTo("3.05");
    // floating point ranges are never trusted for skipping
    assertThat(stats.get("minValues").has("score")).isFalse();
    assertThat(s.sizeAndFileCount()[1]).isEqualTo(2);
  }

  @Test
  void statisticsSpanEveryRowGroup() throws Exception {
    long[] ids = new long[3000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 3000 - i;
    }
    write(dir.resolve("part-0.parquet"), SCHEMA, 3, ids);
    JsonNode stats = Footers.MAPPER.readTree(files(table(Map.of()).latest()).get(0).stats());
    assertThat(stats.get("numRecords").asLong()).isEqualTo(3000);
    assertThat(stats.get("minValues").get("id").asLong()).isEqualTo(1);
    assertThat(stats.get("maxValues").get("id").asLong()).isEqualTo(3000);
    assertThat(stats.get("nullCount").get("name").asLong()).isEqualTo(1000);
  }

  @Test
  void aFooterLargerThanTheFirstReadIsReadWhole() throws Exception {
    StringBuilder wide = new StringBuilder("message m { required int64 id;");
    for (int c = 0; c < 1500; c++) {
      wide.append(" optional int64 column_with_a_long_name_").append(c).append(';');
    }
    MessageType schema = MessageTypeParser.parseMessageType(wide.append(" }").toString());
    write(dir.resolve("part-0.parquet"), schema, 1, 5, 6);
    byte[] footer =
        Footers.footerBytes(
            ParquetFiles.local()
                .open(
                    new ParquetFiles.Listed(
                        "file:" + dir.resolve("part-0.parquet"),
                        "part-0.parquet",
                        Files.size(dir.resolve("part-0.parquet")),
                        0)),
            "part-0.parquet");
    assertThat(footer.length).isGreaterThan(64 * 1024);
    TableSnapshot s = table(Map.of()).latest();
    assertThat(Footers.MAPPER.readTree(s.schemaString()).get("fields")).hasSize(1501);
    JsonNode stats = Footers.MAPPER.readTree(files(s).get(0).stats());
    assertThat(stats.get("maxValues").get("id").asLong()).isEqualTo(6);
  }

  @Test
  void theVersionIsAFingerprintOfTheListing() throws Exception {
    write(dir.resolve("part-0.parquet"), SCHEMA, 1, 1, 2);
    ParquetTable t = table(Map.of());
    TableSnapshot first = t.latest();
    assertThat(t.latest()).isSameAs(first);
    // another server instance over the same files gives the same version
    assertThat(table(Map.of()).latest().version()).isEqualTo(first.version());
    write(dir.resolve("part-1.parquet"), SCHEMA, 1, 3);
    TableSnapshot second = t.latest();
    assertThat(second.version()).isNotEqualTo(first.version());
    assertThat(second.sizeAndFileCount()[1]).isEqualTo(2);
    // the previous listing stays answerable by its version (pages, refreshed URLs)
    assertThat(t.atVersion(first.version())).isSameAs(first);
    assertThatThrownBy(() -> t.atVersion(12345))
        .isInstanceOf(DeltaTableException.class)
        .hasMessageContaining("only the version of its current listing");
    Files.delete(dir.resolve("part-1.parquet"));
    assertThat(t.latest().version()).isEqualTo(first.version());
  }

  @Test
  void aListingBeyondTheFileLimitIsRefused() throws Exception {
    write(dir.resolve("part-0.parquet"), SCHEMA, 1, 1);
    write(dir.resolve("part-1.parquet"), SCHEMA, 1, 2);
    ParquetTable limited =
        new ParquetTable(dir.toUri().toString(), ParquetFiles.local(), Map.of(), Duration.ZERO, 1);
    assertThatThrownBy(limited::latest)
        .isInstanceOf(DeltaTableException.class)
        .hasMessageContaining("holds 2 Parquet files, more than the 1");
  }

  @Test
  void filesThatDisagreeOnATypeAreRefused() throws Exception {
    write(dir.resolve("part-0.parquet"), SCHEMA, 1, 1);
    write(
        dir.resolve("part-1.parquet"),
        MessageTypeParser.parseMessageType("message m { required binary id (STRING); }"),
        1,
        2);
    assertThatThrownBy(() -> table(Map.of()).latest())
        .isInstanceOf(DeltaTableException.class)
        .hasMessageContaining("disagree on the type of column 'id'")
        .hasMessageContaining("long in 'part-0.parquet', string in 'part-1.parquet'");
  }

  @Test
  void aFileAddingAColumnExtendsTheSchema() throws Exception {
    write(
        dir.resolve("part-0.parquet"),
        MessageTypeParser.parseMessageType("message m { required int64 id; }"),
        1,
        1);
    write(dir.resolve("part-1.parquet"), SCHEMA, 1, 2);
    JsonNode schema = Footers.MAPPER.readTree(table(Map.of()).latest().schemaString());
    assertThat(schema.get("fields")).hasSize(5);
  }

  @Test
  void notParquetOrEmptyOrMissingIsAClearError() throws Exception {
    assertThatThrownBy(
            () ->
                new ParquetTable(
                        dir.resolve("missing").toUri().toString(),
                        ParquetFiles.local(),
                        Map.of(),
                        Duration.ZERO)
                    .latest())
        .hasFieldOrPropertyWithValue("kind", DeltaTableException.Kind.TABLE_NOT_FOUND);
    Files.writeString(dir.resolve("_SUCCESS"), "");
    assertThatThrownBy(() -> table(Map.of()).latest())
        .hasMessageContaining("holds no Parquet files");
    Files.writeString(dir.resolve("notes.txt"), "not parquet");
    assertThatThrownBy(() -> table(Map.of()).latest())
        .hasMessageContaining("'notes.txt' is not a readable Parquet file")
        .hasMessageNotContaining(dir.toString());
  }
}
