package io.lakeshare.spark;

import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.protocol.client.MetadataResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.model.MetadataLine;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code deltaSharing} data source: {@code
 * spark.read.format("deltaSharing").load("<profile>#<share>.<schema>.<table>")}, SQL {@code CREATE
 * TABLE ... USING deltaSharing LOCATION '...'}, and the options of {@link DeltaSharingOptions}.
 * {@link LakeshareTableProvider} is the same source under the name {@code lakeshare}, for
 * classpaths where another connector also registers {@code deltaSharing}.
 */
public class DeltaSharingTableProvider
    implements TableProvider, DataSourceRegister, org.apache.spark.sql.sources.RelationProvider {
  /** The format name, the one every Delta Sharing connector uses (drop-in). */
  public static final String SHORT_NAME = "deltaSharing";

  /** The format name only this connector registers. */
  public static final String ALIAS = "lakeshare";

  private Map<String, String> loadedFor;
  private DeltaSharingTable loaded;

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return table(options).schema();
  }

  @Override
  public Transform[] inferPartitioning(CaseInsensitiveStringMap options) {
    return table(options).partitioning();
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return table(properties);
  }

  /**
   * The V1 entry point. Spark calls it only for catalog tables in sessions whose session catalog is
   * replaced (for example by Delta's {@code DeltaCatalog}); reads then go through {@link
   * DeltaSharingRelation}.
   */
  @Override
  public org.apache.spark.sql.sources.BaseRelation createRelation(
      org.apache.spark.sql.SQLContext sqlContext,
      scala.collection.immutable.Map<String, String> parameters) {
    return new DeltaSharingRelation(
        sqlContext, table(scala.collection.JavaConverters.mapAsJavaMap(parameters)));
  }

  /** Loads the table once per distinct option set (Spark asks for schema, then the table). */
  private synchronized DeltaSharingTable table(Map<String, String> given) {
    // not in the constructor: Spark instantiates every registered source to look up any format name
    SparkLineCheck.verify();
    Map<String, String> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    options.putAll(given);
    if (loaded != null && options.equals(loadedFor)) {
      return loaded;
    }
    loaded = load(options);
    loadedFor = options;
    return loaded;
  }

  /** Loads a table from (case-insensitive) options holding {@code path}. */
  static DeltaSharingTable load(Map<String, String> options) {
    SparkSession spark = SparkSession.active();
    String path = options.get("path");
    TableLocation loc =
        TableLocation.resolve(path, options, SparkInternals.hadoopConf(spark), Clock.systemUTC());
    ConnectorConf conf = ConnectorConf.from(SparkInternals.sqlConfs());
    ReadOptions read =
        ReadOptions.parse(loc.tableName(), options, ZoneId.of(SparkInternals.sessionTimeZone()));
    MetadataResponse meta;
    try {
      DeltaSharingClient client = SharingClients.get(loc.profile(), conf, read.callerOrg());
      Long version = read.versionAsOf();
      String timestamp = read.timestampAsOf();
      if (read.readChangeFeed()) {
        // a change data feed has the columns of the range's last version, as in delta-spark
        if (read.endingVersion() != null) {
          version = Math.min(read.endingVersion(), client.getTableVersion(loc.table(), null));
        } else {
          timestamp = read.endingTimestamp();
        }
      }
      meta =
          client.getMetadata(
              loc.table(),
              version,
              timestamp,
              new RequestOptions(read.responseFormat().capabilities(), null));
    } catch (DeltaSharingException e) {
      throw ConnectorErrors.server(loc.tableName(), "reading the table's metadata", e);
    }
    MetadataLine m = meta.metadata();
    StructType stored;
    try {
      stored = (StructType) DataType.fromJson(m.schemaString());
    } catch (RuntimeException e) {
      throw ConnectorErrors.badAnswer(
          loc.tableName(), "its schema cannot be read by Spark (" + e.getMessage() + ")");
    }
    ColumnMapping mapping = ColumnMapping.of(stored, m.configuration());
    StructType schema = ColumnMapping.logical(stored);
    for (String p : m.partitionColumns()) {
      if (schema.getFieldIndex(p).isEmpty()
          && java.util.Arrays.stream(schema.fieldNames()).noneMatch(n -> n.equalsIgnoreCase(p))) {
        throw ConnectorErrors.badAnswer(
            loc.tableName(), "partition column " + p + " is not in the table's schema");
      }
    }
    return new DeltaSharingTable(loc, read, conf, m, schema, mapping, meta.tableVersion());
  }
}
