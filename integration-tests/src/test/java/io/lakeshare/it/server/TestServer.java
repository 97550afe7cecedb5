package io.lakeshare.it.server;

import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.profile.Profile;
import io.lakeshare.protocol.profile.ProfileParser;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The real Lakeshare server on port 0, serving the delta-spark fixture tables: in-process, or a
 * child JVM when {@link #SERVER_JAR_PROPERTY} names the server jar. One server per distinct
 * configuration per JVM; they stop at JVM exit.
 */
public final class TestServer {
  public static final String TOKEN = "test-token-0123456789";
  private static final Map<String, TestServer> SERVERS = new ConcurrentHashMap<>();

  /**
   * When set, the server runs as a child JVM from this jar ({@code lakeshare-server-*-all.jar})
   * instead of in-process: the suites of the older Spark lines run that way, because the server's
   * libraries (Jetty 12, Jackson 2.21, Parquet 1.17, Hadoop 3.5) are not those of Spark 3.5.
   */
  public static final String SERVER_JAR_PROPERTY = "lakeshare.it.serverJar";

  private final String endpoint;
  private final int port;
  private final String yaml;

  private TestServer(String endpoint, int port, String yaml) {
    this.endpoint = endpoint;
    this.port = port;
    this.yaml = yaml;
  }

  /** Whether servers run as child JVMs ({@link #SERVER_JAR_PROPERTY}). */
  public static boolean external() {
    return System.getProperty(SERVER_JAR_PROPERTY) != null;
  }

  /** The default server: shares s1 (schema default: every fixture table) and s2, s3. */
  public static TestServer get() {
    return get(new Options());
  }

  public static TestServer get(Options options) {
    String yaml = options.yaml();
    return SERVERS.computeIfAbsent(yaml, TestServer::start);
  }

  private static TestServer start(String yaml) {
    String jar = System.getProperty(SERVER_JAR_PROPERTY);
    if (jar != null) {
      ChildServer child = ChildServer.start(java.nio.file.Path.of(jar), yaml);
      return new TestServer(child.endpoint(), child.port(), yaml);
    }
    try {
      ServerConfig config = ConfigLoader.parse(yaml, "test-config.yaml");
      SharingServer s = SharingServer.start(config);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      s.close();
                    } catch (Exception e) {
                      // JVM is exiting
                    }
                  }));
      return new TestServer(s.endpointUrl(), s.port(), yaml);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the test server with\n" + yaml, e);
    }
  }

  public String endpoint() {
    return endpoint;
  }

  public int port() {
    return port;
  }

  public Profile profile() {
    return profile(TOKEN);
  }

  public Profile profile(String token) {
    return ProfileParser.parse(
        "{\"shareCredentialsVersion\":1,\"endpoint\":\""
            + endpoint()
            + "\",\"bearerToken\":\""
            + token
            + "\"}",
        "test profile");
  }

  public DeltaSharingClient client() {
    return DeltaSharingClient.builder(profile())
        .maxRetries(1)
        .initialBackoff(Duration.ofMillis(10))
        .build();
  }

  public RawHttp raw() {
    return new RawHttp(endpoint(), TOKEN);
  }

  public String yaml() {
    return yaml;
  }

  /** Server settings that tests vary; every fixture table is shared in s1.default. */
  public static final class Options {
    private boolean auth = true;
    private final List<String> topLevel = new ArrayList<>();
    private final List<String[]> extraTables = new ArrayList<>();
    private final List<String> extraTableYaml = new ArrayList<>();

    /** Shares one more table, at {@code location}, in s1.default (history shared). */
    public Options table(String name, java.nio.file.Path location) {
      extraTables.add(new String[] {name, location.toUri().toString()});
      return this;
    }

    /**
     * Shares a directory of Parquet files ({@code format: parquet}) in s1.default, listed again on
     * every request; {@code settings} are further YAML lines of the table entry such as {@code
     * "partitionColumnTypes: {p: string}"}.
     */
    public Options parquetTable(String name, java.nio.file.Path location, String... settings) {
      StringBuilder b = new StringBuilder();
      b.append("    - name: ").append(name).append('\n');
      b.append("      location: \"").append(location.toUri()).append("\"\n");
      b.append("      format: parquet\n      listingRefreshSeconds: 0\n");
      for (String line : settings) {
        b.append("      ").append(line).append('\n');
      }
      extraTableYaml.add(b.toString());
      return this;
    }

    public Options noAuth() {
      auth = false;
      return this;
    }

    /** Adds a top-level YAML line such as {@code refreshTokenTtlMs: 0}. */
    public Options with(String yamlLine) {
      topLevel.add(yamlLine);
      return this;
    }

    public String yaml() {
      FixtureTables f = FixtureTables.get();
      StringBuilder b = new StringBuilder();
      b.append("version: 1\n");
      b.append("host: 127.0.0.1\nport: 0\nendpoint: /delta-sharing\n");
      if (auth) {
        b.append("authorization:\n  bearerToken: ").append(TOKEN).append('\n');
      }
      for (String line : topLevel) {
        b.append(line).append('\n');
      }
      b.append("shares:\n");
      b.append("- name: s1\n  schemas:\n  - name: default\n    tables:\n");
      Consumer<String[]> table =
          t -> {
            b.append("    - name: ").append(t[0]).append('\n');
            b.append("      location: \"").append(f.table(t[1]).path().toUri()).append("\"\n");
            b.append("      id: ")
                .append(java.util.UUID.nameUUIDFromBytes(t[0].getBytes()))
                .append('\n');
            b.append("      historyShared: ").append(t[2]).append('\n');
            if (t.length > 3) {
              b.append("      startVersion: ").append(t[3]).append('\n');
            }
          };
      table.accept(new String[] {"t_plain", FixtureTables.T_PLAIN, "false"});
      table.accept(new String[] {"t_part", FixtureTables.T_PART, "true"});
      table.accept(new String[] {"t_hist", FixtureTables.T_HIST, "true"});
      table.accept(new String[] {"t_sv1", FixtureTables.T_SV1, "true", "1"});
      table.accept(new String[] {"t_cm", FixtureTables.T_CM, "true"});
      table.accept(new String[] {"t_dv", FixtureTables.T_DV, "true"});
      table.accept(new String[] {"t_dv_clean", FixtureTables.T_DV_CLEAN, "true"});
      table.accept(new String[] {"t_types", FixtureTables.T_TYPES, "true"});
      table.accept(new String[] {"t_types_part", FixtureTables.T_TYPES_PART, "true"});
      table.accept(new String[] {"t_empty", FixtureTables.T_EMPTY, "true"});
      table.accept(new String[] {"t_dv_hist", FixtureTables.T_DV_HIST, "true"});
      table.accept(new String[] {"t_cm_name", FixtureTables.T_CM_NAME, "true"});
      table.accept(new String[] {"t_cm_id", FixtureTables.T_CM_ID, "true"});
      table.accept(new String[] {"t_dv_many", FixtureTables.T_DV_MANY, "true"});
      for (String[] extra : extraTables) {
        b.append("    - name: ").append(extra[0]).append('\n');
        b.append("      location: \"").append(extra[1]).append("\"\n");
        b.append("      id: ")
            .append(java.util.UUID.nameUUIDFromBytes(extra[0].getBytes()))
            .append('\n');
        b.append("      historyShared: true\n");
      }
      extraTableYaml.forEach(b::append);
      b.append("  - name: other\n    tables:\n");
      table.accept(new String[] {"t_plain_copy", FixtureTables.T_PLAIN, "true"});
      b.append("- name: s2\n  schemas:\n  - name: sc_a\n    tables:\n");
      table.accept(new String[] {"a1", FixtureTables.T_PLAIN, "false"});
      b.append("  - name: sc_b\n    tables:\n");
      table.accept(new String[] {"b1", FixtureTables.T_PART, "false"});
      b.append("- name: s3\n");
      return b.toString();
    }
  }
}
