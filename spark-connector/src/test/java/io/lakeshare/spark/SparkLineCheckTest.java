package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparkLineCheckTest {
  @Test
  void theJarRunsOnItsOwnLine() {
    // the Spark these tests run on is the line this module is built for
    String running = org.apache.spark.package$.MODULE$.SPARK_VERSION();
    assertThat(running).startsWith(SparkLine.LINE + ".");
    assertThat(SparkLineCheck.problem(SparkLine.LINE, running, "2.13")).isNull();
    SparkLineCheck.verify();
  }

  @Test
  void anotherLineIsRefusedNamingTheJarToUse() {
    assertThat(SparkLineCheck.problem("3.5", "4.2.0", "2.13"))
        .isEqualTo(
            "This Lakeshare connector jar is built for Spark 3.5 but runs on Spark 4.2.0 (Scala"
                + " 2.13): use lakeshare-spark-4.2_2.13 instead (Lakeshare supports Spark 3.5 with"
                + " Scala 2.12 or 2.13, and Spark 4.x)");
    assertThat(SparkLineCheck.problem("4.2", "3.5.9", "2.12"))
        .contains("runs on Spark 3.5.9 (Scala 2.12): use lakeshare-spark-3.5_2.12 instead");
    assertThat(SparkLineCheck.problem("4.2", "4.0.1", "2.13")).isNull();
    assertThat(SparkLineCheck.problem("4.2", "4.1.3", "2.13")).isNull();
    assertThat(SparkLineCheck.problem("4.2", "5.0.0", "2.13"))
        .endsWith(
            "runs on Spark 5.0.0 (Scala 2.13), which Lakeshare does not support (Lakeshare supports"
                + " Spark 3.5 with Scala 2.12 or 2.13, and Spark 4.x)");
    assertThat(SparkLineCheck.problem("3.5", "3.4.1", "2.12"))
        .contains("which Lakeshare does not support");
    assertThat(SparkLineCheck.problem("4.2", "4.3.0", "2.13")).isNull();
    assertThat(SparkLineCheck.problem("3.5", "3.5.0", "2.12")).isNull();
  }

  @Test
  void theScalaVersionIsTheBinaryOne() {
    assertThat(SparkLineCheck.scalaBinaryVersion()).matches("2\\.1[23]");
  }
}
