package io.lakeshare.it.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server jar's {@code serve} command in a child JVM, with the port taken from its start-up line
 * ("Lakeshare is serving on port N at URL"). Its output goes to {@code <config>.log}; the process
 * is destroyed at JVM exit.
 */
final class ChildServer {
  private static final Pattern SERVING = Pattern.compile("serving on port (\\d+) at (\\S+)");

  private final int port;
  private final String endpoint;

  private ChildServer(int port, String endpoint) {
    this.port = port;
    this.endpoint = endpoint;
  }

  int port() {
    return port;
  }

  String endpoint() {
    return endpoint;
  }

  static ChildServer start(Path jar, String yaml) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "The server jar " + jar + " does not exist: build sharing-server first (mvn install)");
    }
    try {
      Path config = Files.createTempFile("lakeshare-it-", ".yaml");
      Files.writeString(config, yaml);
      Path log = Path.of(config + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p =
          new ProcessBuilder(
                  java, "-Xmx1g", "-jar", jar.toString(), "serve", "--config", config.toString())
              .redirectErrorStream(true)
              .start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    p.destroy();
                    try {
                      p.waitFor(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    p.destroyForcibly();
                  },
                  "lakeshare-child-server-stop"));
      CompletableFuture<String[]> serving = new CompletableFuture<>();
      List<String> head = new ArrayList<>();
      Thread pump =
          new Thread(
              () -> {
                try (BufferedReader r =
                        new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    var out = Files.newBufferedWriter(log)) {
                  for (String line; (line = r.readLine()) != null; ) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    Matcher m = SERVING.matcher(line);
                    if (!serving.isDone()) {
                      synchronized (head) {
                        head.add(line);
                      }
                      if (m.find()) {
                        serving.complete(new String[] {m.group(1), m.group(2)});
                      }
                    }
                  }
                } catch (IOException e) {
                  serving.completeExceptionally(e);
                }
                serving.completeExceptionally(new IOException("the server exited"));
              },
              "lakeshare-child-server-output");
      pump.setDaemon(true);
      pump.start();
      String[] found;
      try {
        found = serving.get(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
        String output;
        synchronized (head) {
          output = String.join("\n", head);
        }
        throw new IllegalStateException(
            "The child server did not start (" + e + "); its output:\n" + output, e);
      }
      return new ChildServer(Integer.parseInt(found[0]), found[1]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the child server", e);
    }
  }
}
