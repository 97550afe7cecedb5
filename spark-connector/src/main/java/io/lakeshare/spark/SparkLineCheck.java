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
    return "This Lakeshare connector jar is built for Spark "
        + line
        + " but runs on Spark "
        + running
        + " (Scala "
        + scala
        + "): use lakeshare-spark-"
        + (running.startsWith("3.") ? "3.5" : "4.2")
        + "_"
        + scala
        + " instead (Lakeshare supports Spark 3.5 with Scala 2.12 or 2.13, and Spark 4.2 or later 4.x)";
  }

  /** 4.2 and later 4.x lines keep the APIs the 4.2 build uses; 4.0 and 4.1 lack some of them. */
  private static boolean laterFourLine(String runningLine) {
    if (!runningLine.startsWith("4.")) {
      return false;
    }
    try {
      return Integer.parseInt(runningLine.substring(2)) >= 2;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String lineOf(String version) {
    int second = version.indexOf('.', version.indexOf('.') + 1);
    return second < 0 ? version : version.substring(0, second);
  }
}
