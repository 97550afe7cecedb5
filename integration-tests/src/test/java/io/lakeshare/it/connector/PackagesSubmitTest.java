package io.lakeshare.it.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.spark.SparkLine;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-submit --packages io.lakeshare:lakeshare-spark-<line>_<scala>:<version>} (the line
 * and Scala of the Spark this suite runs on) resolves the connector from the local Maven repository
 * with every remote repository unreachable, and reads a fixture table. The child JVM gets Spark's
 * jars only: no Lakeshare class, no Delta, no HttpClient 5.
 */
class PackagesSubmitTest {
  @TempDir Path dir;

  @Test
  void sparkSubmitWithPackagesReadsTheDemoTableOffline() throws Exception {
    String version = System.getProperty("lakeshare.version", "0.1.0-SNAPSHOT");
    Path root = Path.of(System.getProperty("lakeshare.root", ".."));
    String line =
        SparkLine.LINE + "_" + scala.util.Properties$.MODULE$.versionNumberString().substring(0, 4);
    String artifact = "lakeshare-spark-" + line;
    String jarName = artifact + "-" + version + ".jar";
    Path built = root.resolve("spark-connector/spark-" + line + "/target").resolve(jarName);
    Path installed =
        Path.of(System.getProperty("user.home"), ".m2/repository/io/lakeshare", artifact)
            .resolve(version)
            .resolve(jarName);
    assumeTrue(
        Files.exists(built) && Files.exists(installed) && Files.mismatch(built, installed) == -1,
        "the connector jar in ~/.m2 is not the one just built: run `mvn install` (README's test"
            + " command) for this test");

    String table = Connector.url(FixtureTables.T_PART);
    long expectedRows =
        Connector.spark()
            .read()
            .format("delta")
            .load(FixtureTables.get().table(FixtureTables.T_PART).path().toString())
            .count();

    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--") || a.equals("-XX:+IgnoreUnrecognizedVMOptions")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(sparkOnlyClasspath());
    cmd.addAll(
        List.of(
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.driver.bindAddress=127.0.0.1",
            "--conf",
            "spark.jars.ivy=" + dir.resolve("ivy"),
            "--packages",
            "io.lakeshare:" + artifact + ":" + version,
            "--class",
            "io.lakeshare.spark.ShowSharedTable",
            "spark-internal",
            table,
            "3"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    // every remote repository dead: resolution must come from ~/.m2
    pb.environment().put("DEFAULT_ARTIFACT_REPOSITORY", "http://127.0.0.1:9/");
    Path log = dir.resolve("submit.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    boolean done = p.waitFor(240, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(done).as(out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("found io.lakeshare#" + artifact + ";" + version + " in local-m2-cache")
        .contains("rows=" + expectedRows + " ")
        .containsPattern("\\|id *\\|value *\\|date *\\|");
  }

  /** This JVM's classpath without Lakeshare, Delta and HttpClient 5. */
  private static String sparkOnlyClasspath() {
    // surefire runs tests from a manifest-only jar and puts the real classpath here
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return List.of(cp.split(File.pathSeparator)).stream()
        .filter(e -> !e.contains("lakeshare"))
        .filter(e -> !e.contains("/io/delta/") && !e.contains("httpcomponents/client5"))
        .filter(e -> !e.contains("httpcomponents/core5") && !e.contains("surefire"))
        .filter(e -> !e.contains("/target/"))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
