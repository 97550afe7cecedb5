package io.lakeshare.spark;

import io.lakeshare.spark.read.DeltaSharingFileSystem;
import io.lakeshare.spark.read.SharingPaths;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.paths.SparkPath;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.execution.datasources.FilePartition;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetOptions;
import org.apache.spark.sql.execution.datasources.parquet.ParquetReadSupport;
import org.apache.spark.sql.execution.datasources.v2.parquet.ParquetPartitionReaderFactory;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.internal.connector.PredicateUtils;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Every use of Spark classes outside its public connector API, in one place: Spark's own Parquet
 * reader factory (the fastest decoder Spark has, with vectorized and row fallbacks, row-group
 * filtering and partition-value columns) and the file-partition types it reads. A second Spark line
 * is supported by swapping this class.
 */
final class SparkInternals {
  private SparkInternals() {}

  /** The session's SQL confs that were set explicitly. */
  static Map<String, String> sqlConfs() {
    return CollectionConverters.asJava(SQLConf.get().getAllConfs());
  }

  static String sessionTimeZone() {
    return SQLConf.get().sessionLocalTimeZone();
  }

  static boolean caseSensitive() {
    return SQLConf.get().caseSensitiveAnalysis();
  }

  static long maxPartitionBytes() {
    return SQLConf.get().filesMaxPartitionBytes();
  }

  static long openCostInBytes() {
    return SQLConf.get().filesOpenCostInBytes();
  }

  /** The minimum number of partitions Spark's file sources aim for. */
  static int minPartitionNum(SparkSession spark) {
    Option<Object> configured = SQLConf.get().filesMinPartitionNum();
    if (configured.isDefined()) {
      return (Integer) configured.get();
    }
    return Math.max(1, spark.sparkContext().defaultParallelism());
  }

  static Configuration hadoopConf(SparkSession spark) {
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    sqlConfs().forEach(conf::set);
    return conf;
  }

  /**
   * The data source V1 filters Spark's Parquet reader can use to skip row groups. Spark's converter
   * may weaken an OR whose side it cannot express into the other side alone, which would drop rows;
   * so only predicates that convert exactly (the V1 filter maps back to the same V2 predicate) are
   * used.
   */
  static Filter[] toV1(Predicate[] predicates) {
    java.util.List<Filter> out = new java.util.ArrayList<>();
    for (Predicate p : predicates) {
      try {
        Option<Filter> f = PredicateUtils.toV1(p);
        if (f.isDefined() && p.equals(f.get().toV2())) {
          out.add(f.get());
        }
      } catch (RuntimeException e) {
        // not convertible: Spark evaluates it after the scan anyway
      }
    }
    return out.toArray(new Filter[0]);
  }

  /**
   * Spark's Parquet reader factory reading {@code readDataSchema} and appending {@code
   * partitionSchema} columns, over {@code lakeshare://} paths.
   */
  static PartitionReaderFactory parquetReaderFactory(
      SparkSession spark,
      StructType dataSchema,
      StructType readDataSchema,
      StructType partitionSchema,
      Filter[] filters,
      ConnectorConf connectorConf) {
    SQLConf sql = SQLConf.get();
    Configuration conf = hadoopConf(spark);
    conf.set("fs." + SharingPaths.SCHEME + ".impl", DeltaSharingFileSystem.class.getName());
    conf.setBoolean("fs." + SharingPaths.SCHEME + ".impl.disable.cache", true);
    conf.setInt(DeltaSharingFileSystem.CONF_MAX_CONNECTIONS, connectorConf.maxConnections());
    conf.setLong(DeltaSharingFileSystem.CONF_TIMEOUT_MS, connectorConf.timeout().toMillis());
    String schemaJson = readDataSchema.json();
    conf.set("parquet.read.support.class", ParquetReadSupport.class.getName());
    conf.set(ParquetReadSupport.SPARK_ROW_REQUESTED_SCHEMA(), schemaJson);
    conf.set("org.apache.spark.sql.parquet.row.attributes", schemaJson);
    conf.set(SQLConf.SESSION_LOCAL_TIMEZONE().key(), sql.sessionLocalTimeZone());
    conf.setBoolean(
        SQLConf.NESTED_SCHEMA_PRUNING_ENABLED().key(), sql.nestedSchemaPruningEnabled());
    conf.setBoolean(SQLConf.CASE_SENSITIVE().key(), sql.caseSensitiveAnalysis());
    conf.setBoolean(SQLConf.PARQUET_BINARY_AS_STRING().key(), sql.isParquetBinaryAsString());
    conf.setBoolean(SQLConf.PARQUET_INT96_AS_TIMESTAMP().key(), sql.isParquetINT96AsTimestamp());
    conf.setBoolean(
        SQLConf.PARQUET_INFER_TIMESTAMP_NTZ_ENABLED().key(), sql.parquetInferTimestampNTZEnabled());
    conf.setBoolean(SQLConf.LEGACY_PARQUET_NANOS_AS_LONG().key(), sql.legacyParquetNanosAsLong());
    copyIfPresent(sql, conf, "PARQUET_READER_RESPECT_UNKNOWN_TYPE_ANNOTATION");
    SparkContext sc = spark.sparkContext();
    Broadcast<SerializableConfiguration> broadcast =
        sc.broadcast(
            new SerializableConfiguration(conf),
            scala.reflect.ClassTag$.MODULE$.apply(SerializableConfiguration.class));
    scala.collection.immutable.Map<String, String> noOptions =
        scala.collection.immutable.Map$.MODULE$.empty();
    return new ParquetPartitionReaderFactory(
        sql,
        broadcast,
        dataSchema,
        readDataSchema,
        partitionSchema,
        filters,
        Option.empty(),
        new ParquetOptions(noOptions, sql));
  }

