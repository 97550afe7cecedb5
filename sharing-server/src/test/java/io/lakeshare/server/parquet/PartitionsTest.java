package io.lakeshare.server.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionsTest {

  @Test
  void infersTheTypesSparkInfers() {
    assertThat(Partitions.infer("7")).isEqualTo("integer");
    assertThat(Partitions.infer("-2147483648")).isEqualTo("integer");
    assertThat(Partitions.infer("2147483648")).isEqualTo("long");
    assertThat(Partitions.infer("12345678901234567890")).isEqualTo("decimal(20,0)");
    assertThat(Partitions.infer("1.5")).isEqualTo("double");
    assertThat(Partitions.infer("2024-02-29")).isEqualTo("date");
    assertThat(Partitions.infer("2024-02-30")).isEqualTo("string");
    // Spark 4.2 infers these the same way (checked with spark.read.parquet)
    assertThat(Partitions.infer("2024-01-02 03%3A04%3A05.1")).isEqualTo("timestamp");
    assertThat(Partitions.infer("1969-12-31 23%3A59%3A59")).isEqualTo("timestamp");
    assertThat(Partitions.infer("2024-01-02 03%3A04%3A05.123456")).isEqualTo("string");
    assertThat(Partitions.infer("2024-1-2")).isEqualTo("string");
    assertThat(Partitions.infer("1e5")).isEqualTo("decimal(6,0)");
    assertThat(Partitions.infer("+5")).isEqualTo("integer");
    assertThat(Partitions.infer("1.5f")).isEqualTo("double");
    assertThat(Partitions.infer("NaN")).isEqualTo("double");
    assertThat(Partitions.infer("true")).isEqualTo("string");
    assertThat(Partitions.infer("__HIVE_DEFAULT_PARTITION__")).isEqualTo("null");
  }

  @Test
  void conflictingTypesWidenOrBecomeStrings() {
    assertThat(Partitions.wider("integer", "long")).isEqualTo("long");
    assertThat(Partitions.wider("long", "double")).isEqualTo("double");
    assertThat(Partitions.wider("integer", "decimal(20,0)")).isEqualTo("decimal(20,0)");
    assertThat(Partitions.wider("date", "timestamp")).isEqualTo("timestamp");
    assertThat(Partitions.wider("integer", "date")).isEqualTo("string");
    assertThat(Partitions.wider("null", "integer")).isEqualTo("integer");
  }

  @Test
  void readsValuesNullsAndEscapesOfEveryFile() {
    Partitions p =
        Partitions.of(
            List.of(
                "y=2024/r=eu/part-0.parquet",
                "y=2023/r=a%2Fb%3Dc/part-1.parquet",
                "y=__HIVE_DEFAULT_PARTITION__/r=__HIVE_DEFAULT_PARTITION__/part-2.parquet",
                "y=2025/r=9/part-3.parquet"),
            Map.of());
    assertThat(p.columns).containsExactly("y", "r");
    assertThat(p.types).containsExactly("integer", "string");
    assertThat(p.values.get("y=2023/r=a%2Fb%3Dc/part-1.parquet"))
        .containsEntry("y", "2023")
        .containsEntry("r", "a/b=c");
    Map<String, String> nulls = new HashMap<>();
    nulls.put("y", null);
    nulls.put("r", null);
    assertThat(
            p.values.get(
                "y=__HIVE_DEFAULT_PARTITION__/r=__HIVE_DEFAULT_PARTITION__/part-2.parquet"))
        .isEqualTo(nulls);
  }

  @Test
  void declaredTypesWinAndAreChecked() {
    Partitions p =
        Partitions.of(List.of("code=01/f.parquet", "code=2/f.parquet"), Map.of("code", "string"));
    assertThat(p.types).containsExactly("string");
    assertThat(p.values.get("code=01/f.parquet")).containsEntry("code", "01");
    assertThatThrownBy(() -> Partitions.of(List.of("code=x/f.parquet"), Map.of("code", "int")))
        .hasMessageContaining("'x' of column 'code'")
        .hasMessageContaining("not a valid integer");
  }

  @Test
  void refusesLayoutsThatAreNotOneHiveLayout() {
    assertThatThrownBy(() -> Partitions.of(List.of("a=1/f.parquet", "b=1/f.parquet"), Map.of()))
        .hasMessageContaining("conflicting directory structures");
    assertThatThrownBy(() -> Partitions.of(List.of("f.parquet", "a=1/f.parquet"), Map.of()))
        .hasMessageContaining("conflicting directory structures");
    assertThatThrownBy(() -> Partitions.of(List.of("data/f.parquet"), Map.of()))
        .hasMessageContaining("not a Hive-style partition directory");
  }

  @Test
  void skipsWhatSparkSkips() {
    assertThat(ParquetTable.isDataFile("a=1/part-0.parquet")).isTrue();
    assertThat(ParquetTable.isDataFile("_a=1/part-0.parquet")).isTrue();
    assertThat(ParquetTable.isDataFile("_SUCCESS")).isFalse();
    assertThat(ParquetTable.isDataFile("a=1/.part-0.parquet.crc")).isFalse();
    assertThat(ParquetTable.isDataFile("_temporary/0/part-0.parquet")).isFalse();
    assertThat(ParquetTable.isDataFile("a=1/part-0.parquet._COPYING_")).isFalse();
  }
}
