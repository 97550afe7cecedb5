package io.lakeshare.spark;

import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.spark.read.HttpReadSettings;
import io.lakeshare.spark.read.SharingPaths;
import io.lakeshare.spark.read.UrlRefresher;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Reads a list of files of a change data feed or a stream into the requested columns. Data files
 * ({@code add}, {@code remove}, snapshot {@code file}) hold the table's data columns; change files
 * ({@code cdf}) also hold {@code _change_type}. Each layout gets its own Parquet reader, its own
 * constant columns (partition values, change type, commit version and time), and its columns are
 * put back into the requested order. Under column mapping the Parquet reader is asked for the
 * physical column names and its columns are handed on by position. When a file has a deletion
 * vector, the reader also returns each row's index in its file, which selects the rows to keep and
 * is then dropped.
 */
final class FilesBatch {
  static final int DATA = 0;
  static final int CHANGES = 1;

  private final DeltaSharingTable table;
  private final StructType out;
  private final List<PlannedFile> files;
  private final String scanKey;
  private final UrlRefresher refresher;
  private final Filter[] dataFilters;
  private final Layout[] layouts = new Layout[2];
  private boolean alwaysRowIndexes;

  /**
   * One file layout: what Parquet decodes (logical names), what is constant per file, the final
   * column order, and the partition columns among the constants (with their positions there).
   */
  private record Layout(
      StructType physical,
      StructType read,
      StructType constants,
      int[] order,
      StructType partitions,
      int[] partitionSlots) {}

  /** The read schema field Spark's Parquet reader fills with each row's index in its file. */
  static final String ROW_INDEX = SparkInternals.rowIndexColumnName();

  FilesBatch(
      DeltaSharingTable table,
      StructType out,
      List<PlannedFile> files,
      String scanKey,
      UrlRefresher refresher) {
    this(table, out, files, scanKey, refresher, new Filter[0]);
  }

  /**
   * @param dataFilters filters on data columns for Parquet row-group skipping (exact ones only)
   */
  FilesBatch(
      DeltaSharingTable table,
      StructType out,
      List<PlannedFile> files,
      String scanKey,
      UrlRefresher refresher,
      Filter[] dataFilters) {
    this.table = table;
    this.out = out;
    this.files = files;
    this.scanKey = scanKey;
    this.refresher = refresher;
    this.dataFilters = dataFilters;
    StructType data = table.dataSchema();
    layouts[DATA] = layout(data);
    layouts[CHANGES] =
        layout(
            data.add(ChangeColumns.CHANGE_TYPE, org.apache.spark.sql.types.DataTypes.StringType));
  }

