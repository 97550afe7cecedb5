package io.lakeshare.server.parquet;

import io.delta.kernel.utils.CloseableIterator;
import io.lakeshare.protocol.model.Format;
import io.lakeshare.server.delta.MetadataInfo;
import io.lakeshare.server.delta.ProtocolInfo;
import io.lakeshare.server.delta.ScanFile;
import io.lakeshare.server.delta.TableSnapshot;
import java.util.List;
import java.util.Map;

/**
 * One listing of a Parquet table, shared as a table version: the files in path order, the schema
 * merged from their footers with the partition columns after the data columns (as {@code
 * spark.read.parquet} gives them), and a version that is a fingerprint of the listing.
 */
final class ParquetSnapshot extends TableSnapshot {
  /** What a Delta reader needs to read plain Parquet files: no table features. */
  private static final ProtocolInfo PROTOCOL = new ProtocolInfo(1, 2, null, null);

  private final long version;
  private final long timestamp;
  private final MetadataInfo metadata;
  private final List<ScanFile> files;
  private final long[] sizeAndCount;

  ParquetSnapshot(
      String location,
      long version,
      long timestamp,
      String id,
      String schemaString,
      List<String> partitionColumns,
      List<ScanFile> files) {
    super(location);
    this.version = version;
    this.timestamp = timestamp;
    this.metadata =
        new MetadataInfo(
            id, null, null, schemaString, partitionColumns, Map.of(), null, Format.PARQUET);
    this.files = List.copyOf(files);
    long bytes = 0;
    for (ScanFile f : files) {
      bytes += f.size();
    }
    this.sizeAndCount = new long[] {bytes, files.size()};
  }

  @Override
  public long version() {
    return version;
  }

  /** The latest modification time of the listed files. */
  @Override
  public long timestamp() {
    return timestamp;
  }

  @Override
  public MetadataInfo metadataInfo() {
    return metadata;
  }

  @Override
  public ProtocolInfo protocolInfo() {
    return PROTOCOL;
  }

  @Override
  public long[] sizeAndFileCount() {
    return sizeAndCount.clone();
  }

  @Override
  public boolean mayHaveDeletionVectors() {
    return false;
  }

  @Override
  public CloseableIterator<ScanFile> scanFiles() {
    return io.delta.kernel.internal.util.Utils.toCloseableIterator(files.iterator());
  }

  /** The files, in path order. */
  List<ScanFile> files() {
    return files;
  }
}
