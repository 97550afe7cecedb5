package io.lakeshare.it.storage;

import io.lakeshare.it.fixtures.SparkFixture;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.profile.Profile;
import io.lakeshare.protocol.profile.ProfileParser;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A Delta table written by delta-spark to object storage, shared by a running Lakeshare server:
 * what a test needs to read it through the protocol and to compare with delta-spark's own answer.
 * Obtain one from {@link S3Tables} or {@link AzureTables}; servers stop at JVM exit.
 */
public final class CloudTable {
  /** Bearer token of every server these fixtures start. */
  public static final String TOKEN = "cloud-test-token-0123456789";

  private final SharingServer server;
  private final String yaml;
  private final String share;
  private final String schema;
  private final String table;
  private final String oraclePath;

  CloudTable(
      SharingServer server,
      String yaml,
      String share,
      String schema,
      String table,
      String oraclePath) {
    this.server = server;
    this.yaml = yaml;
    this.share = share;
    this.schema = schema;
    this.table = table;
    this.oraclePath = oraclePath;
  }

  /** Starts a server for {@code yaml} (port 0) and stops it at JVM exit. */
  static SharingServer startServer(String yaml) {
    try {
      SharingServer s = SharingServer.start(ConfigLoader.parse(yaml, "cloud-test.yaml"));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      s.close();
                    } catch (Exception e) {
                      // JVM exit
                    }
                  }));
      return s;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the server with\n" + yaml, e);
    }
  }

  public String share() {
    return share;
  }

  public String schema() {
    return schema;
  }

  public String table() {
    return table;
  }

  /** {@code share.schema.table}, the part after {@code #} in a connector path. */
  public String qualifiedName() {
    return share + "." + schema + "." + table;
  }

  public TableRef ref() {
    return new TableRef(share, schema, table);
  }

  /** The server's endpoint URL, for a profile file. */
  public String endpoint() {
    return server.endpointUrl();
  }

  /** The server configuration text, including the storage entry. */
  public String yaml() {
    return yaml;
  }

  /** The table location as delta-spark wrote it ({@code s3a://...} or {@code wasb://...}). */
  public String oraclePath() {
    return oraclePath;
  }

  /** delta-spark's reading of the table through the shared SparkSession. */
  public Dataset<Row> oracle() {
    return SparkFixture.spark().read().format("delta").load(oraclePath);
  }

  /** The text of a recipient profile file for this server. */
  public String profileJson() {
    return "{\"shareCredentialsVersion\":1,\"endpoint\":\""
        + endpoint()
        + "\",\"bearerToken\":\""
        + TOKEN
        + "\"}";
  }

  public Profile profile() {
    return ProfileParser.parse(profileJson(), "cloud test profile");
  }

  public DeltaSharingClient client() {
    return DeltaSharingClient.builder(profile())
        .maxRetries(1)
        .initialBackoff(Duration.ofMillis(10))
        .build();
  }
}
