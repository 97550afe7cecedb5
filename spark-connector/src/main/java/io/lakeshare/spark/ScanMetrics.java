package io.lakeshare.spark;

import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/** Driver-side metrics of a scan, shown in the Spark UI on the scan node. */
public final class ScanMetrics {
  private ScanMetrics() {}

  /** Metric name: files the server listed for the scan. */
  public static final String FILES_LISTED = "sharingFilesListed";

  /** Metric name: bytes in the files the server listed. */
  public static final String BYTES_LISTED = "sharingBytesListed";

  /** Metric name: time of the server query, in milliseconds. */
  public static final String PLANNING_MS = "sharingPlanningMs";

  /** Files listed by the sharing server. */
  public static final class FilesListed extends CustomSumMetric {
    @Override
    public String name() {
      return FILES_LISTED;
    }

    @Override
    public String description() {
      return "files listed by the sharing server";
    }
  }

  /** Bytes listed by the sharing server. */
  public static final class BytesListed extends CustomSumMetric {
    @Override
    public String name() {
      return BYTES_LISTED;
    }

    @Override
    public String description() {
      return "bytes listed by the sharing server";
    }
  }

  /** Time of the server query. */
  public static final class PlanningMs extends CustomSumMetric {
    @Override
    public String name() {
      return PLANNING_MS;
    }

    @Override
    public String description() {
      return "sharing server query time (ms)";
    }
  }

  static CustomMetric[] supported() {
    return new CustomMetric[] {new FilesListed(), new BytesListed(), new PlanningMs()};
  }

  static CustomTaskMetric value(String name, long value) {
    return new CustomTaskMetric() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long value() {
        return value;
      }
    };
  }
}
