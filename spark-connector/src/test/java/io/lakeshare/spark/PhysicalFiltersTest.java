package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PhysicalFiltersTest {
  private static final ColumnMapping MAPPING =
      ColumnMapping.of(
          new StructType(
              new StructField[] {
                new StructField(
                    "a",
                    DataTypes.IntegerType,
                    true,
                    new MetadataBuilder()
                        .putString("delta.columnMapping.physicalName", "col-a")
                        .build()),
                new StructField(
                    "s",
                    new StructType(
                        new StructField[] {
                          new StructField(
                              "x",
                              DataTypes.IntegerType,
                              true,
                              new MetadataBuilder()
                                  .putString("delta.columnMapping.physicalName", "col-x")
                                  .build())
                        }),
                    true,
                    new MetadataBuilder()
                        .putString("delta.columnMapping.physicalName", "col-s")
                        .build())
              }),
          Map.of("delta.columnMapping.mode", "name"));

  private static Filter[] rename(Filter... filters) {
    return PhysicalFilters.rename(filters, MAPPING);
  }

  @Test
  void leavesAndNestedColumnsAreRenamed() {
    assertThat(rename(new EqualTo("a", 1), new GreaterThan("s.x", 2), new IsNull("a")))
        .containsExactly(
            new EqualTo("col-a", 1), new GreaterThan("col-s.col-x", 2), new IsNull("col-a"));
  }

  @Test
  void unknownOrQuotedColumnsAreDroppedNeverGuessed() {
    assertThat(rename(new EqualTo("b", 1), new EqualTo("`a`", 1))).isEmpty();
  }

  @Test
  void weakeningIsOnlyAllowedWhereItKeepsMoreRowGroups() {
    // AND may lose a side (weaker, sound)
    assertThat(rename(new And(new EqualTo("a", 1), new EqualTo("b", 2))))
        .containsExactly(new EqualTo("col-a", 1));
    // OR and NOT may not: Or(x, unknown) weakened to x, or Not(weakened), would drop row groups
    assertThat(rename(new Or(new EqualTo("a", 1), new EqualTo("b", 2)))).isEmpty();
    assertThat(rename(new Not(new And(new EqualTo("a", 1), new EqualTo("b", 2))))).isEmpty();
    assertThat(rename(new Not(new EqualTo("a", 1))))
        .containsExactly(new Not(new EqualTo("col-a", 1)));
  }

  @Test
  void identityMappingPassesFiltersThrough() {
    Filter[] f = {new EqualTo("x", 1)};
    assertThat(PhysicalFilters.rename(f, ColumnMapping.NONE)).isSameAs(f);
  }
}
