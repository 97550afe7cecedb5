package io.lakeshare.spark;

import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.protocol.model.MetadataLine;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.predicate.JsonPredicates;
import io.lakeshare.spark.pushdown.PushdownConverter;
import io.lakeshare.spark.read.HttpReadSettings;
import io.lakeshare.spark.read.UrlRefresher;
import io.lakeshare.spark.read.UrlRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A planned snapshot read. The server is asked for the file list once, lazily, when Spark first
 * needs statistics or partitions; the URLs are then kept fresh by the driver until the scan is no
 * longer used.
 */
final class DeltaSharingScan implements SupportsReportStatistics, Batch {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaSharingScan.class);
  private static final Statistics UNKNOWN =
      new Statistics() {
        @Override
        public OptionalLong sizeInBytes() {
          return OptionalLong.empty();
        }

        @Override
        public OptionalLong numRows() {
          return OptionalLong.empty();
        }
      };

  private final DeltaSharingTable table;
  private final StructType readDataSchema;
  private final StructType readPartitionSchema;
  private final Predicate[] dataPredicates;
  private final PushdownConverter.Hints hints;
  private final Integer limit;
  private final String scanKey = UUID.randomUUID().toString().replace("-", "");
  private FileListing listing;
  private InputPartition[] partitions;
  private UrlRefresher refresher;
  private long planningMillis = -1;
  private volatile boolean streaming;

  DeltaSharingScan(
      DeltaSharingTable table,
      StructType readDataSchema,
      StructType readPartitionSchema,
      Predicate[] dataPredicates,
      PushdownConverter.Hints hints,
      Integer limit) {
    this.table = table;
    this.readDataSchema = readDataSchema;
    this.readPartitionSchema = readPartitionSchema;
    this.dataPredicates = dataPredicates;
    this.hints = hints;
    this.limit = limit;
  }

  /**
   * The columns read, in the table's order. A batch scan's output is matched to its relation by
   * name, but a micro-batch scan's is taken by position as the table's schema (Spark does not prune
   * a stream's columns), so moving partition columns to the end would hand a stream one column's
   * values under another's name.
   */
  @Override
  public StructType readSchema() {
    List<StructField> read = new ArrayList<>(List.of(readDataSchema.fields()));
    read.addAll(List.of(readPartitionSchema.fields()));
    StructType s = new StructType();
    for (StructField t : table.schema().fields()) {
      for (java.util.Iterator<StructField> it = read.iterator(); it.hasNext(); ) {
        StructField f = it.next();
        if (f.name().equalsIgnoreCase(t.name())) {
          s = s.add(f);
          it.remove();
          break;
        }
      }
    }
    for (StructField f : read) {
      s = s.add(f); // none expected: every read column is a table column
    }
    return s;
  }

  @Override
  public String description() {
    StringBuilder sb = new StringBuilder("DeltaSharingScan ").append(table.name());
    ReadOptions o = table.readOptions();
    if (o.versionAsOf() != null) {
      sb.append(" versionAsOf=").append(o.versionAsOf());
    }
    if (o.timestampAsOf() != null) {
      sb.append(" timestampAsOf=").append(o.timestampAsOf());
    }
    if (o.accessMode() != ReadOptions.AccessMode.URL) {
      sb.append(" accessMode=").append(o.accessMode().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (hints.json() != null) {
      sb.append(" jsonPredicateHints=").append(JsonPredicates.toJson(hints.json()));
    }
    if (!hints.sql().isEmpty()) {
      sb.append(" predicateHints=").append(hints.sql());
    }
    if (limit != null) {
      sb.append(" limitHint=").append(limit);
    }
    org.apache.spark.sql.sources.Filter[] v1 = SparkInternals.toV1(dataPredicates);
    if (v1.length > 0) {
      sb.append(" rowGroupFilters=").append(java.util.Arrays.toString(v1));
    }
    return sb.toString();
  }

  @Override
  public Batch toBatch() {
    table.readOptions().checkBatch(table.name());
    return this;
  }

  @Override
  public org.apache.spark.sql.connector.read.streaming.MicroBatchStream toMicroBatchStream(
      String checkpointLocation) {
    streaming = true;
    return new SharingMicroBatchStream(table, readSchema(), checkpointLocation);
  }

  /** The file list, asking the server on first use. */
  synchronized FileListing listing() {
    if (listing != null) {
      return listing;
    }
    long start = System.nanoTime();
    ConnectorConf conf = table.conf();
    ReadOptions opts = table.readOptions();
    DirectoryRefresher dir = DirectoryRefresher.forTable(table);
    if (dir != null) {
      return listDirectory(dir, start);
    }
    QueryTableRequest.Builder req = QueryTableRequest.builder();
    if (hints.json() != null) {
      req.jsonPredicateHints(JsonPredicates.toJson(hints.json()));
    }
    if (!hints.sql().isEmpty()) {
      req.predicateHints(hints.sql());
    }
    if (limit != null && conf.limitPushdown()) {
      req.limitHint((long) limit);
    }
    req.version(opts.versionAsOf()).timestamp(opts.timestampAsOf());
    boolean latest = opts.versionAsOf() == null && opts.timestampAsOf() == null;
    if (latest) {
      req.includeRefreshToken(true);
    }
    QueryTableRequest request = req.build();
    FileListing l;
    try {
      l =
          conf.useAsyncQuery()
              ? QueryRunner.runAsync(
                  table.client(),
                  table.location().table(),
                  request,
                  conf.pagination(),
                  conf.maxFilesPerQuery(),
                  opts.responseFormat(),
                  conf.asyncQueryRetryInterval(),
                  conf.asyncQueryTimeout())
              : QueryRunner.run(
                  table.client(),
                  table.location().table(),
                  request,
                  conf.pagination(),
                  conf.maxFilesPerQuery(),
                  opts.responseFormat());
    } catch (DeltaSharingException e) {
      throw ConnectorErrors.server(table.name(), "listing the table's files", e);
    }
    checkSameTable(l.metadata());
    TableLocation loc = table.location();
    QueryTableRequest.Builder again = request.toBuilder().includeRefreshToken(null);
    if (latest && l.refreshToken() == null) {
      // the server gives no refresh token: pin the version we got instead
      again.version(l.version() >= 0 ? l.version() : null);
    }
    refresher =
        new SnapshotRefresher(
            loc.profile(),
            conf,
            opts.callerOrg(),
            loc.table(),
            again.build(),
            l.refreshToken(),
            opts.responseFormat());
    return keep(l, start, "");
  }

  /** Registers the listed files' locations for the scan's reads and keeps the listing. */
  private FileListing keep(FileListing l, long start, String from) {
    ConnectorConf conf = table.conf();
    UrlRegistry.get()
        .attachOwned(
            scanKey,
            table.name(),
            refresher,
            readSettings(),
            PlannedFile.urlsById(l.files()),
            this,
            conf.refreshThreshold().toMillis(),
            conf.accessThreshold().toMillis());
    listing = l;
    planningMillis = (System.nanoTime() - start) / 1_000_000;
    LOG.info(
        "Delta Sharing table {} version {}: {} files listed{} in {} ms",
        table.name(),
        l.version(),
        l.files().size(),
        from,
        planningMillis);
    return l;
  }

  private FileListing listDirectory(DirectoryRefresher dir, long start) {
    MetadataLine m = table.metadata();
    FileListing l =
        DirectoryListing.list(
            table.name(),
            dir,
            table.readOptions(),
            m.schemaString(),
            m.partitionColumns(),
            hints.json());
    refresher = dir;
    return keep(
        new FileListing(l.version(), m, List.of(), l.files(), null),
        start,
        " from its directory " + dir.credentials().root());
  }

  private void checkSameTable(MetadataLine now) {
    MetadataLine then = table.metadata();
    if (!Objects.equals(then.schemaString(), now.schemaString())
        || !Objects.equals(then.partitionColumns(), now.partitionColumns())) {
      throw ConnectorErrors.schemaChanged(table.name());
    }
  }

  private HttpReadSettings readSettings() {
    return table.conf().readSettings();
  }

  @Override
  public Statistics estimateStatistics() {
    if (streaming) {
      // A stream reads its files through SharingMicroBatchStream; listing the whole table here
      // for statistics would cost a full snapshot query and keep every URL of the table
      // registered while the stream runs.
      return UNKNOWN;
    }
    FileListing l = listing();
    long bytes = 0;
    long rows = 0;
    boolean rowsKnown = true;
    for (PlannedFile f : l.files()) {
      bytes += f.size();
      if (f.numRecords() < 0) {
        rowsKnown = false;
      } else {
        rows += f.numRecords();
      }
    }
    long sizeInBytes = bytes;
    OptionalLong numRows = rowsKnown ? OptionalLong.of(rows) : OptionalLong.empty();
    return new Statistics() {
      @Override
      public OptionalLong sizeInBytes() {
        return OptionalLong.of(sizeInBytes);
      }

      @Override
      public OptionalLong numRows() {
        return numRows;
      }
    };
  }

  /**
   * Spark plans the partitions once per physical scan node, and its planner makes two nodes for the
   * same scan (the strategy and RemoveRedundantProjects both ask whether the scan is columnar);
   * with 100,000 files each packing costs about half a second, so it is done once per scan.
   */
  @Override
  public synchronized InputPartition[] planInputPartitions() {
    if (partitions == null) {
      partitions = packPartitions();
    }
    return partitions.clone();
  }

  private InputPartition[] packPartitions() {
    return files().planInputPartitions();
  }

  /** The listed files as Spark reads them: the same path as change feeds and streams. */
  private FilesBatch files() {
    FileListing l = listing();
    return new FilesBatch(
        table, readSchema(), l.files(), scanKey, refresher, SparkInternals.toV1(dataPredicates));
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return files().createReaderFactory(readSettings());
  }

  @Override
  public org.apache.spark.sql.connector.metric.CustomMetric[] supportedCustomMetrics() {
    return ScanMetrics.supported();
  }

  @Override
  public org.apache.spark.sql.connector.metric.CustomTaskMetric[] reportDriverMetrics() {
    FileListing l;
    synchronized (this) {
      l = listing;
    }
    if (l == null) {
      // Nothing was listed: Spark also asks a stream's scan, whose files the stream lists itself.
      return new org.apache.spark.sql.connector.metric.CustomTaskMetric[0];
    }
    long bytes = 0;
    for (PlannedFile f : l.files()) {
      bytes += f.size();
    }
    return new org.apache.spark.sql.connector.metric.CustomTaskMetric[] {
      ScanMetrics.value(ScanMetrics.FILES_LISTED, l.files().size()),
      ScanMetrics.value(ScanMetrics.BYTES_LISTED, bytes),
      ScanMetrics.value(ScanMetrics.PLANNING_MS, Math.max(0, planningMillis))
    };
  }

  /** Milliseconds the server query took, or -1 before planning (benchmarks). */
  long planningMillis() {
    return planningMillis;
  }

  String scanKey() {
    return scanKey;
  }
}
