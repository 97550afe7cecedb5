package io.lakeshare.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoTableTest {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  @TempDir static Path dir;
  private static DemoInfo info;
  private static Engine engine;

  @BeforeAll
  static void writeTable() {
    info = DemoTable.write(dir);
    engine = DefaultEngine.create(new Configuration());
  }

  @Test
  void reportsTheLatestVersionAndRowCountKernelSees() {
    Snapshot snapshot = latest();

    assertThat(info.tableRoot()).isEqualTo(dir.toAbsolutePath().normalize().resolve("sales"));
    assertThat(info.latestVersion()).isEqualTo(2).isEqualTo(snapshot.getVersion());
    assertThat(info.rowCount())
        .isEqualTo(21)
        .isEqualTo(DemoTable.rowsAtVersion(info.latestVersion()).size());
    assertThat(snapshot.getPartitionColumnNames()).containsExactly("region");
    assertThat(snapshot.getSchema().fieldNames())
        .containsExactly("id", "product", "amount", "sold_at", "region");
  }

  @Test
  void writesOneFilePerRegionPerCommitUnderItsPartitionFolder() {
    List<ScanFile> files = scanFiles(latest());

    long expectedFiles =
        DemoTable.rowsByVersion().stream()
            .mapToLong(rows -> rows.stream().map(DemoRow::region).distinct().count())
            .sum();
    assertThat(files).hasSize((int) expectedFiles).hasSize(8);
    assertThat(files.stream().map(ScanFile::region).distinct())
        .containsExactlyInAnyOrder("EU", "US", "APAC", "LATAM");
    for (ScanFile file : files) {
      assertThat(file.partitionValues()).containsOnlyKeys("region");
      assertThat(Path.of(URI.create(file.path())).getParent())
          .isEqualTo(info.tableRoot().resolve("region=" + file.region()));
    }
  }

  @Test
  void addActionsCarryStatsMatchingTheRowsOfTheirFile() throws IOException {
    List<ScanFile> files = scanFiles(latest());
    long totalRecords = 0;
    for (ScanFile file : files) {
      assertThat(file.stats()).as("stats of %s", file.path()).isNotNull();
      JsonNode stats = JSON.readTree(file.stats());
      long minId = stats.at("/minValues/id").asLong();
      long maxId = stats.at("/maxValues/id").asLong();
      // Each commit's ids per region are contiguous and commits never share ids, so the id range
      // and the region identify the rows of exactly one file.
      List<DemoRow> rows =
          DemoTable.rowsAtVersion(info.latestVersion()).stream()
              .filter(r -> r.region().equals(file.region()) && r.id() >= minId && r.id() <= maxId)
              .toList();

      assertThat(stats.get("numRecords").asLong()).isEqualTo(rows.size()).isPositive();
      assertThat(stats.at("/minValues/amount").decimalValue())
          .isEqualByComparingTo(
              rows.stream().map(DemoRow::amount).min(Comparator.naturalOrder()).get());
      assertThat(stats.at("/maxValues/amount").decimalValue())
          .isEqualByComparingTo(
              rows.stream().map(DemoRow::amount).max(Comparator.naturalOrder()).get());
      assertThat(LocalDate.parse(stats.at("/minValues/sold_at").asText()))
          .isEqualTo(rows.stream().map(DemoRow::soldAt).min(Comparator.naturalOrder()).get());
      assertThat(LocalDate.parse(stats.at("/maxValues/sold_at").asText()))
          .isEqualTo(rows.stream().map(DemoRow::soldAt).max(Comparator.naturalOrder()).get());
      assertThat(stats.at("/nullCount/product").asLong())
          .isEqualTo(rows.stream().filter(r -> r.product() == null).count());
      assertThat(stats.at("/nullCount/id").asLong()).isZero();
      totalRecords += stats.get("numRecords").asLong();
    }
    assertThat(totalRecords).isEqualTo(info.rowCount());
    assertThat(files.stream().mapToLong(f -> nullProducts(f.stats())).sum()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2})
  void scanAtEachVersionReturnsExactlyTheRowsAppendedUpToIt(long version) {
    Snapshot snapshot = TableManager.loadSnapshot(tablePath(info)).atVersion(version).build(engine);

    assertThat(readRows(snapshot))
        .containsExactlyInAnyOrderElementsOf(DemoTable.rowsAtVersion(version));
  }

  @Test
  void writingAgainReplacesTheTableInsteadOfAppending(@TempDir Path other) throws IOException {
    DemoTable.write(other);
    DemoInfo second = DemoTable.write(other);

    Snapshot snapshot = TableManager.loadSnapshot(tablePath(second)).build(engine);
    assertThat(snapshot.getVersion()).isEqualTo(2);
    assertThat(readRows(snapshot)).containsExactlyInAnyOrderElementsOf(DemoTable.rowsAtVersion(2));
    try (Stream<Path> paths = Files.walk(second.tableRoot())) {
      assertThat(paths.filter(p -> p.getFileName().toString().endsWith(".parquet")).count())
          .isEqualTo(8);
    }
  }

  @Test
  void refusesToDeleteAFolderThatIsNotADeltaTable(@TempDir Path other) throws IOException {
    Path notes = Files.createDirectories(other.resolve("sales")).resolve("notes.txt");
    Files.writeString(notes, "keep me");

    assertThatThrownBy(() -> DemoTable.write(other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a Delta table");
    assertThat(notes).hasContent("keep me");
  }

  @Test
  void rowsAtVersionRejectsVersionsTheTableDoesNotHave() {
    assertThatThrownBy(() -> DemoTable.rowsAtVersion(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not 3");
    assertThatThrownBy(() -> DemoTable.rowsAtVersion(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Snapshot latest() {
    return TableManager.loadSnapshot(tablePath(info)).build(engine);
  }

  private static String tablePath(DemoInfo demo) {
    return demo.tableRoot().toString();
  }

  private static long nullProducts(String stats) {
    try {
      return JSON.readTree(stats).at("/nullCount/product").asLong();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private record ScanFile(Row row, String path, Map<String, String> partitionValues, String stats) {
    String region() {
      return partitionValues.get("region");
    }
  }

  private static List<ScanFile> scanFiles(Snapshot snapshot) {
    Scan scan = snapshot.getScanBuilder().build();
    List<ScanFile> files = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine, true)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            Row row = rows.next();
            Row add = row.getStruct(row.getSchema().indexOf("add"));
            int statsOrdinal = add.getSchema().indexOf("stats");
            files.add(
                new ScanFile(
                    row,
                    InternalScanFileUtils.getAddFileStatus(row).getPath(),
                    InternalScanFileUtils.getPartitionValues(row),
                    add.isNullAt(statsOrdinal) ? null : add.getString(statsOrdinal)));
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return files;
  }

  private static List<DemoRow> readRows(Snapshot snapshot) {
    Scan scan = snapshot.getScanBuilder().build();
    Row scanState = scan.getScanState(engine);
    List<DemoRow> result = new ArrayList<>();
    for (ScanFile file : scanFiles(snapshot)) {
      FileStatus status = InternalScanFileUtils.getAddFileStatus(file.row());
      try (CloseableIterator<FilteredColumnarBatch> logical =
          Scan.transformPhysicalData(
              engine,
              scanState,
              file.row(),
              engine
                  .getParquetHandler()
                  .readParquetFiles(
                      Utils.singletonCloseableIterator(status),
                      ScanStateRow.getPhysicalDataReadSchema(scanState),
                      Optional.empty())
                  .map(FileReadResult::getData))) {
        while (logical.hasNext()) {
          try (CloseableIterator<Row> rows = logical.next().getRows()) {
            rows.forEachRemaining(r -> result.add(toDemoRow(r)));
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return result;
  }

  private static DemoRow toDemoRow(Row row) {
    Map<String, Integer> at =
        row.getSchema().fieldNames().stream()
            .collect(Collectors.toMap(n -> n, n -> row.getSchema().indexOf(n)));
    int product = at.get("product");
    BigDecimal amount = row.getDecimal(at.get("amount"));
    return new DemoRow(
        row.getLong(at.get("id")),
        row.isNullAt(product) ? null : row.getString(product),
        Objects.requireNonNull(amount),
        LocalDate.ofEpochDay(row.getInt(at.get("sold_at"))),
        row.getString(at.get("region")));
  }
}
