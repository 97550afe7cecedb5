package io.lakeshare.server.delta;

import io.delta.kernel.Snapshot;
import io.delta.kernel.utils.CloseableIterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable view of one version of a shared table: protocol, metadata and a streaming file
 * listing. A Delta table's versions are read by Kernel ({@link DeltaSnapshot}); a directory of
 * Parquet files is shared as a snapshot of its listing ({@code ParquetSnapshot}).
 */
public abstract class TableSnapshot {
  private final String location;

  protected TableSnapshot(String location) {
    this.location = location;
  }

  /** The table's normalized location. */
  public final String location() {
    return location;
  }

  /** The Kernel snapshot behind a Delta table's version; Parquet tables have none. */
  Snapshot kernelSnapshot() {
    throw new DeltaTableException(
        DeltaTableException.Kind.UNSUPPORTED, "the table is not a Delta table", null);
  }

  public abstract long version();

  /** Commit time of this version in epoch milliseconds. */
  public abstract long timestamp();

  /** The metadata of this version. */
  public abstract MetadataInfo metadataInfo();

  /** The protocol of this version. */
  public abstract ProtocolInfo protocolInfo();

  /** Bytes and number of the active files. */
  public abstract long[] sizeAndFileCount();

  /** Whether some active file may carry a deletion vector. */
  public abstract boolean mayHaveDeletionVectors();

  /**
   * Streams the active files of this version in a deterministic order, which is what paginated
   * answers rely on. The caller must close the iterator.
   */
  public abstract CloseableIterator<ScanFile> scanFiles();

  /**
   * Makes the file list of this version ready for queries ahead of them (the start-up warm-up),
   * where the table keeps such lists; a query of this version meanwhile waits for it rather than
   * reading the log beside it.
   *
   * @return whether a list was made and kept
   */
  public boolean prepareFileList() {
    return false;
  }

  public String metadataId() {
    return metadataInfo().id();
  }

  public String name() {
    return metadataInfo().name();
  }

  public String description() {
    return metadataInfo().description();
  }

  public String schemaString() {
    return metadataInfo().schemaString();
  }

  public List<String> partitionColumns() {
    return metadataInfo().partitionColumns();
  }

  public Map<String, String> properties() {
    return metadataInfo().configuration();
  }

  public int minReaderVersion() {
    return protocolInfo().minReaderVersion();
  }

  public int minWriterVersion() {
    return protocolInfo().minWriterVersion();
  }

  public Set<String> readerFeatures() {
    return protocolInfo().readerFeatures();
  }

  public Set<String> writerFeatures() {
    return protocolInfo().writerFeatures();
  }

  public Long createdTime() {
    return metadataInfo().createdTime();
  }

  /** The metadata action's {@code format}: provider and options. */
  public io.lakeshare.protocol.model.Format format() {
    return metadataInfo().format();
  }
}
