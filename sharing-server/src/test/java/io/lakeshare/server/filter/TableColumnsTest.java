package io.lakeshare.server.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableColumnsTest {

  @Test
  void readsTopLevelPrimitiveTypes() {
    String schema =
        new SchemaJson()
            .field("s", "string")
            .field("l", "long")
            .field("i", "integer")
            .field("sh", "short")
            .field("b", "byte")
            .field("f", "float")
            .field("d", "double")
            .field("bo", "boolean")
            .field("da", "date")
            .field("ts", "timestamp")
            .field("ntz", "timestamp_ntz")
            .field("dec", "decimal(12,3)")
            .field("bin", "binary")
            .field("v", "variant")
            .structField("st")
            .toString();

    TableColumns t = TableColumns.fromSchemaString(schema, List.of());

    assertThat(t.find("s").kind()).isEqualTo(ColumnKind.STRING);
    assertThat(t.find("l").kind()).isEqualTo(ColumnKind.LONG);
    assertThat(t.find("i").kind()).isEqualTo(ColumnKind.INT);
    assertThat(t.find("sh").kind()).isEqualTo(ColumnKind.SHORT);
    assertThat(t.find("b").kind()).isEqualTo(ColumnKind.BYTE);
    assertThat(t.find("f").kind()).isEqualTo(ColumnKind.FLOAT);
    assertThat(t.find("d").kind()).isEqualTo(ColumnKind.DOUBLE);
    assertThat(t.find("bo").kind()).isEqualTo(ColumnKind.BOOLEAN);
    assertThat(t.find("da").kind()).isEqualTo(ColumnKind.DATE);
    assertThat(t.find("ts").kind()).isEqualTo(ColumnKind.TIMESTAMP);
    assertThat(t.find("ntz").kind()).isEqualTo(ColumnKind.TIMESTAMP_NTZ);
    assertThat(t.find("dec"))
        .extracting(ColumnInfo::kind, ColumnInfo::precision, ColumnInfo::scale)
        .containsExactly(ColumnKind.DECIMAL, 12, 3);
    assertThat(t.find("bin").kind()).isEqualTo(ColumnKind.BINARY);
    assertThat(t.find("v").kind()).isEqualTo(ColumnKind.OTHER);
    assertThat(t.find("st").kind()).isEqualTo(ColumnKind.OTHER);
    assertThat(t.isPartitioned()).isFalse();
  }

  @Test
  void lookupIsCaseInsensitiveAndFlagsPartitions() {
    String schema = new SchemaJson().field("Date", "date").field("value", "long").toString();

    TableColumns t = TableColumns.fromSchemaString(schema, List.of("date"));

    assertThat(t.find("DATE").name()).isEqualTo("Date");
    assertThat(t.find("date").partition()).isTrue();
    assertThat(t.find("VALUE").partition()).isFalse();
    assertThat(t.find("missing")).isNull();
    assertThat(t.isPartitioned()).isTrue();
  }

  @Test
  void columnsDifferingOnlyInCaseAreAmbiguousExceptForExactNames() {
    String schema = new SchemaJson().field("a", "long").field("A", "string").toString();

    TableColumns t = TableColumns.fromSchemaString(schema, List.of());

    assertThat(t.find("a").kind()).isEqualTo(ColumnKind.LONG);
    assertThat(t.find("A").kind()).isEqualTo(ColumnKind.STRING);
    assertThat(t.find("a ")).isNull();
  }

  @Test
  void charAndCollatedStringsAreNotComparedAsStrings() {
    String schema =
        new SchemaJson()
            .field("c", "string", "__CHAR_VARCHAR_TYPE_STRING", "char(5)")
            .field("v", "string", "__CHAR_VARCHAR_TYPE_STRING", "varchar(5)")
            .toString();
    String collated =
        "{\"type\":\"struct\",\"fields\":[{\"name\":\"u\",\"type\":\"string\",\"nullable\":true,"
            + "\"metadata\":{\"__COLLATIONS\":{\"u\":\"spark.UTF8_LCASE\"}}}]}";

    assertThat(TableColumns.fromSchemaString(schema, List.of()).find("c").kind())
        .isEqualTo(ColumnKind.OTHER);
    assertThat(TableColumns.fromSchemaString(schema, List.of()).find("v").kind())
        .isEqualTo(ColumnKind.STRING);
    assertThat(TableColumns.fromSchemaString(collated, List.of()).find("u").kind())
        .isEqualTo(ColumnKind.OTHER);
  }

  @Test
  void readsColumnMappingPhysicalNames() {
    String schema =
        new SchemaJson()
            .field("age", "integer", "delta.columnMapping.physicalName", "col-1234")
            .toString();

    ColumnInfo age = TableColumns.fromSchemaString(schema, List.of()).find("age");

    assertThat(age.physicalName()).isEqualTo("col-1234");
  }

  @Test
  void unreadableSchemaKeepsPartitionColumnsWithUnknownType() {
    TableColumns t = TableColumns.fromSchemaString("{not json", List.of("p"));

    assertThat(t.isPartitioned()).isTrue();
    assertThat(t.find("p").kind()).isEqualTo(ColumnKind.OTHER);
    assertThat(TableColumns.fromSchemaString(null, null).isPartitioned()).isFalse();
  }
}
