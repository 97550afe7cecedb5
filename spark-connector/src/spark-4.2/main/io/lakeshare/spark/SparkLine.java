package io.lakeshare.spark;

import org.apache.spark.sql.types.StringType;

/**
 * What this build of the connector is for (Spark 4.2) and the public bits of Spark that differ
 * between lines. Each line directory under {@code spark-connector/src} has its own copy.
 */
public final class SparkLine {
  /** The Spark line (major.minor) this jar is compiled against. */
  public static final String LINE = "4.2";

  private SparkLine() {}

  /** Whether strings of {@code type} compare by their UTF-8 bytes (no collation). */
  public static boolean binaryCollation(StringType type) {
    return type.isUTF8BinaryCollation();
  }
}
