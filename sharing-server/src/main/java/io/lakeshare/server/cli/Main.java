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
    out.println("Lakeshare is serving on port " + server.port() + " at " + server.endpointUrl());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server)));
    server.join();
    return 0;
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
    out.println(
        "  lakeshare-server serve --config <conf.yaml>   serve the shares of a config file");
    out.println("  lakeshare-server demo [--dir <folder>] [--port <n>] [--exit]");
    out.println("      write a sample Delta table, serve it, write a profile and check it end to");
    out.println("      end; --exit stops after the check instead of serving until Ctrl-C");
  }
}
