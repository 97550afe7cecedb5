package io.lakeshare.it.storage;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Azurite's blob service (npm {@code azurite}) as a child process on 127.0.0.1, one per JVM. It is
 * installed with npm into {@code integration-tests/target/azurite} on first use; tests skip only
 * when node or npm are missing.
 */
final class AzuriteServer {
  private static final Logger LOG = LoggerFactory.getLogger(AzuriteServer.class);
  private static final String VERSION = "3.37.0";

  /** Azurite's fixed development account and its published key. */
  static final String ACCOUNT = "devstoreaccount1";

  static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static String endpoint;
  private static String unavailable;

  private AzuriteServer() {}

  /** Why Azurite cannot run here, or null. */
  static synchronized String unavailableReason() {
    if (endpoint == null && unavailable == null) {
      if (!onPath("node") || !onPath("npm")) {
        unavailable = "node and npm are needed to run Azurite and are not on the PATH";
        LOG.warn("Skipping Azure tests: {}", unavailable);
      }
    }
    return unavailable;
  }

  /** The blob endpoint, e.g. {@code http://127.0.0.1:41234/devstoreaccount1}. */
  static synchronized String endpoint() {
    if (endpoint == null) {
      try {
        endpoint = start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start Azurite", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return endpoint;
  }

  private static String start() throws IOException, InterruptedException {
    Path home = Path.of("target", "azurite").toAbsolutePath();
    Path bin = home.resolve("node_modules/.bin/azurite-blob");
    if (!Files.isExecutable(bin)) {
      Files.createDirectories(home);
      LOG.info("Installing azurite@{} with npm into {}", VERSION, home);
      run(
          home,
          List.of(
              "npm",
              "install",
              "--prefix",
              home.toString(),
              "--no-audit",
              "--no-fund",
              "azurite@" + VERSION),
          600);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path data = Files.createTempDirectory("azurite-");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                bin.toString(),
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                Integer.toString(port),
                "--location",
                data.toString(),
                "--silent",
                "--skipApiVersionCheck",
                "--loose"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(data.resolve("azurite.log").toFile())
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!listening(port)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(
            "Azurite did not start: " + Files.readString(data.resolve("azurite.log")));
      }
      Thread.sleep(100);
    }
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(Path dir, List<String> cmd, int seconds)
      throws IOException, InterruptedException {
    File log = dir.resolve("npm-install.log").toFile();
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(
          "'" + String.join(" ", cmd) + "' failed: " + Files.readString(log.toPath()));
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
