package io.lakeshare.server.demo;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the sample Delta table {@value #TABLE_NAME} that the server's {@code demo} command serves,
 * with Delta Kernel only (no Spark).
 *
 * <p>The table is partitioned by {@code region} and has three versions: version 0 creates it with
 * twelve rows over three regions, version 1 appends six rows including a new region, version 2
 * appends three rows (one with a null {@code product}). Every commit writes one Parquet file per
 * region, with per-file statistics, so the server can prune files by partition and by stats.
 */
public final class DemoTable {
  /** Name of the table's folder under the directory given to {@link #write(Path)}. */
  public static final String TABLE_NAME = "sales";

  /** The partition column. */
  public static final String PARTITION_COLUMN = "region";

  private static final Logger LOG = LoggerFactory.getLogger(DemoTable.class);
  private static final String ENGINE_INFO = "lakeshare-demo";
  private static final DecimalType AMOUNT_TYPE = new DecimalType(10, 2);

  static final StructType SCHEMA =
      new StructType()
          .add("id", LongType.LONG, true)
          .add("product", StringType.STRING, true)
          .add("amount", AMOUNT_TYPE, true)
          .add("sold_at", DateType.DATE, true)
          .add(PARTITION_COLUMN, StringType.STRING, true);

  private static final List<List<DemoRow>> VERSIONS =
      List.of(
          List.of(
              row(1, "widget", "19.99", "2024-01-03", "EU"),
              row(2, "gadget", "149.50", "2024-01-05", "EU"),
              row(3, "gizmo", "7.25", "2024-01-09", "EU"),
              row(4, "widget", "21.00", "2024-01-15", "EU"),
              row(5, "sprocket", "3.75", "2024-01-02", "US"),
              row(6, "gadget", "139.00", "2024-01-07", "US"),
              row(7, "widget", "18.49", "2024-01-11", "US"),
              row(8, "gizmo", "8.10", "2024-01-20", "US"),
              row(9, "gadget", "155.20", "2024-01-04", "APAC"),
              row(10, "sprocket", "4.05", "2024-01-08", "APAC"),
              row(11, "widget", "20.30", "2024-01-17", "APAC"),
              row(12, "gizmo", "6.95", "2024-01-29", "APAC")),
          List.of(
              row(13, "sprocket", "3.60", "2024-02-02", "EU"),
              row(14, "gadget", "151.00", "2024-02-12", "EU"),
              row(15, "widget", "19.25", "2024-02-06", "US"),
              row(16, "widget", "17.80", "2024-02-03", "LATAM"),
              row(17, "gizmo", "7.40", "2024-02-09", "LATAM"),
              row(18, "gadget", "142.75", "2024-02-21", "LATAM")),
          List.of(
              row(19, "widget", "22.10", "2024-03-01", "APAC"),
              row(20, null, "5.00", "2024-03-04", "APAC"),
              row(21, "gadget", "147.30", "2024-03-08", "US")));

  private DemoTable() {}

  /**
   * Writes the table into {@code dir/sales}, replacing a Delta table already there, and returns
   * where it is and what it holds. Refuses to touch a non-empty {@code dir/sales} that is not a
   * Delta table.
   */
  public static DemoInfo write(Path dir) {
    Path root = dir.toAbsolutePath().normalize().resolve(TABLE_NAME);
    clearPreviousTable(root);
    Engine engine = DefaultEngine.create(new Configuration());
    String tablePath = root.toString();
    long version = -1;
    long rowCount = 0;
    for (int i = 0; i < VERSIONS.size(); i++) {
      Transaction txn =
          i == 0
              ? TableManager.buildCreateTableTransaction(tablePath, SCHEMA, ENGINE_INFO)
                  .withDataLayoutSpec(
                      DataLayoutSpec.partitioned(List.of(new Column(PARTITION_COLUMN))))
                  .build(engine)
              : TableManager.loadSnapshot(tablePath)
                  .build(engine)
                  .buildUpdateTableTransaction(ENGINE_INFO, Operation.WRITE)
                  .build(engine);
      version = append(engine, txn, VERSIONS.get(i));
      rowCount += VERSIONS.get(i).size();
    }
    LOG.info("Wrote demo table {} at version {} with {} rows", root, version, rowCount);
    return new DemoInfo(root, version, rowCount);
  }

  /** Rows appended by each version, indexed by version number. */
  public static List<List<DemoRow>> rowsByVersion() {
    return VERSIONS;
  }

  /** All rows the table holds at {@code version}, in the order they were appended. */
  public static List<DemoRow> rowsAtVersion(long version) {
    if (version < 0 || version >= VERSIONS.size()) {
      throw new IllegalArgumentException(
          "demo table has versions 0 to " + (VERSIONS.size() - 1) + ", not " + version);
    }
    return VERSIONS.subList(0, (int) version + 1).stream().flatMap(List::stream).toList();
  }

  /** Writes one Parquet file per region in a single commit and returns the committed version. */
  private static long append(Engine engine, Transaction txn, List<DemoRow> rows) {
    Row txnState = txn.getTransactionState(engine);
    Map<String, List<DemoRow>> byRegion = new LinkedHashMap<>();
    rows.forEach(r -> byRegion.computeIfAbsent(r.region(), k -> new ArrayList<>()).add(r));
    List<Row> actions = new ArrayList<>();
    try {
      for (Map.Entry<String, List<DemoRow>> region : byRegion.entrySet()) {
        Map<String, Literal> partition =
            Map.of(PARTITION_COLUMN, Literal.ofString(region.getKey()));
        CloseableIterator<FilteredColumnarBatch> physical =
            Transaction.transformLogicalData(
                engine, txnState, iterator(List.of(batchOf(region.getValue()))), partition);
        DataWriteContext context = Transaction.getWriteContext(engine, txnState, partition);
        CloseableIterator<DataFileStatus> files =
            engine
                .getParquetHandler()
                .writeParquetFiles(
                    context.getTargetDirectory(), physical, context.getStatisticsColumns());
        try (CloseableIterator<Row> added =
            Transaction.generateAppendActions(engine, txnState, files, context)) {
          added.forEachRemaining(actions::add);
        }
      }
      TransactionCommitResult result =
          txn.commit(engine, CloseableIterable.inMemoryIterable(iterator(actions)));
      // Kernel leaves post-commit work (here: the version checksum file) to the caller.
      for (PostCommitHook hook : result.getPostCommitHooks()) {
        hook.threadSafeInvoke(engine);
      }
      return result.getVersion();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the demo table", e);
    }
  }

  private static FilteredColumnarBatch batchOf(List<DemoRow> rows) {
    List<ColumnVector> vectors =
        List.of(
            column(rows, SCHEMA.at(0), DemoRow::id),
            column(rows, SCHEMA.at(1), DemoRow::product),
            column(rows, SCHEMA.at(2), DemoRow::amount),
            column(rows, SCHEMA.at(3), r -> (int) r.soldAt().toEpochDay()),
            column(rows, SCHEMA.at(4), DemoRow::region));
    return new FilteredColumnarBatch(
        new ListColumnarBatch(SCHEMA, vectors, rows.size()), Optional.empty());
  }

  private static ColumnVector column(
      List<DemoRow> rows, StructField field, Function<DemoRow, Object> value) {
    return new ValueColumnVector(field.getDataType(), rows.stream().map(value).toList());
  }

  private static <T> CloseableIterator<T> iterator(List<T> items) {
    Iterator<T> it = items.iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  private static void clearPreviousTable(Path root) {
    try {
      if (!Files.exists(root)) {
        Files.createDirectories(root);
        return;
      }
      if (!Files.isDirectory(root)) {
        throw new IllegalStateException(root + " exists and is not a folder");
      }
      boolean empty;
      try (Stream<Path> children = Files.list(root)) {
        empty = children.findAny().isEmpty();
      }
      if (empty) {
        return;
      }
      if (!Files.isDirectory(root.resolve("_delta_log"))) {
        throw new IllegalStateException(
            root + " exists and is not a Delta table; move it away or choose another folder");
      }
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("could not clear " + root, e);
    }
  }

  private static DemoRow row(long id, String product, String amount, String soldAt, String region) {
    return new DemoRow(
        id,
        product,
        new BigDecimal(amount).setScale(AMOUNT_TYPE.getScale()),
        LocalDate.parse(soldAt),
        region);
  }
}
