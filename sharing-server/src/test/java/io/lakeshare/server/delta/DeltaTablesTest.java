package io.lakeshare.server.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.server.config.TableConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table handles a server keeps across config reloads. */
class DeltaTablesTest {
  @TempDir Path dir;

  private TableConfig parquet(String name, Map<String, String> types, long refreshSeconds) {
    return new TableConfig(
        name,
        dir.resolve(name).toString(),
        null,
        false,
        0,
        null,
        null,
        TableConfig.PARQUET,
        types,
        refreshSeconds);
  }

  @Test
  void aReloadThatChangesAParquetTablesSettingsDropsTheHandleOfTheOldOnes() {
    DeltaTables tables = new DeltaTables();
    TableConfig before = parquet("p", Map.of(), 30);
    TableConfig typed = parquet("p", Map.of("year", "int"), 30);
    TableConfig other = parquet("q", Map.of(), 5);
    TableSource first = tables.forTable(before);
    assertThat(tables.forTable(before)).isSameAs(first);
    TableSource second = tables.forTable(typed);
    assertThat(second).isNotSameAs(first);
    TableSource third = tables.forTable(other);
    assertThat(tables.parquetHandles()).isEqualTo(3);

    // the reloaded config declares the partition type: the untyped handle goes, the others stay
    tables.retainParquet(
        List.of(typed, other, new TableConfig("d", dir.toString(), null, false, 0)));
    assertThat(tables.parquetHandles()).isEqualTo(2);
    assertThat(tables.forTable(typed)).isSameAs(second);
    assertThat(tables.forTable(other)).isSameAs(third);

    // a config without Parquet tables keeps no handle
    tables.retainParquet(List.of());
    assertThat(tables.parquetHandles()).isZero();
    assertThat(tables.forTable(typed)).isNotSameAs(second);
  }
}