  static PartitionedFile partitionedFile(
      InternalRow partitionValues, String path, long start, long length, long fileSize) {
    return new PartitionedFile(
        partitionValues,
        SparkPath.fromUrlString(path),
        start,
        length,
        new String[0],
        0L,
        fileSize,
        scala.collection.immutable.Map$.MODULE$.empty());
  }

  /**
   * An RDD of internal rows read by {@code factory}, with columns reordered to {@code order}
   * (indexes into {@code produced}); typed as {@code RDD<Row>} for a V1 relation that declares
   * {@code needConversion() == false}.
   */
  @SuppressWarnings("unchecked")
  static org.apache.spark.rdd.RDD<org.apache.spark.sql.Row> rowRdd(
      SparkSession spark,
      InputPartition[] partitions,
      PartitionReaderFactory factory,
      StructType produced,
      int[] order) {
    org.apache.spark.rdd.RDD<InternalRow> rows =
        dataSourceRdd(spark.sparkContext(), partitions, factory);
    boolean identity = order.length == produced.length();
    for (int i = 0; identity && i < order.length; i++) {
      identity = order[i] == i;
    }
    if (!identity) {
      org.apache.spark.sql.types.DataType[] types =
          new org.apache.spark.sql.types.DataType[order.length];
      for (int i = 0; i < order.length; i++) {
        types[i] = produced.fields()[order[i]].dataType();
      }
      rows =
          rows.toJavaRDD()
              .map(
                  r -> {
                    Object[] values = new Object[order.length];
                    for (int i = 0; i < order.length; i++) {
                      values[i] = r.isNullAt(order[i]) ? null : r.get(order[i], types[i]);
                    }
                    return (InternalRow)
                        new org.apache.spark.sql.catalyst.expressions.GenericInternalRow(values);
                  })
              .rdd();
    }
    return (org.apache.spark.rdd.RDD<org.apache.spark.sql.Row>) (org.apache.spark.rdd.RDD<?>) rows;
  }

  static InputPartition filePartition(int index, PartitionedFile[] files) {
    return new FilePartition(index, files);
  }

  /** The file splits of a partition made by {@link #filePartition}. */
  static PartitionedFile[] splits(InputPartition filePartition) {
    return ((FilePartition) filePartition).files();
  }

  /** A partition holding one split of {@code filePartition}, for reading split by split. */
  static InputPartition oneSplit(InputPartition filePartition, int split) {
    FilePartition p = (FilePartition) filePartition;
    return new FilePartition(p.index(), new PartitionedFile[] {p.files()[split]});
  }

  /**
   * The name of the read-schema column that Spark's Parquet readers (vectorized and row) fill with
   * each row's index in its file, counted from the file's first row whatever the split.
   */
  static String rowIndexColumnName() {
    return org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat$.MODULE$
        .ROW_INDEX_TEMPORARY_COLUMN_NAME();
  }

  /** Spark's soft byte limit per micro-batch. */
  static org.apache.spark.sql.connector.read.streaming.ReadLimit maxBytes(long bytes) {
    return org.apache.spark.sql.connector.read.streaming.ReadLimit.maxBytes(bytes);
  }

  /** The bytes of a byte limit made by {@link #maxBytes(long)}, or -1 for any other limit. */
  static long maxBytes(org.apache.spark.sql.connector.read.streaming.ReadLimit limit) {
    return limit instanceof org.apache.spark.sql.connector.read.streaming.ReadMaxBytes b
        ? b.maxBytes()
        : -1;
  }

  /**
   * Copies a boolean SQL conf that only some 4.x releases have (named by its {@code SQLConf}
   * accessor) into the Hadoop configuration the Parquet readers see.
   */
  private static void copyIfPresent(SQLConf sql, Configuration conf, String accessor) {
    try {
      Object entry = SQLConf.class.getMethod(accessor).invoke(null);
      String key = (String) entry.getClass().getMethod("key").invoke(entry);
      String value = sql.getConfString(key, null);
      if (value != null) {
        conf.set(key, value);
      }
    } catch (ReflectiveOperationException e) {
      // this Spark does not have the setting: its readers do not look for it either
    }
  }

  /**
   * Spark's {@code DataSourceRDD} over one partition per input partition. Its constructor takes
   * {@code Seq[Option[InputPartition]]} from Spark 4.1 on and {@code Seq[Seq[InputPartition]]}
   * before (same erasure), so the parameter's generic type decides.
   */
  @SuppressWarnings("unchecked")
  private static org.apache.spark.rdd.RDD<InternalRow> dataSourceRdd(
      SparkContext sc, InputPartition[] partitions, PartitionReaderFactory factory) {
    try {
      for (java.lang.reflect.Constructor<?> c :
          org.apache.spark.sql.execution.datasources.v2.DataSourceRDD.class.getConstructors()) {
        if (c.getParameterCount() != 5) {
          continue;
        }
        boolean options = c.getGenericParameterTypes()[1].getTypeName().contains("scala.Option");
        java.util.List<Object> parts = new java.util.ArrayList<>();
        for (InputPartition p : partitions) {
          parts.add(
              options
                  ? Option.apply(p)
                  : CollectionConverters.asScala(java.util.List.of(p)).toList());
        }
        return (org.apache.spark.rdd.RDD<InternalRow>)
            c.newInstance(
                sc,
                CollectionConverters.asScala(parts).toList(),
                factory,
                false,
                scala.collection.immutable.Map$.MODULE$.empty());
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Spark's DataSourceRDD cannot be built on this Spark", e);
    }
    throw new IllegalStateException("Spark's DataSourceRDD has no known constructor on this Spark");
  }
}
