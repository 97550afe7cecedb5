package io.lakeshare.spark;

import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.protocol.model.ChangesRequest;
import io.lakeshare.spark.read.FileUrl;
import io.lakeshare.spark.read.HttpReadSettings;
import io.lakeshare.spark.read.UrlRefresher;
import io.lakeshare.spark.read.UrlRegistry;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch change data feed read ({@code readChangeFeed=true}): the table's columns plus {@code
 * _change_type}, {@code _commit_version} and {@code _commit_timestamp} for a version or time range.
 */
final class ChangeFeedScan implements Scan, Batch {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeedScan.class);

  private final DeltaSharingTable table;
  private final StructType out;
  private final String scanKey = UUID.randomUUID().toString().replace("-", "");
  private FilesBatch batch;

  ChangeFeedScan(DeltaSharingTable table, StructType out) {
    this.table = table;
    this.out = out;
  }

  @Override
  public StructType readSchema() {
    return out;
  }

  @Override
  public String description() {
    ReadOptions o = table.readOptions();
    return "DeltaSharingChangeFeed "
        + table.name()
        + (o.accessMode() == ReadOptions.AccessMode.URL
            ? ""
            : " (accessMode " + o.accessMode().name().toLowerCase(java.util.Locale.ROOT) + ")")
        + " from "
        + (o.startingVersion() != null ? "version " + o.startingVersion() : o.startingTimestamp())
        + (o.endingVersion() != null
            ? " to version " + o.endingVersion()
            : o.endingTimestamp() != null ? " to " + o.endingTimestamp() : "");
  }

  @Override
  public Batch toBatch() {
    table.readOptions().checkBatch(table.name());
    return this;
  }

  @Override
  public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
    return new SharingMicroBatchStream(table, out, checkpointLocation);
  }

  private synchronized FilesBatch batch() {
    if (batch != null) {
      return batch;
    }
    long start = System.nanoTime();
    ReadOptions o = table.readOptions();
    DirectoryRefresher dir = DirectoryRefresher.forTable(table);
    FileListing l;
    UrlRefresher refresher;
    if (dir != null) {
      long[] range = DirectoryChanges.range(table.name(), dir, o);
      l = DirectoryChanges.changes(table.name(), dir, range[0], range[1], true);
      refresher = dir;
    } else {
      l = listChanges(o);
      long last = l.version();
      for (PlannedFile f : l.files()) {
        last = Math.max(last, f.version());
      }
      // refreshes ask for exactly the versions that were answered, whatever the table does later
      ChangesRequest again =
          ChangesRequest.builder().startingVersion(l.version()).endingVersion(last).build();
      TableLocation loc = table.location();
      refresher =
          new ChangesRefresher(
              loc.profile(), table.conf(), o.callerOrg(), loc.table(), again, o.responseFormat());
    }
    Map<String, FileUrl> urls = PlannedFile.urlsById(l.files());
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
    batch = new FilesBatch(table, out, l.files(), scanKey, refresher);
    LOG.info(
        "Delta Sharing table {}: {} change files from version {} listed{} in {} ms",
        table.name(),
        l.files().size(),
        l.version(),
        dir == null ? "" : " from its directory " + dir.credentials().root(),
        (System.nanoTime() - start) / 1_000_000);
    return batch;
  }

  private FileListing listChanges(ReadOptions o) {
    ChangesRequest request =
        ChangesRequest.builder()
            .startingVersion(o.startingVersion())
            .startingTimestamp(o.startingTimestamp())
            .endingVersion(o.endingVersion())
            .endingTimestamp(o.endingTimestamp())
            .build();
    try {
      return QueryRunner.runChanges(
          table.client(),
          table.location().table(),
          request,
          table.conf().pagination(),
          table.conf().maxFilesPerQuery(),
          o.responseFormat());
    } catch (DeltaSharingException e) {
      throw ConnectorErrors.server(table.name(), "reading the change data feed", e);
    }
  }

  HttpReadSettings settings() {
    return table.conf().readSettings();
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return batch().planInputPartitions();
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return batch().createReaderFactory(settings());
  }
}
