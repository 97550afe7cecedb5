package io.lakeshare.it.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive the server module builds, unpacked and used as a provider would: the
 * version, the demo's end-to-end self-check, a recipient created with the CLI, and the sample
 * configuration served (pointed at a table) through the bin script, read with the recipient's
 * profile, audited, and stopped gracefully by SIGTERM.
 */
class DistributionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static Path archive() throws IOException {
    Path target = Path.of("..", "sharing-server", "target").toAbsolutePath().normalize();
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(
              p -> p.getFileName().toString().matches("lakeshare-server-.*-dist\\.tar\\.gz"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no distribution archive in " + target));
    }
  }

  /**
   * Runs the bin script with {@code args} to its end and returns what it printed; {@code javaHome}
   * (or null for the java on the path) is the JDK it runs on.
   */
  private static String run(Path home, Path javaHome, String... args) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Stream.concat(
                        Stream.of(home.resolve("bin/lakeshare-server").toString()), Stream.of(args))
                    .toList())
            .redirectErrorStream(true);
    if (javaHome != null) {
      pb.environment().put("JAVA_HOME", javaHome.toString());
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** The archive unpacked under {@code into}: the distribution's home directory. */
  private static Path unpack(Path into) throws Exception {
    Files.createDirectories(into);
    Process untar =
        new ProcessBuilder("tar", "xzf", archive().toString(), "-C", into.toString())
            .inheritIO()
            .start();
    assertThat(untar.waitFor()).isZero();
    try (Stream<Path> s = Files.list(into)) {
      return s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  @Test
  void theArchiveRunsTheDemoAndServesTheSampleConfig() throws Exception {
    Path home = unpack(dir);
    assertThat(home.resolve("LICENSE")).exists();
    assertThat(home.resolve("NOTICE")).exists();
    assertThat(home.resolve("conf/log4j2.xml")).exists();
    assertThat(Files.isExecutable(home.resolve("bin/lakeshare-server"))).isTrue();

    assertThat(run(home, null, "--version")).matches("(?s)lakeshare-server \\d+\\.\\d+\\.\\d+.*");

    // the demo writes a Delta table, serves it and checks it end to end
    Path demo = dir.resolve("demo");
    assertThat(run(home, null, "demo", "--dir", demo.toString(), "--exit"))
        .contains("Self-check passed");
    Path table = demo.resolve("tables").resolve("sales");
    assertThat(table.resolve("_delta_log")).isDirectory();

    // the sample config, pointed at that table and at free local ports
    Path conf = home.resolve("conf/server.yaml");
    String sample = Files.readString(conf);
    assertThat(sample).contains("/var/lib/lakeshare/tables/sales").contains("recipientsFile");
    Files.writeString(
        conf,
        sample
            .replace("/var/lib/lakeshare/tables/sales", table.toUri().toString())
            .replace("host: 0.0.0.0", "host: 127.0.0.1")
            .replace("port: 8080", "port: 0")
            .replace("port: 9464", "port: 0"));
    Path profile = dir.resolve("acme.share");
    run(
        home,
        null,
        "recipients",
        "create",
        "--file",
        home.resolve("conf/recipients.yaml").toString(),
        "--name",
        "acme",
        "--grant",
        "share1",
        "--endpoint",
        "http://127.0.0.1/delta-sharing",
        "--profile",
        profile.toString());
    String token = JSON.readTree(profile.toFile()).path("bearerToken").asText();

    Serving server = serve(home, conf, null);
    try {
      assertThat(server.printed())
          .contains("Lakeshare 0.1.0")
          .contains("1 tables, 1 recipients")
          .contains("INFO") // the archive's logging configuration is in force
          .doesNotContain(token);
      assertThat(sharesStatus(server.endpoint(), token)).isEqualTo(200);
      HttpResponse<String> shares =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(server.endpoint() + "/shares"))
                      .header("Authorization", "Bearer " + token)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode items = JSON.readTree(shares.body()).path("items");
      assertThat(items.get(0).path("name").asText()).isEqualTo("share1");

      // SIGTERM: a graceful stop, and the audit line of the request is on disk
      server.process().toHandle().destroy();
      assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      server.process().destroyForcibly();
    }
    List<String> audit = Files.readAllLines(home.resolve("logs/audit.json"));
    assertThat(audit).anyMatch(l -> l.contains("\"recipient\":\"acme\""));
    assertThat(String.join("\n", audit)).doesNotContain(token);
    // the first serve left its class-data archive; the next start maps it and still serves
    Path archive = home.resolve("lib/lakeshare-server.jsa");
    assertThat(archive).isRegularFile();
    assertThat(Files.size(archive)).isGreaterThan(1_000_000L);
    Serving again = serve(home, conf, null);
    try {
      assertThat(sharesStatus(again.endpoint(), token)).isEqualTo(200);
      // nothing of class-data sharing reaches the output
      assertThat(again.printed()).doesNotContainIgnoringCase("cds").doesNotContain("jsa");
      // with one or two CPUs the script picks the serial collector, with a smaller young
      // generation
      List<String> args = again.process().info().arguments().map(List::of).orElse(List.of());
      if (cpus() <= 2) {
        assertThat(args).contains("-XX:+UseSerialGC", "-XX:NewRatio=8");
      } else {
        assertThat(args).doesNotContain("-XX:+UseSerialGC", "-XX:NewRatio=8");
      }
      again.process().toHandle().destroy();
      assertThat(again.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      again.process().destroyForcibly();
    }
  }

  /** The CPUs {@code nproc} counts, as the bin script does. */
  private static int cpus() throws Exception {
    Process p = new ProcessBuilder("nproc").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).isZero();
    return Integer.parseInt(out);
  }

  /**
   * A JDK of release 25 or newer on this machine ({@code LAKESHARE_IT_JAVA25} names its home), or
   * null.
   */
  private static Path java25() throws IOException {
    String named = System.getenv("LAKESHARE_IT_JAVA25");
    List<Path> candidates = new java.util.ArrayList<>();
    if (named != null && !named.isBlank()) {
      candidates.add(Path.of(named));
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> s = Files.list(jvms)) {
        s.sorted().forEach(candidates::add);
      }
    }
    Pattern version = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
    for (Path home : candidates) {
      Path release = home.resolve("release");
      if (Files.isRegularFile(release) && Files.isExecutable(home.resolve("bin/java"))) {
        Matcher m = version.matcher(Files.readString(release));
        if (m.find() && Integer.parseInt(m.group(1)) >= 25) {
          return home;
        }
      }
    }
    return null;
  }

  /** A started {@code serve}: the process, its endpoint and what it printed until it served. */
  private record Serving(Process process, String endpoint, String printed) {}

  /**
   * Starts {@code serve} with {@code conf} on {@code javaHome} (null: the java on the path) and
   * returns once it serves.
   */
  private static Serving serve(Path home, Path conf, Path javaHome) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                home.resolve("bin/lakeshare-server").toString(),
                "serve",
                "--config",
                conf.toString())
            .redirectErrorStream(true);
    if (javaHome != null) {
      pb.environment().put("JAVA_HOME", javaHome.toString());
    }
    pb.environment().put("LAKESHARE_HEAP", "512m");
    Process p = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    Pattern serving = Pattern.compile("serving on port (\\d+) at (\\S+)");
    for (String line; (line = out.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = serving.matcher(line);
      if (m.find()) {
        // keep draining what it prints, so that it never blocks on a full pipe
        Thread drain =
            new Thread(
                () -> {
                  try {
                    out.transferTo(java.io.Writer.nullWriter());
                  } catch (IOException e) {
                    // the process ended
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return new Serving(p, m.group(2), seen.toString());
      }
    }
    p.destroyForcibly();
    throw new AssertionError("serve ended without serving:\n" + seen);
  }

  private static int sharesStatus(String endpoint, String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(endpoint + "/shares"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * On Java 25 and newer the bin script keeps an AOT cache instead of a class-data archive: the
   * first serve writes {@code lib/lakeshare-server.aot} when it stops, the next start maps it and
   * serves, and neither prints Java's native-access warnings. Skipped without such a JDK.
   */
  @Test
  void onJava25TheFirstServeLeavesAnAotCacheThatTheNextStartUses() throws Exception {
    Path jdk = java25();
    org.junit.jupiter.api.Assumptions.assumeTrue(jdk != null, "no JDK 25 or newer here");
    Path home = unpack(dir.resolve("j25"));
    Path demo = dir.resolve("demo25");
    assertThat(run(home, jdk, "demo", "--dir", demo.toString(), "--exit"))
        .contains("Self-check passed");

    String token = "distribution-java25-token-0123456789";
    Path conf = home.resolve("conf/java25.yaml");
    Files.writeString(
        conf,
        """
        version: 1
        host: 127.0.0.1
        port: 0
        authorization: {bearerToken: %s}
        shares:
        - name: s
          schemas:
          - name: d
            tables:
            - {name: sales, location: "%s"}
        """
            .formatted(token, demo.resolve("tables").resolve("sales").toUri()));
    Path aot = home.resolve("lib/lakeshare-server.aot");

    Serving first = serve(home, conf, jdk);
    try {
      assertThat(sharesStatus(first.endpoint(), token)).isEqualTo(200);
      // SIGTERM: the JVM assembles the cache as it exits, printing as it goes; Process.destroy()
      // would also close the pipe it prints to, and a JVM that cannot print leaves no cache
      first.process().toHandle().destroy();
      assertThat(first.process().waitFor(120, TimeUnit.SECONDS)).isTrue();
    } finally {
      first.process().destroyForcibly();
    }
    assertThat(aot).isRegularFile();
    assertThat(Files.size(aot)).isGreaterThan(1_000_000L);
    assertThat(home.resolve("lib/lakeshare-server.jsa")).doesNotExist();
    assertThat(first.printed()).doesNotContain("restricted method");

    Serving again = serve(home, conf, jdk);
    try {
      assertThat(sharesStatus(again.endpoint(), token)).isEqualTo(200);
      assertThat(again.printed())
          .doesNotContainIgnoringCase("aot")
          .doesNotContainIgnoringCase("cds")
          .doesNotContain("restricted method");
      // the process runs with the cache the first serve left
      assertThat(again.process().info().arguments().map(List::of).orElse(List.of()))
          .contains("-XX:AOTCache=" + aot);
      again.process().toHandle().destroy();
      assertThat(again.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      again.process().destroyForcibly();
    }
  }
}
