package io.lakeshare.spark;

/**
 * Refuses to run on a Spark line other than the one this jar is built for, with a message that
 * names the jar to use instead, rather than failing later with a {@code NoSuchMethodError} deep in
 * a scan.
 */
final class SparkLineCheck {
  private static volatile boolean verified;

  private SparkLineCheck() {}

  static void verify() {
    if (verified) {
      return;
    }
    String running = org.apache.spark.package$.MODULE$.SPARK_VERSION();
    String problem = problem(SparkLine.LINE, running, scalaBinaryVersion());
    if (problem != null) {
      throw new IllegalStateException(problem);
    }
    verified = true;
  }

  /** The Scala binary version of the running Scala library, such as {@code 2.13}. */
  static String scalaBinaryVersion() {
    String full = scala.util.Properties$.MODULE$.versionNumberString();
    int second = full.indexOf('.', full.indexOf('.') + 1);
    return second < 0 ? full : full.substring(0, second);
  }

  /** Why a jar built for {@code line} cannot run on Spark {@code running}, or null if it can. */
  static String problem(String line, String running, String scala) {
    String runningLine = lineOf(running);
    if (runningLine.equals(line) || (line.equals("4.2") && laterFourLine(runningLine))) {
      return null;
    }
    String supported = "(Lakeshare supports Spark 3.5 with Scala 2.12 or 2.13, and Spark 4.x)";
    String start =
        "This Lakeshare connector jar is built for Spark "
            + line
            + " but runs on Spark "
            + running
            + " (Scala "
            + scala
            + ")";
    if (runningLine.equals("3.5")) {
      return start + ": use lakeshare-spark-3.5_" + scala + " instead " + supported;
    }
    if (laterFourLine(runningLine)) {
      return start + ": use lakeshare-spark-4.2_2.13 instead " + supported;
    }
    return start + ", which Lakeshare does not support " + supported;
  }

  /**
   * The 4.2 build runs on every 4.x line: the APIs that differ between 4.0, 4.1 and 4.2 are looked
   * up at run time (see this line's {@code SparkInternals}).
   */
  private static boolean laterFourLine(String runningLine) {
    return runningLine.startsWith("4.");
  }

  private static String lineOf(String version) {
    int second = version.indexOf('.', version.indexOf('.') + 1);
    return second < 0 ? version : version.substring(0, second);
  }
}
