package io.lakeshare.spark;

import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.ChangesRequest;
import io.lakeshare.protocol.model.MetadataLine;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.spark.read.FileUrl;
import io.lakeshare.spark.read.HttpReadSettings;
import io.lakeshare.spark.read.UrlRefresher;
import io.lakeshare.spark.read.UrlRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.CompositeReadLimit;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadAllAvailable;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadMaxFiles;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Structured Streaming over a shared table: the Spark side of {@link StreamPlanner}, which decides
 * the files of each micro-batch; this class asks the server, keeps the batch URLs fresh and reads
 * the files like a batch scan.
 */
final class SharingMicroBatchStream
    implements SupportsTriggerAvailableNow,
        org.apache.spark.sql.connector.read.streaming.MicroBatchStream {
  private static final Logger LOG = LoggerFactory.getLogger(SharingMicroBatchStream.class);

  /**
   * Runs the change queries streams ask for ahead of need: daemon threads, made when needed and
   * gone after a minute without work, shared by the streams of this JVM.
   */
  private static final ExecutorService PREFETCH =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          60,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "lakeshare-stream-prefetch");
            t.setDaemon(true);
            return t;
          });

  private final DeltaSharingTable table;
  private final StructType out;
  private final ReadOptions options;
  private final StreamPlanner planner;
  private final StreamPlanner.Server server;

  /** The table's directory access when the stream reads through it, else null. */
  private final DirectoryRefresher directory;

  private final Map<String, SharingOffset> batchKeys = new HashMap<>();
  private long latest = -1;
  private long lastPollMillis;
  private Long frozenLatest;

  SharingMicroBatchStream(DeltaSharingTable table, StructType out, String checkpointLocation) {
    this.table = table;
    this.out = out;
    this.options = table.readOptions();
    options.checkStreaming(table.name());
    this.directory = DirectoryRefresher.forTable(table);
    this.server =
        directory != null ? new DirectoryServer(table, directory) : new ClientServer(table);
    this.planner =
        new StreamPlanner(
            server, table.name(), table.metadata().id(), options, this::check, PREFETCH);
    LOG.info(
        "Stream over Delta Sharing table {} with checkpoint {}{}",
        table.name(),
        checkpointLocation,
        directory == null ? "" : ", read from its directory " + directory.credentials().root());
  }

  private long latest() {
    if (frozenLatest != null) {
      return frozenLatest;
    }
    long now = System.currentTimeMillis();
    if (latest < 0 || now - lastPollMillis >= table.conf().streamingVersionInterval().toMillis()) {
      latest = poll();
      lastPollMillis = now;
    }
    return latest;
  }

  private long poll() {
    return server.latestVersion();
  }

  @Override
  public void prepareForTriggerAvailableNow() {
    frozenLatest = poll();
  }

  @Override
  public Offset initialOffset() {
    return planner.initial(latest());
  }

  @Override
  public Offset deserializeOffset(String json) {
    return SharingOffset.parse(json, table.metadata().id(), table.name());
  }

  @Override
  public ReadLimit getDefaultReadLimit() {
    List<ReadLimit> limits = new ArrayList<>();
    if (options.maxFilesPerTrigger() != null) {
      limits.add(ReadLimit.maxFiles(options.maxFilesPerTrigger()));
    }
    if (options.maxBytesPerTrigger() != null) {
      limits.add(SparkInternals.maxBytes(options.maxBytesPerTrigger()));
    }
    return limits.size() == 1
        ? limits.get(0)
        : ReadLimit.compositeLimit(limits.toArray(new ReadLimit[0]));
  }

  @Override
  public Offset latestOffset() {
    throw new UnsupportedOperationException("latestOffset(Offset, ReadLimit) is used instead");
  }

  @Override
  public Offset latestOffset(Offset startOffset, ReadLimit limit) {
    long[] budget = {Long.MAX_VALUE, Long.MAX_VALUE};
    apply(limit, budget);
    SharingOffset start = (SharingOffset) startOffset;
    SharingOffset end = planner.advance(start, latest(), budget[0], budget[1]);
    return end.samePosition(start) ? start : end;
  }

  private static void apply(ReadLimit limit, long[] budget) {
    if (limit instanceof ReadMaxFiles f) {
      budget[0] = Math.min(budget[0], f.maxFiles());
    } else if (SparkInternals.maxBytes(limit) >= 0) {
      budget[1] = Math.min(budget[1], SparkInternals.maxBytes(limit));
    } else if (limit instanceof CompositeReadLimit c) {
      for (ReadLimit l : c.getReadLimits()) {
        apply(l, budget);
      }
    } else if (!(limit instanceof ReadAllAvailable)) {
      LOG.debug("Read limit {} is not used by Delta Sharing streams", limit);
    }
  }

  @Override
  public InputPartition[] planInputPartitions(Offset start, Offset end) {
    SharingOffset s = (SharingOffset) start;
    SharingOffset e = (SharingOffset) end;
    List<PlannedFile> files = planner.files(s, e);
    String scanKey = UUID.randomUUID().toString().replace("-", "");
    UrlRefresher refresher = refresherFor(files);
    Map<String, FileUrl> urls = PlannedFile.urlsById(files);
    UrlRegistry.get()
        .attachOwned(
            scanKey,
            table.name(),
            refresher,
            settings(),
            urls,
            this,
            table.conf().refreshThreshold().toMillis(),
            table.conf().accessThreshold().toMillis());
    synchronized (batchKeys) {
      batchKeys.put(scanKey, e);
    }
    LOG.info(
        "Delta Sharing table {}: micro-batch {} -> {} reads {} files",
        table.name(),
        s.json(),
        e.json(),
        files.size());
    return new FilesBatch(table, out, files, scanKey, refresher).planInputPartitions();
  }

  /** Re-runs the queries the batch's files came from: the snapshot, and the change window. */
  private UrlRefresher refresherFor(List<PlannedFile> files) {
    if (directory != null) {
      return directory; // cloud paths: nothing to re-run, the credentials renew on use
    }
    TableLocation loc = table.location();
    List<UrlRefresher> parts = new ArrayList<>();
    TreeMap<Long, Boolean> changeVersions = new TreeMap<>();
    Long snapshot = null;
    for (PlannedFile f : files) {
      if (f.kind() == io.lakeshare.protocol.model.FileAction.Kind.FILE) {
        snapshot = f.version();
      } else {
        changeVersions.put(f.version(), true);
      }
    }
    if (snapshot != null) {
      parts.add(
          new SnapshotRefresher(
              loc.profile(),
              table.conf(),
              options.callerOrg(),
              loc.table(),
              QueryTableRequest.builder().version(snapshot).build(),
              null,
              options.responseFormat()));
    }
    if (!changeVersions.isEmpty()) {
      long from = changeVersions.firstKey();
      long to = changeVersions.lastKey();
      parts.add(
          options.readChangeFeed()
              ? new ChangesRefresher(
                  loc.profile(),
                  table.conf(),
                  options.callerOrg(),
                  loc.table(),
                  ChangesRequest.builder().startingVersion(from).endingVersion(to).build(),
                  options.responseFormat())
              : new SnapshotRefresher(
                  loc.profile(),
                  table.conf(),
                  options.callerOrg(),
                  loc.table(),
                  QueryTableRequest.builder().startingVersion(from).endingVersion(to).build(),
                  null,
                  options.responseFormat()));
    }
    return new CompositeRefresher(parts);
  }

  private HttpReadSettings settings() {
    return table.conf().readSettings();
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    FilesBatch any = new FilesBatch(table, out, List.of(), "", null);
    // a micro-batch may meet deletion vectors whenever the server may answer in delta
    if (directory != null || table.readOptions().responseFormat() != AnswerFormat.PARQUET) {
      any.withRowIndexes();
    }
    return any.createReaderFactory(settings());
  }

  @Override
  public void commit(Offset end) {
    SharingOffset e = (SharingOffset) end;
    planner.committed(e);
    synchronized (batchKeys) {
      batchKeys
          .entrySet()
          .removeIf(
              k -> {
                SharingOffset o = k.getValue();
                boolean done =
                    o.tableVersion < e.tableVersion
                        || (o.tableVersion == e.tableVersion && o.index <= e.index);
                if (done) {
                  UrlRegistry.get().forget(k.getKey());
                }
                return done;
              });
    }
  }

  @Override
  public void stop() {
    planner.stop();
    synchronized (batchKeys) {
      batchKeys.keySet().forEach(UrlRegistry.get()::forget);
      batchKeys.clear();
    }
  }

  /** Fails when a version's schema is not the stream's (older versions may lack columns). */
  private void check(long version, MetadataLine m) {
    StructType s;
    try {
      s = (StructType) DataType.fromJson(m.schemaString());
    } catch (RuntimeException e) {
      throw ConnectorErrors.badAnswer(table.name(), "unreadable schema at version " + version);
    }
    Map<String, DataType> stream = new HashMap<>();
    for (StructField f : table.deltaSchema().fields()) {
      stream.put(f.name().toLowerCase(Locale.ROOT), f.dataType());
    }
    boolean later = version > table.analysisVersion();
    boolean compatible = !later || s.length() == stream.size();
    for (StructField f : s.fields()) {
      DataType t = stream.get(f.name().toLowerCase(Locale.ROOT));
      if (t == null || !SchemaCompatibility.sameIgnoringNullability(t, f.dataType())) {
        compatible = false;
      }
    }
    if (!compatible) {
      throw new DeltaSharingReadException(
          "The schema of Delta Sharing table "
              + table.name()
              + " at version "
              + version
              + " is not the schema this stream reads ("
              + table.deltaSchema().simpleString()
              + " vs "
              + s.simpleString()
              + "): restart the stream from a new checkpoint to read the new schema.",
          null);
    }
  }

  /** A stream's reads of the table's own Delta log through its directory access. */
  private static final class DirectoryServer implements StreamPlanner.Server {
    private final DeltaSharingTable table;
    private final DirectoryRefresher directory;

    DirectoryServer(DeltaSharingTable table, DirectoryRefresher directory) {
      this.table = table;
      this.directory = directory;
    }

    @Override
    public long latestVersion() {
      return DirectoryChanges.latestVersion(table.name(), directory);
    }

    @Override
    public long versionAtOrAfter(String timestamp) {
      return DirectoryChanges.versionAtOrAfter(table.name(), directory, timestamp);
    }

    @Override
    public FileListing snapshot(long version) {
      return DirectoryListing.list(table.name(), directory, version, null, null, List.of(), null);
    }

    @Override
    public FileListing changes(long from, long to) {
      return DirectoryChanges.changes(
          table.name(), directory, from, to, table.readOptions().readChangeFeed());
    }
  }

  /** The server calls of a stream. */
  private static final class ClientServer implements StreamPlanner.Server {
    private final DeltaSharingTable table;

    ClientServer(DeltaSharingTable table) {
      this.table = table;
    }

    private DeltaSharingClient client() {
      return table.client();
    }

    private TableRef ref() {
      return table.location().table();
    }

    @Override
    public long latestVersion() {
      try {
        return client().getTableVersion(ref(), null);
      } catch (DeltaSharingException e) {
        throw ConnectorErrors.server(table.name(), "reading the table version", e);
      }
    }

    @Override
    public long versionAtOrAfter(String timestamp) {
      try {
        return client().getTableVersion(ref(), timestamp);
      } catch (DeltaSharingException e) {
        throw ConnectorErrors.server(
            table.name(), "finding the version at startingTimestamp " + timestamp, e);
      }
    }

    @Override
    public FileListing snapshot(long version) {
      try {
        return QueryRunner.run(
            client(),
            ref(),
            QueryTableRequest.builder().version(version).build(),
            table.conf().pagination(),
            table.conf().maxFilesPerQuery(),
            table.readOptions().responseFormat());
      } catch (DeltaSharingException e) {
        throw ConnectorErrors.server(table.name(), "listing the snapshot at " + version, e);
      }
    }

    @Override
    public FileListing changes(long from, long to) {
      try {
        if (table.readOptions().readChangeFeed()) {
          return QueryRunner.runChanges(
              client(),
              ref(),
              ChangesRequest.builder()
                  .startingVersion(from)
                  .endingVersion(to)
                  .includeHistoricalMetadata(true)
                  .build(),
              table.conf().pagination(),
              table.conf().maxFilesPerQuery(),
              table.readOptions().responseFormat());
        }
        return QueryRunner.run(
            client(),
            ref(),
            QueryTableRequest.builder().startingVersion(from).endingVersion(to).build(),
            table.conf().pagination(),
            table.conf().maxFilesPerQuery(),
            table.readOptions().responseFormat());
      } catch (DeltaSharingException e) {
        throw ConnectorErrors.server(
            table.name(), "listing the changes of versions " + from + " to " + to, e);
      }
    }
  }
}