  private Layout layout(StructType physical) {
    Set<String> phys =
        java.util.Arrays.stream(physical.fieldNames())
            .map(n -> n.toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    StructType read = new StructType();
    StructType constants = new StructType();
    for (StructField f : out.fields()) {
      if (phys.contains(f.name().toLowerCase(Locale.ROOT))) {
        read = read.add(f);
      } else {
        constants = constants.add(f);
      }
    }
    List<String> produced = new ArrayList<>();
    for (StructField f : read.fields()) {
      produced.add(f.name());
    }
    for (StructField f : constants.fields()) {
      produced.add(f.name());
    }
    int[] order = new int[out.length()];
    for (int i = 0; i < order.length; i++) {
      order[i] = produced.indexOf(out.fields()[i].name());
    }
    StructType partitions = new StructType();
    List<Integer> slots = new ArrayList<>();
    for (int i = 0; i < constants.length(); i++) {
      if (!ChangeColumns.isChangeColumn(constants.fields()[i].name())) {
        partitions = partitions.add(constants.fields()[i]);
        slots.add(i);
      }
    }
    return new Layout(
        physical,
        read,
        constants,
        order,
        partitions,
        slots.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int layoutOf(PlannedFile f) {
    return f.kind() == FileAction.Kind.CDF ? CHANGES : DATA;
  }

  InputPartition[] planInputPartitions() {
    SparkSession spark = SparkSession.active();
    ZoneId zone = ZoneId.of(SparkInternals.sessionTimeZone());
    List<InputPartition> out = new ArrayList<>();
    for (int layout = DATA; layout <= CHANGES; layout++) {
      List<PlannedFile> group = new ArrayList<>();
      for (PlannedFile f : files) {
        if (layoutOf(f) == layout) {
          group.add(f);
        }
      }
      if (group.isEmpty()) {
        continue;
      }
      long[] sizes = new long[group.size()];
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = group.get(i).size();
      }
      long openCost = SparkInternals.openCostInBytes();
      long maxSplit =
          FilePacking.maxSplitBytes(
              sizes,
              SparkInternals.maxPartitionBytes(),
              openCost,
              SparkInternals.minPartitionNum(spark));
      Layout l = layouts[layout];
      ColumnMapping mapping = table.columnMapping();
      String[] keys = new String[l.partitions().length()];
      for (int k = 0; k < keys.length; k++) {
        keys[k] = mapping.physicalName(l.partitions().fields()[k].name());
      }
      PartitionValues values = new PartitionValues(l.partitions(), keys, zone, table.name());
      // once per layout: asked per task it made planning quadratic (tasks x files)
      boolean layoutSelectsRows = false;
      for (PlannedFile f : group) {
        if (f.selectsRows()) {
          layoutSelectsRows = true;
          break;
        }
      }
      for (List<FilePacking.Slice> slices : FilePacking.pack(sizes, maxSplit, openCost)) {
        PartitionedFile[] parts = new PartitionedFile[slices.size()];
        RowSelection[] selections = new RowSelection[parts.length];
        Map<String, PlannedFile> distinct = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
          FilePacking.Slice s = slices.get(i);
          PlannedFile f = group.get(s.file());
          distinct.put(f.id() + "/" + f.deletedId() + "/" + f.keepOnlyId(), f);
          selections[i] = RowSelection.of(f);
          parts[i] =
              SparkInternals.partitionedFile(
                  constants(l, values, f),
                  SharingPaths.pathOf(scanKey, f.id(), f.size()),
                  s.start(),
                  s.length(),
                  f.size());
        }
        Map<String, io.lakeshare.spark.read.FileUrl> urls = new LinkedHashMap<>();
        for (PlannedFile f : distinct.values()) {
          f.putUrls(urls);
        }
        String[] ids = new String[urls.size()];
        String[] urlTexts = new String[ids.length];
        long[] expiries = new long[ids.length];
        int i = 0;
        for (Map.Entry<String, io.lakeshare.spark.read.FileUrl> e : urls.entrySet()) {
          ids[i] = e.getKey();
          urlTexts[i] = e.getValue().url();
          expiries[i] = e.getValue().expiresAtMillis();
          i++;
        }
        int index = out.size();
        out.add(
            new SharingInputPartition(
                SparkInternals.filePartition(index, parts),
                layout,
                scanKey,
                refresher,
                ids,
                urlTexts,
                expiries,
                layoutSelectsRows ? selections : null));
      }
    }
    return out.toArray(new InputPartition[0]);
  }

  /** The constant columns of one file: partition values and the change columns. */
  private static InternalRow constants(Layout l, PartitionValues values, PlannedFile f) {
    StructType constants = l.constants();
    if (l.partitions().length() == constants.length()) {
      return values.row(f.partitionValues());
    }
    Object[] row = new Object[constants.length()];
    InternalRow pv = values.row(f.partitionValues());
    int[] slots = l.partitionSlots();
    for (int p = 0; p < slots.length; p++) {
      row[slots[p]] = pv.isNullAt(p) ? null : pv.get(p, l.partitions().fields()[p].dataType());
    }
    for (int i = 0; i < row.length; i++) {
      switch (constants.fields()[i].name().toLowerCase(Locale.ROOT)) {
        case ChangeColumns.CHANGE_TYPE ->
            row[i] =
                UTF8String.fromString(f.kind() == FileAction.Kind.REMOVE ? "delete" : "insert");
        case ChangeColumns.COMMIT_VERSION -> row[i] = f.version() < 0 ? null : f.version();
        case ChangeColumns.COMMIT_TIMESTAMP ->
            row[i] = f.timestamp() < 0 ? null : f.timestamp() * 1000L;
        default -> {
          // a partition column, filled above
        }
      }
    }
    return new GenericInternalRow(row);
  }

  /**
   * Makes every read return row indexes, whatever the files planned now: a stream's reader factory
   * is made once, before the files of its micro-batches are known.
   */
  FilesBatch withRowIndexes() {
    alwaysRowIndexes = true;
    return this;
  }

  /** Whether some file of a layout has rows to skip, so its reads need row indexes. */
  private boolean selectsRows(int layout) {
    for (PlannedFile f : files) {
      if (layoutOf(f) == layout && f.selectsRows()) {
        return true;
      }
    }
    return false;
  }

  PartitionReaderFactory createReaderFactory(HttpReadSettings settings) {
    SparkSession spark = SparkSession.active();
    ColumnMapping mapping = table.columnMapping();
    PartitionReaderFactory[] factories = new PartitionReaderFactory[layouts.length];
    int[][] orders = new int[layouts.length][];
    for (int i = 0; i < layouts.length; i++) {
      if (i == CHANGES && !table.readOptions().readChangeFeed()) {
        continue; // only change data feed reads meet cdf files
      }
      Layout l = layouts[i];
      StructType read = mapping.physical(l.read());
      int rowIndex = -1;
      if (alwaysRowIndexes || selectsRows(i)) {
        rowIndex = read.length();
        read = read.add(ROW_INDEX, org.apache.spark.sql.types.DataTypes.LongType, true);
      }
      PartitionReaderFactory parquet =
          SparkInternals.parquetReaderFactory(
              spark,
              mapping.physical(l.physical()),
              read,
              l.constants(),
              i == DATA ? PhysicalFilters.rename(dataFilters, mapping) : new Filter[0],
              table.conf());
      factories[i] =
          new SharingReaderFactory(
              parquet,
              table.name(),
              settings,
              rowIndex,
              types(read, l),
              table.conf().maxConnections(),
              table.conf().timeout().toMillis());
      orders[i] = l.order();
    }
    return new LayoutReaderFactory(factories, orders, out);
  }

  /** The types of the reader's columns: the read schema, then the constants. */
  private static DataType[] types(StructType read, Layout l) {
    DataType[] out = new DataType[read.length() + l.constants().length()];
    for (int i = 0; i < read.length(); i++) {
      out[i] = read.fields()[i].dataType();
    }
    for (int i = 0; i < l.constants().length(); i++) {
      out[read.length() + i] = l.constants().fields()[i].dataType();
    }
    return out;
  }
}
