package io.lakeshare.spark;

import io.lakeshare.spark.read.HttpReadSettings;
import io.lakeshare.spark.read.UrlRegistry;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Registers a task's URLs in its JVM, then hands the file splits to Spark's Parquet reader, which
 * opens them through {@link io.lakeshare.spark.read.DeltaSharingFileSystem}.
 */
final class SharingReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final PartitionReaderFactory parquet;
  private final String tableName;
  private final HttpReadSettings settings;

  SharingReaderFactory(
      PartitionReaderFactory parquet, String tableName, HttpReadSettings settings) {
    this.parquet = parquet;
    this.tableName = tableName;
    this.settings = settings;
  }

  private InputPartition register(InputPartition partition) {
    SharingInputPartition p = (SharingInputPartition) partition;
    UrlRegistry.get().attach(p.scanKey, tableName, p.refresher, settings, p.urls()).touch();
    return p.files;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return parquet.createReader(register(partition));
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    return parquet.createColumnarReader(register(partition));
  }

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return parquet.supportColumnarReads(((SharingInputPartition) partition).files);
  }
}
