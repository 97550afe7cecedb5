package io.lakeshare.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.PrunedFilteredScan;
import org.apache.spark.sql.types.StructType;

/**
 * The data source V1 face of a shared table. Spark uses it only for catalog tables when the session
 * catalog is replaced by another one (such as Delta's {@code DeltaCatalog}), because Spark then
 * resolves {@code USING deltaSharing} tables through V1. It plans through the same scan as the V2
 * path (same hints, same URL refresh) and reads rows instead of columnar batches.
 */
final class DeltaSharingRelation extends BaseRelation implements PrunedFilteredScan {
  private final SQLContext sqlContext;
  private final DeltaSharingTable table;

  DeltaSharingRelation(SQLContext sqlContext, DeltaSharingTable table) {
    this.sqlContext = sqlContext;
    this.table = table;
  }

  @Override
  public SQLContext sqlContext() {
    return sqlContext;
  }

  @Override
  public StructType schema() {
    return table.schema();
  }

  /** The RDD holds Spark's internal rows, as the V2 readers produce them. */
  @Override
  public boolean needConversion() {
    return false;
  }

  /** Every filter is also evaluated by Spark: server hints only prune files. */
  @Override
  public Filter[] unhandledFilters(Filter[] filters) {
    return filters;
  }

  @Override
  public RDD<Row> buildScan(String[] requiredColumns, Filter[] filters) {
    DeltaSharingScanBuilder builder = new DeltaSharingScanBuilder(table);
    List<Predicate> predicates = new ArrayList<>();
    for (Filter f : filters) {
      try {
        predicates.add(f.toV2());
      } catch (RuntimeException e) {
        // not expressible as a V2 predicate: Spark evaluates it anyway
      }
    }
    builder.pushPredicates(predicates.toArray(new Predicate[0]));
    StructType required = new StructType();
    for (String c : requiredColumns) {
      required = required.add(table.schema().apply(c));
    }
    builder.pruneColumns(required);
    DeltaSharingScan scan = (DeltaSharingScan) builder.build();
    InputPartition[] partitions = scan.planInputPartitions();
    String[] produced = scan.readSchema().fieldNames();
    int[] order = new int[requiredColumns.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = Arrays.asList(produced).indexOf(requiredColumns[i]);
    }
    return SparkInternals.rowRdd(
        sqlContext.sparkSession(),
        partitions,
        scan.createReaderFactory(),
        scan.readSchema(),
        order);
  }
}
