package io.lakeshare.spark;

import org.apache.spark.sql.types.StringType;

/**
 * What this build of the connector is for (Spark 3.5) and the public bits of Spark that differ
 * between lines. Each line directory under {@code spark-connector/src} has its own copy.
 */
public final class SparkLine {
  /** The Spark line (major.minor) this jar is compiled against. */
  public static final String LINE = "3.5";

  private SparkLine() {}

  /** Whether strings of {@code type} compare by their UTF-8 bytes (no collation). */
  public static boolean binaryCollation(StringType type) {
    return true; // Spark 3.5 has no collations: every string compares by its UTF-8 bytes
  }
}
