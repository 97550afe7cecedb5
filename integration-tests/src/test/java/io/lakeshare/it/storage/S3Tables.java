package io.lakeshare.it.storage;

import io.lakeshare.it.fixtures.SparkFixture;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the S3 fixture table with delta-spark through {@code s3a://} and shares it with a server
 * that reads and signs it through a {@code storage:} entry (no Hadoop settings on the server side).
 * One table and server per endpoint per JVM.
 */
public final class S3Tables {
  public static final String SHARE = "cloud";
  public static final String SCHEMA = "s3";
  public static final String TABLE = "t_s3";

  /** A table with deletion vectors, on its own server. */
  public static final String DV_TABLE = "t_s3_dv";

  private static final Map<String, CloudTable> TABLES = new ConcurrentHashMap<>();

  private S3Tables() {}

  /** The table on the in-process s3proxy store. */
  public static CloudTable s3proxy() {
    return on(S3ProxyServer.get());
  }

  /** The table on {@code endpoint}, written on first use. */
  public static CloudTable on(S3Endpoint endpoint) {
    return TABLES.computeIfAbsent(endpoint.name(), n -> create(endpoint));
  }

  /** The table with deletion vectors on {@code endpoint}, written on first use. */
  public static CloudTable deletionVectorsOn(S3Endpoint endpoint) {
    return TABLES.computeIfAbsent(
        endpoint.name() + "/dv", n -> createWithDeletionVectors(endpoint));
  }

  /** The s3a location of the fixture table on {@code endpoint}. */
  static String location(S3Endpoint e) {
    return location(e, TABLE);
  }

  static String location(S3Endpoint e, String table) {
    return "s3a://" + e.bucket() + "/tables/" + table;
  }

  /** Server configuration sharing the table with an S3 storage entry, plus {@code extra} lines. */
  static String yaml(S3Endpoint e, String... extraTopLevel) {
    return yamlFor(e, TABLE, extraTopLevel);
  }

  private static String yamlFor(S3Endpoint e, String table, String... extraTopLevel) {
    StringBuilder b = new StringBuilder();
    b.append("version: 1\nhost: 127.0.0.1\nport: 0\n");
    b.append("authorization:\n  bearerToken: ").append(CloudTable.TOKEN).append('\n');
    for (String line : extraTopLevel) {
      b.append(line).append('\n');
    }
    b.append("storage:\n");
    b.append("- name: lake\n  type: s3\n");
    b.append("  endpoint: ").append(e.uri()).append('\n');
    b.append("  region: ").append(e.region()).append('\n');
    b.append("  pathStyleAccess: true\n");
    b.append("  accessKeyId: ").append(e.accessKey()).append('\n');
    b.append("  secretAccessKey: ").append(e.secretKey()).append('\n');
    b.append("shares:\n- name: ").append(SHARE).append('\n');
    b.append("  schemas:\n  - name: ").append(SCHEMA).append('\n');
    b.append("    tables:\n    - name: ").append(table).append('\n');
    b.append("      location: ").append(location(e, table)).append('\n');
    b.append("      storage: lake\n");
    b.append("      historyShared: true\n");
    return b.toString();
  }

  /** Server configuration sharing {@code table} as a directory of Parquet files. */
  static String parquetYaml(S3Endpoint e, String table) {
    return yamlFor(e, table)
        .replace(
            "      historyShared: true\n",
            "      format: parquet\n      listingRefreshSeconds: 0\n");
  }

  private static CloudTable createWithDeletionVectors(S3Endpoint e) {
    SparkSession spark = SparkFixture.spark();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    e.hadoopSettings().forEach(conf::set);
    String path = location(e, DV_TABLE);
    DeltaFixtureWriter.writeWithDeletionVectors(spark, path);
    String yaml = yamlFor(e, DV_TABLE);
    return new CloudTable(CloudTable.startServer(yaml), yaml, SHARE, SCHEMA, DV_TABLE, path);
  }

  private static CloudTable create(S3Endpoint e) {
    SparkSession spark = SparkFixture.spark();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    e.hadoopSettings().forEach(conf::set);
    String path = location(e);
    DeltaFixtureWriter.write(spark, path);
    String yaml = yaml(e);
    return new CloudTable(CloudTable.startServer(yaml), yaml, SHARE, SCHEMA, TABLE, path);
  }
}
