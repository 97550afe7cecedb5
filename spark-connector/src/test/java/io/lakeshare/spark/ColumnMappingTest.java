package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ColumnMappingTest {
  private static Metadata physical(String name, long id) {
    return new MetadataBuilder()
        .putString("delta.columnMapping.physicalName", name)
        .putLong("delta.columnMapping.id", id)
        .putString("comment", "kept")
        .build();
  }

  private static StructField field(String name, DataType type, String phys, long id) {
    return new StructField(name, type, true, physical(phys, id));
  }

  /** id, s struct(x2), tags array<struct(k)>, m map<string, struct(v)>, region (partition). */
  private static final StructType STORED =
      new StructType(
          new StructField[] {
            field("id", DataTypes.LongType, "col-id", 1),
            field(
                "s",
                new StructType(new StructField[] {field("x2", DataTypes.IntegerType, "col-x", 2)}),
                "col-s",
                3),
            field(
                "tags",
                new ArrayType(
                    new StructType(
                        new StructField[] {field("k", DataTypes.StringType, "col-k", 4)}),
                    true),
                "col-tags",
                5),
            field(
                "m",
                new MapType(
                    DataTypes.StringType,
                    new StructType(
                        new StructField[] {field("v", DataTypes.StringType, "col-v", 6)}),
                    true),
                "col-m",
                7),
            field("region", DataTypes.StringType, "col-region", 8)
          });

  @Test
  void tablesWithoutModeNoneGetTheIdentity() {
    assertThat(ColumnMapping.of(STORED, Map.of()).isIdentity()).isTrue();
    assertThat(ColumnMapping.of(STORED, Map.of("delta.columnMapping.mode", "none")).isIdentity())
        .isTrue();
    assertThat(ColumnMapping.NONE.physical(STORED)).isSameAs(STORED);
  }

  @Test
  void physicalSchemaRenamesEveryLevelAndKeepsTypes() {
    ColumnMapping m = ColumnMapping.of(STORED, Map.of("delta.columnMapping.mode", "name"));
    StructType logical = ColumnMapping.logical(STORED);
    StructType phys = m.physical(logical);
    assertThat(phys.fieldNames())
        .containsExactly("col-id", "col-s", "col-tags", "col-m", "col-region");
    assertThat(((StructType) phys.apply("col-s").dataType()).fieldNames()).containsExactly("col-x");
    StructType element = (StructType) ((ArrayType) phys.apply("col-tags").dataType()).elementType();
    assertThat(element.fieldNames()).containsExactly("col-k");
    StructType value = (StructType) ((MapType) phys.apply("col-m").dataType()).valueType();
    assertThat(value.fieldNames()).containsExactly("col-v");
    // a pruned request maps only what it holds, in its order
    StructType pruned =
        new StructType()
            .add("region", DataTypes.StringType)
            .add("s", new StructType().add("x2", DataTypes.IntegerType));
    assertThat(m.physical(pruned).simpleString())
        .isEqualTo("struct<col-region:string,col-s:struct<col-x:int>>");
    // case-insensitive, as Spark resolves columns
    assertThat(m.physicalName("REGION")).isEqualTo("col-region");
    assertThat(m.physicalPath(new String[] {"s", "x2"})).isEqualTo("col-s.col-x");
    assertThat(m.physicalPath(new String[] {"s", "nope"})).isNull();
  }

  @Test
  void logicalSchemaDropsOnlyColumnMappingMetadata() {
    StructType logical = ColumnMapping.logical(STORED);
    assertThat(logical.json()).doesNotContain("delta.columnMapping");
    assertThat(logical.apply("id").metadata().getString("comment")).isEqualTo("kept");
    assertThat(((StructType) logical.apply("s").dataType()).apply("x2").metadata().json())
        .doesNotContain("delta.columnMapping");
    assertThat(logical.fieldNames()).containsExactly(STORED.fieldNames());
  }
}
