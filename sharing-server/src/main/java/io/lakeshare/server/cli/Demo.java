package io.lakeshare.server.cli;

import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.QueryResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.protocol.model.Table;
import io.lakeshare.protocol.profile.Profile;
import io.lakeshare.protocol.profile.ProfileParser;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.config.ServerConfig;
import io.lakeshare.server.demo.DemoInfo;
import io.lakeshare.server.demo.DemoTable;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The embedded default: writes a small partitioned Delta table with a few versions, serves it,
 * writes the recipient's profile, reads the table back through the protocol client, and prints how
 * to read it with curl, Python and Spark.
 */
final class Demo {
  private Demo() {}

  record Options(Path dir, int port, boolean exit) {}

  static int run(Options o, PrintStream out) throws Exception {
    long started = System.nanoTime();
    Files.createDirectories(o.dir());
    DemoInfo info = DemoTable.write(o.dir().resolve("tables"));
    out.printf(
        "Wrote Delta table %s: %d versions, %d rows%n",
        info.tableRoot(), info.latestVersion() + 1, info.rowCount());
    byte[] t = new byte[24];
    new SecureRandom().nextBytes(t);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
    String yaml =
        String.join(
            "\n",
            "version: 1",
            "shares:",
            "- name: demo",
            "  schemas:",
            "  - name: default",
            "    tables:",
            "    - name: sales",
            "      location: \"" + info.tableRoot().toUri() + "\"",
            "      id: 00000000-0000-4000-8000-000000000001",
            "      historyShared: true",
            "authorization:",
            "  bearerToken: " + token,
            "host: 127.0.0.1",
            "port: " + o.port(),
            "endpoint: /delta-sharing",
            "preSignedUrlTimeoutSeconds: 3600",
            "");
    Path configFile = o.dir().resolve("server.yaml");
    Files.writeString(configFile, yaml, StandardCharsets.UTF_8);
    ServerConfig config = ConfigLoader.load(configFile);
    SharingServer server = SharingServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> Main.closeQuietly(server)));
    String profileJson =
        "{\"shareCredentialsVersion\":1,\"endpoint\":\""
            + server.endpointUrl()
            + "\",\"bearerToken\":\""
            + token
            + "\"}\n";
    Path profileFile = o.dir().resolve("demo.share");
    Files.writeString(profileFile, profileJson, StandardCharsets.UTF_8);
    boolean ok = selfCheck(ProfileParser.parse(profileJson, profileFile.toString()), info, out);
    out.printf("Ready in %.1f s.%n%n", (System.nanoTime() - started) / 1e9);
    printHowTo(out, server, profileFile, configFile, token);
    if (o.exit() || !ok) {
      server.close();
      return ok ? 0 : 1;
    }
    out.println("Serving until Ctrl-C.");
    server.join();
    return 0;
  }

  private static boolean selfCheck(Profile profile, DemoInfo info, PrintStream out)
      throws Exception {
    try (DeltaSharingClient client = DeltaSharingClient.builder(profile).build()) {
      List<Table> tables = client.listAllTablesInShare("demo");
      TableRef ref = new TableRef("demo", "default", "sales");
      long version = client.getTableVersion(ref, null);
      long files = 0;
      long rows = 0;
      String firstUrl = null;
      try (QueryResponse r = client.queryTable(ref, QueryTableRequest.EMPTY, RequestOptions.NONE)) {
        while (r.hasNext()) {
          ResponseAction a = r.next();
          if (a instanceof FileAction f) {
            files++;
            rows += numRecords(f.stats());
            if (firstUrl == null) {
              firstUrl = f.url();
            }
          }
        }
      }
      boolean parquet = firstUrl != null && startsWithParquetMagic(firstUrl);
      boolean ok = version == info.latestVersion() && rows == info.rowCount() && parquet;
      out.printf(
          "Self-check %s: %d table(s) listed, version %d, %d files with %d rows (expected %d),"
              + " first file %s%n",
          ok ? "passed" : "FAILED",
          tables.size(),
          version,
          files,
          rows,
          info.rowCount(),
          parquet ? "downloaded and is Parquet" : "could not be read");
      return ok;
    }
  }

  private static boolean startsWithParquetMagic(String url) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<InputStream> resp =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=0-3").build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = resp.body()) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).equals("PAR1");
    }
  }

  private static long numRecords(String stats) {
    if (stats == null) {
      return 0;
    }
    var m = java.util.regex.Pattern.compile("\"numRecords\"\\s*:\\s*(\\d+)").matcher(stats);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static void printHowTo(
      PrintStream out, SharingServer server, Path profile, Path config, String token) {
    String base = server.endpointUrl();
    out.println("Server config: " + config);
    out.println("Recipient profile: " + profile);
    out.println();
    out.println("curl:");
    out.println("  curl -H 'Authorization: Bearer " + token + "' " + base + "/shares");
    out.println(
        "  curl -H 'Authorization: Bearer "
            + token
            + "' "
            + base
            + "/shares/demo/schemas/default/tables/sales/metadata");
    out.println(
        "  curl -X POST -H 'Authorization: Bearer "
            + token
            + "' -H 'Content-Type: application/json' -d '{}' "
            + base
            + "/shares/demo/schemas/default/tables/sales/query");
    out.println();
    out.println("Python (pip install delta-sharing):");
    out.println("  import delta_sharing");
    out.println("  delta_sharing.load_as_pandas('" + profile + "#demo.default.sales')");
    out.println();
    out.println("Spark (a Delta Sharing connector on the classpath):");
    out.println(
        "  spark.read.format(\"deltaSharing\").load(\""
            + profile
            + "#demo.default.sales\").show()");
  }
}
