package io.lakeshare.spark;

import io.lakeshare.spark.pushdown.PushdownConverter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.connector.read.SupportsPushDownV2Filters;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what Spark pushes: predicates become server hints (and Parquet row-group filters) but
 * all of them are still evaluated by Spark; the required columns decide what is decoded; a limit
 * becomes {@code limitHint}.
 */
final class DeltaSharingScanBuilder
    implements ScanBuilder,
        SupportsPushDownV2Filters,
        SupportsPushDownRequiredColumns,
        SupportsPushDownLimit {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaSharingScanBuilder.class);

  private final DeltaSharingTable table;
  private StructType required;
  private Predicate[] predicates = new Predicate[0];
  private PushdownConverter.Hints hints = new PushdownConverter.Hints(null, List.of(), List.of());
  private Integer limit;

  DeltaSharingScanBuilder(DeltaSharingTable table) {
    this.table = table;
    this.required = table.schema();
  }

  @Override
  public Predicate[] pushPredicates(Predicate[] given) {
    predicates = given;
    if (table.readOptions().readChangeFeed()) {
      // like the reference connector, change reads send no hints: Spark filters the rows
      return given;
    }
    ConnectorConf conf = table.conf();
    if (conf.jsonHints() || !table.partitionColumns().isEmpty()) {
      Predicate[] candidates = conf.jsonV2Hints() ? given : partitionOnly(given);
      try {
        hints =
            new PushdownConverter(
                    table.schema(), table.partitionColumns(), SparkInternals.caseSensitive())
                .convert(candidates);
        if (!conf.jsonHints()) {
          hints = new PushdownConverter.Hints(null, hints.sql(), List.of());
        }
      } catch (RuntimeException e) {
        // a hint is an optimization only: never fail the query because of it
        LOG.warn("Could not turn filters into hints for table {}: {}", table.name(), e.toString());
        hints = new PushdownConverter.Hints(null, List.of(), List.of());
      }
    }
    return given;
  }

  private Predicate[] partitionOnly(Predicate[] given) {
    Set<String> parts = lower(table.partitionColumns());
    List<Predicate> out = new ArrayList<>();
    for (Predicate p : given) {
      if (Arrays.stream(p.references())
          .allMatch(
              r ->
                  r.fieldNames().length == 1
                      && parts.contains(r.fieldNames()[0].toLowerCase(Locale.ROOT)))) {
        out.add(p);
      }
    }
    return out.toArray(new Predicate[0]);
  }

  private static Set<String> lower(List<String> names) {
    Set<String> s = new HashSet<>();
    for (String n : names) {
      s.add(n.toLowerCase(Locale.ROOT));
    }
    return s;
  }

  @Override
  public Predicate[] pushedPredicates() {
    return hints.converted().toArray(new Predicate[0]);
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    required = requiredSchema;
  }

  @Override
  public boolean pushLimit(int n) {
    if (table.readOptions().readChangeFeed()) {
      return false;
    }
    limit = n;
    return true;
  }

  @Override
  public boolean isPartiallyPushed() {
    return true;
  }

  @Override
  public Scan build() {
    if (table.readOptions().readChangeFeed()) {
      return new ChangeFeedScan(table, required);
    }
    Set<String> parts = lower(table.partitionColumns());
    StructType data = new StructType();
    for (StructField f : required.fields()) {
      if (!parts.contains(f.name().toLowerCase(Locale.ROOT))) {
        data = data.add(f);
      }
    }
    StructType partitions = new StructType();
    for (String p : table.partitionColumns()) {
      for (StructField f : required.fields()) {
        if (f.name().equalsIgnoreCase(p)) {
          partitions = partitions.add(f);
        }
      }
    }
    List<Predicate> dataPredicates = new ArrayList<>();
    for (Predicate p : predicates) {
      boolean touchesPartition = false;
      for (NamedReference r : p.references()) {
        if (parts.contains(String.join(".", r.fieldNames()).toLowerCase(Locale.ROOT))) {
          touchesPartition = true;
        }
      }
      if (!touchesPartition) {
        dataPredicates.add(p);
      }
    }
    return new DeltaSharingScan(
        table, data, partitions, dataPredicates.toArray(new Predicate[0]), hints, limit);
  }
}
