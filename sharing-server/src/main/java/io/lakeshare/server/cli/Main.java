package io.lakeshare.server.cli;

import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigException;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.config.ServerConfig;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code lakeshare-server} command line (picocli): {@code serve --config <file>}, the embedded
 * default {@code demo}, {@code token}, {@code recipients ...} and {@code --version}.
 */
@Command(
    name = "lakeshare-server",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "The Lakeshare Delta Sharing server. Without a command: the demo.",
    subcommands = {Main.Serve.class, Main.DemoCommand.class, RecipientsCommand.class})
public final class Main implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    return Demo.run(new Demo.Options(Path.of("lakeshare-demo").toAbsolutePath(), 0, false), out);
  }

  private PrintStream out = System.out;

  public static void main(String[] args) throws Exception {
    // before the first logger: the command's own logging unless the user names another
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "classpath:lakeshare-log4j2.xml");
    }
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Main main = new Main();
    main.out = out;
    CommandLine cl = new CommandLine(main);
    cl.addSubcommand("token", new TokenCommand(System.in));
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + e.getMessage());
          return 1;
        });
    return cl.execute(args);
  }

  /** The version of this build, for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"lakeshare-server " + version()};
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description =
          "Serve the shares of a config file; the file (and its recipients file) is reloaded when"
              + " it changes or on SIGHUP.")
  static final class Serve implements Callable<Integer> {
    @Option(
        names = {"-c", "--config"},
        required = true,
        paramLabel = "<file.yaml>",
        description = "the server configuration (the reference server's YAML format)")
    Path config;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      ServerConfig cfg;
      try {
        cfg = ConfigLoader.load(config);
      } catch (ConfigException e) {
        spec.commandLine()
            .getErr()
            .println("Invalid configuration " + config + ": " + e.getMessage());
        return 2;
      }
      SharingServer server = SharingServer.start(cfg);
      server.followConfigFile(config);
      onHangUp(server::reload);
      out.println(
          "Lakeshare "
              + version()
              + ": config "
              + config.toAbsolutePath().normalize()
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
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server)));
      server.join();
      return 0;
    }
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "Write a sample Delta table, serve it, write a profile and check it end to end.")
  static final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "lakeshare-demo", description = "where to write")
    Path dir;

    @Option(names = "--port", defaultValue = "0", description = "the port (0: any free one)")
    int port;

    @Option(names = "--exit", description = "stop after the check instead of serving")
    boolean exit;

    @CommandLine.ParentCommand Main parent;

    @Override
    public Integer call() throws Exception {
      return Demo.run(new Demo.Options(dir.toAbsolutePath().normalize(), port, exit), parent.out);
    }
  }

  /**
   * {@code token}: a new recipient token and the {@code tokenHash} to put in the config; {@code
   * token --stdin}: the hash of a token read from the first line of standard input.
   */
  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description = "Print a new recipient token and its tokenHash for the config.")
  static final class TokenCommand implements Callable<Integer> {
    private final java.io.InputStream in;

    @Option(names = "--stdin", description = "hash a token given on standard input instead")
    boolean stdin;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    TokenCommand(java.io.InputStream in) {
      this.in = in;
    }

    @Override
    public Integer call() throws java.io.IOException {
      PrintWriter out = spec.commandLine().getOut();
      String token;
      if (stdin) {
        java.io.BufferedReader r =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        String line = r.readLine();
        token = line == null ? "" : line.trim();
        if (token.length() < 16) {
          spec.commandLine().getErr().println("A recipient token must be at least 16 characters.");
          return 2;
        }
      } else {
        token = io.lakeshare.server.auth.TokenHash.newToken();
        out.println("token: " + token);
      }
      out.println("tokenHash: " + io.lakeshare.server.auth.TokenHash.of(token));
      return 0;
    }
  }

  /** {@code token} with its own input and output, as the command line runs it. */
  static int token(String[] args, java.io.InputStream in, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new TokenCommand(in));
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    return cl.execute(args);
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
}
