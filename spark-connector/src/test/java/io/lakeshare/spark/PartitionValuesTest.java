package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class PartitionValuesTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("p_int", DataTypes.IntegerType)
          .add("p_str", DataTypes.StringType)
          .add("p_date", DataTypes.DateType)
          .add("p_ts", DataTypes.TimestampType)
          .add("p_ntz", DataTypes.TimestampNTZType)
          .add("p_bool", DataTypes.BooleanType)
          .add("p_dec", DataTypes.createDecimalType(5, 2))
          .add("p_long", DataTypes.LongType);

  private static long micros(Instant i) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, i);
  }

  @Test
  void deltaStringsBecomeSparkInternalValues() {
    Map<String, String> v = new HashMap<>();
    v.put("p_int", "-7");
    v.put("p_str", "b c/d=e");
    v.put("p_date", "2021-04-28");
    v.put("p_ts", "2024-01-02 03:04:05.123456");
    v.put("p_ntz", "2024-01-02 03:04:05");
    v.put("p_bool", "true");
    v.put("p_dec", "-1.5");
    v.put("p_long", "9000000000");
    InternalRow row = new PartitionValues(SCHEMA, ZoneId.of("UTC"), "t").row(v);
    assertThat(row.getInt(0)).isEqualTo(-7);
    assertThat(row.getUTF8String(1)).isEqualTo(UTF8String.fromString("b c/d=e"));
    assertThat(row.getInt(2)).isEqualTo((int) LocalDate.parse("2021-04-28").toEpochDay());
    assertThat(row.getLong(3)).isEqualTo(micros(Instant.parse("2024-01-02T03:04:05.123456Z")));
    assertThat(row.getLong(4)).isEqualTo(micros(Instant.parse("2024-01-02T03:04:05Z")));
    assertThat(row.getBoolean(5)).isTrue();
    assertThat(row.getDecimal(6, 5, 2)).isEqualTo(Decimal.apply("-1.50"));
    assertThat(row.getLong(7)).isEqualTo(9_000_000_000L);
  }

  @Test
  void zonelessTimestampsUseTheSessionZoneAndIsoOnesTheirOwn() {
    StructType s = new StructType().add("ts", DataTypes.TimestampType);
    PartitionValues pv = new PartitionValues(s, ZoneId.of("Europe/Paris"), "t");
    assertThat(pv.row(Map.of("ts", "2024-07-01 12:00:00")).getLong(0))
        .isEqualTo(micros(Instant.parse("2024-07-01T10:00:00Z")));
    assertThat(pv.row(Map.of("ts", "2024-07-01T12:00:00.5Z")).getLong(0))
        .isEqualTo(micros(Instant.parse("2024-07-01T12:00:00.5Z")));
  }

  @Test
  void missingNullAndEmptyNonStringValuesAreNull() {
    Map<String, String> v = new HashMap<>();
    v.put("p_int", null);
    v.put("p_date", "");
    v.put("p_str", "");
    InternalRow row = new PartitionValues(SCHEMA, ZoneId.of("UTC"), "t").row(v);
    assertThat(row.isNullAt(0)).isTrue();
    assertThat(row.getUTF8String(1)).isEqualTo(UTF8String.fromString(""));
    assertThat(row.isNullAt(2)).isTrue();
    assertThat(row.isNullAt(7)).isTrue();
  }

  @Test
  void columnNamesMatchCaseInsensitively() {
    StructType s = new StructType().add("Region", DataTypes.StringType);
    InternalRow row = new PartitionValues(s, ZoneId.of("UTC"), "t").row(Map.of("region", "eu"));
    assertThat(row.getUTF8String(0).toString()).isEqualTo("eu");
  }

  @Test
  void badValuesNameTableColumnAndValue() {
    StructType s = new StructType().add("n", DataTypes.IntegerType);
    assertThatThrownBy(
            () -> new PartitionValues(s, ZoneId.of("UTC"), "s.sc.t").row(Map.of("n", "x1")))
        .hasMessageContaining("s.sc.t")
        .hasMessageContaining("'x1'")
        .hasMessageContaining("column n");
    StructType d = new StructType().add("d", DataTypes.createDecimalType(3, 2));
    assertThatThrownBy(
            () -> new PartitionValues(d, ZoneId.of("UTC"), "s.sc.t").row(Map.of("d", "123.4")))
        .hasMessageContaining("'123.4'");
  }
}
