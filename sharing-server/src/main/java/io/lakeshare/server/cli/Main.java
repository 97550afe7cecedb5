package io.lakeshare.server.cli;

import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigException;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.config.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/** Command line: {@code serve --config <file>} and the embedded default {@code demo}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    // before the first logger: the command's own logging unless the user names another
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "classpath:lakeshare-log4j2.xml");
    }
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String command = args.length == 0 ? "demo" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "serve":
        return serve(rest, out, err);
      case "demo":
        return Demo.run(Demo.Options.parse(rest), out);
      case "token":
        return token(rest, System.in, out, err);
      case "recipients":
        return RecipientsCommand.run(rest, out, err);
      case "-V":
      case "--version":
      case "version":
        out.println("lakeshare-server " + version());
        return 0;
      case "-h":
      case "--help":
      case "help":
        usage(out);
        return 0;
      default:
        err.println("Unknown command '" + command + "'.");
        usage(err);
        return 2;
    }
  }

  private static int serve(String[] args, PrintStream out, PrintStream err) throws Exception {
    String config = null;
    for (int i = 0; i < args.length; i++) {
      if ((args[i].equals("--config") || args[i].equals("-c")) && i + 1 < args.length) {
        config = args[++i];
      } else if (args[i].startsWith("--config=")) {
        config = args[i].substring("--config=".length());
      } else if (!args[i].equals("--")) {
        err.println("Unknown option '" + args[i] + "'.");
        usage(err);
        return 2;
      }
    }
    if (config == null) {
      err.println("serve needs --config <file.yaml>.");
      return 2;
    }
    ServerConfig cfg;
    try {
      cfg = ConfigLoader.load(Path.of(config));
    } catch (ConfigException e) {
      err.println("Invalid configuration " + config + ": " + e.getMessage());
      return 2;
    }
    SharingServer server = SharingServer.start(cfg);
    server.followConfigFile(Path.of(config));
    onHangUp(server::reload);
    out.println(
        "Lakeshare "
            + version()
            + ": config "
            + Path.of(config).toAbsolutePath().normalize()
            + ", "
            + server.tableCount()
            + " tables, "
            + (cfg.open()
                ? "NO AUTHENTICATION (every request is accepted)"
                : cfg.recipients().size()
                    + " recipients"
                    + (cfg.authorization() != null ? " and a bearer token" : ""))
            + (server.metricsPort() > 0 ? ", metrics on port " + server.metricsPort() : "")
            + (cfg.ops().auditFile() != null ? ", audit log " + cfg.ops().auditFile() : ""));
    out.println("Lakeshare is serving on port " + server.port() + " at " + server.endpointUrl());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server)));
    server.join();
    return 0;
  }

  /**
   * {@code token}: a new recipient token and the {@code tokenHash} to put in the config; {@code
   * token --stdin}: the hash of a token read from the first line of standard input.
   */
  static int token(String[] args, java.io.InputStream in, PrintStream out, PrintStream err)
      throws java.io.IOException {
    boolean stdin = args.length == 1 && args[0].equals("--stdin");
    if (args.length > 0 && !stdin) {
      err.println("Unknown option '" + args[0] + "'.");
      usage(err);
      return 2;
    }
    String token;
    if (stdin) {
      java.io.BufferedReader r =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
      String line = r.readLine();
      token = line == null ? "" : line.trim();
      if (token.length() < 16) {
        err.println("A recipient token must be at least 16 characters.");
        return 2;
      }
    } else {
      token = io.lakeshare.server.auth.TokenHash.newToken();
      out.println("token: " + token);
    }
    out.println("tokenHash: " + io.lakeshare.server.auth.TokenHash.of(token));
    return 0;
  }

  /** This build's version, from the jar's resources. */
  static String version() {
    try (java.io.InputStream in = Main.class.getResourceAsStream("/lakeshare-version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** Runs {@code action} on SIGHUP, where the platform has it (the JDK's own signal API). */
  @SuppressWarnings("removal")
  private static void onHangUp(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // no SIGHUP here (or the JVM uses it): the file watch still reloads
    }
  }

  static void closeQuietly(SharingServer server) {
    try {
      server.close();
    } catch (Exception e) {
      // shutting down anyway
    }
  }

  private static void usage(PrintStream out) {
    out.println("Usage:");
    out.println("  lakeshare-server --version                     print the version");
    out.println(
        "  lakeshare-server serve --config <conf.yaml>   serve the shares of a config file");
    out.println(
        "  lakeshare-server recipients create|rotate|revoke|list --file <recipients.yaml> ...");
    out.println("      manage a recipients file (see 'recipients --help')");
    out.println("  lakeshare-server token [--stdin]");
    out.println("      print a new recipient token and its tokenHash for the config (--stdin: the");
    out.println("      tokenHash of a token given on standard input)");
    out.println("  lakeshare-server demo [--dir <folder>] [--port <n>] [--exit]");
    out.println("      write a sample Delta table, serve it, write a profile and check it end to");
    out.println("      end; --exit stops after the check instead of serving until Ctrl-C");
  }
}
