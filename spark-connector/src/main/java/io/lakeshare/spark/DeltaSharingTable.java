package io.lakeshare.spark;

import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.model.MetadataLine;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** A shared table as Spark sees it: its schema and partitioning at analysis time, readable. */
final class DeltaSharingTable implements Table, SupportsRead {
  private final TableLocation location;
  private final ReadOptions readOptions;
  private final ConnectorConf conf;
  private final MetadataLine metadata;
  private final StructType deltaSchema;
  private final ColumnMapping mapping;
  private final StructType schema;
  private final long analysisVersion;

  DeltaSharingTable(
      TableLocation location,
      ReadOptions readOptions,
      ConnectorConf conf,
      MetadataLine metadata,
      StructType deltaSchema,
      ColumnMapping mapping,
      long analysisVersion) {
    this.mapping = mapping;
    this.analysisVersion = analysisVersion;
    this.location = location;
    this.readOptions = readOptions;
    this.conf = conf;
    this.metadata = metadata;
    this.deltaSchema = deltaSchema;
    this.schema = readOptions.readChangeFeed() ? ChangeColumns.append(deltaSchema) : deltaSchema;
  }

  @Override
  public String name() {
    return location.tableName();
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Transform[] partitioning() {
    return partitionColumns().stream().map(Expressions::identity).toArray(Transform[]::new);
  }

  @Override
  public Map<String, String> properties() {
    return metadata.configuration();
  }

  @Override
  public Set<TableCapability> capabilities() {
    return EnumSet.of(TableCapability.BATCH_READ, TableCapability.MICRO_BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new DeltaSharingScanBuilder(this);
  }

  List<String> partitionColumns() {
    return metadata.partitionColumns();
  }

  /** The columns stored in the Parquet files: all but the partition columns. */
  StructType dataSchema() {
    StructType data = new StructType();
    for (StructField f : deltaSchema.fields()) {
      boolean partition =
          partitionColumns().stream()
              .anyMatch(p -> p.toLowerCase(Locale.ROOT).equals(f.name().toLowerCase(Locale.ROOT)));
      if (!partition) {
        data = data.add(f);
      }
    }
    return data;
  }

  /** The table version whose metadata gave the schema. */
  long analysisVersion() {
    return analysisVersion;
  }

  /** The table's own columns (without change data feed columns). */
  StructType deltaSchema() {
    return deltaSchema;
  }

  TableLocation location() {
    return location;
  }

  ReadOptions readOptions() {
    return readOptions;
  }

  ConnectorConf conf() {
    return conf;
  }

  MetadataLine metadata() {
    return metadata;
  }

  /** How the table's logical columns are named in its files, log and statistics. */
  ColumnMapping columnMapping() {
    return mapping;
  }

  DeltaSharingClient client() {
    return SharingClients.get(location.profile(), conf, readOptions.callerOrg());
  }
}
