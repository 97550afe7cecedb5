package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.rows;
import static io.lakeshare.it.connector.Connector.spark;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table shared with a partition filter templated by each recipient's {@code country} property,
 * read through the connector by two recipients: every path (snapshot, time travel, change data
 * feed, streams) equals delta-spark's read of the same table restricted to the recipient's
 * partitions, and one recipient's page and refresh tokens are refused for the other.
 *
 * <p>History (CDF on): v1 INSERT DE, FR, US and a NULL country; v2 INSERT DE and FR; v3 DELETE a DE
 * row; v4 UPDATE the FR rows; v5 INSERT DE and a NULL country.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionFilteredShareTest {
  private static final String DE_TOKEN = "recipient-de-token-0123456789";
  private static final String FR_TOKEN = "recipient-fr-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private Path table;
  private Path mapped;
  private SharingServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    table = dir.resolve("sales");
    String t = "delta.`" + table + "`";
    spark()
        .sql(
            "CREATE TABLE "
                + t
                + " (id BIGINT, country STRING, day DATE, amount DOUBLE) USING delta"
                + " PARTITIONED BY (country, day)"
                + " TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true',"
                + " 'delta.enableDeletionVectors' = 'false')");
    insert(
        t,
        "(1, 'DE', DATE'2024-01-01', 10.0), (2, 'FR', DATE'2024-01-01', 20.0),"
            + " (3, 'US', DATE'2024-01-01', 30.0), (4, CAST(NULL AS STRING), DATE'2024-01-01', 40.0)");
    insert(t, "(5, 'DE', DATE'2024-01-02', 50.0), (6, 'FR', DATE'2024-01-02', 60.0)");
    spark().sql("DELETE FROM " + t + " WHERE id = 1");
    spark().sql("UPDATE " + t + " SET amount = amount + 1 WHERE country = 'FR'");
    insert(
        t, "(7, 'DE', DATE'2024-01-03', 70.0), (8, CAST(NULL AS STRING), DATE'2024-01-03', 80.0)");
    // column mapping by name (physical partition keys differ from the names), deletion vectors
    // and a checkpoint every two commits
    mapped = dir.resolve("sales_mapped");
    String m = "delta.`" + mapped + "`";
    spark()
        .sql(
            "CREATE TABLE "
                + m
                + " (id BIGINT, country STRING, amount DOUBLE) USING delta PARTITIONED BY (country)"
                + " TBLPROPERTIES ('delta.columnMapping.mode' = 'name',"
                + " 'delta.enableDeletionVectors' = 'true', 'delta.checkpointInterval' = '2',"
                + " 'delta.enableChangeDataFeed' = 'true')");
    insert(
        m,
        "(1, 'DE', 10.0), (2, 'DE', 11.0), (3, 'FR', 20.0), (4, 'FR', 21.0),"
            + " (5, 'US', 30.0), (6, CAST(NULL AS STRING), 40.0)");
    spark().sql("DELETE FROM " + m + " WHERE id IN (1, 3)");
    spark().sql("ALTER TABLE " + m + " RENAME COLUMN amount TO total");
    insert(m, "(7, 'DE', 70.0), (8, 'FR', 80.0), (9, 'US', 90.0)");
    spark().sql("UPDATE " + m + " SET total = total + 1 WHERE id IN (2, 8)");
    String yaml =
        """
        version: 1
        host: 127.0.0.1
        port: 0
        shares:
        - name: s
          schemas:
          - name: d
            tables:
            - name: sales
              location: "%s"
              historyShared: true
              partitionFilter: "country = '${recipient.country}'"
            - name: sales_mapped
              location: "%s"
              historyShared: true
              partitionFilter: "country = '${recipient.country}'"
        recipients:
        - {name: de, token: %s, grants: [{share: s}], properties: {country: DE}}
        - {name: fr, token: %s, grants: [{share: s}], properties: {country: FR}}
        """
            .formatted(table.toUri(), mapped.toUri(), DE_TOKEN, FR_TOKEN);
    server = SharingServer.start(ConfigLoader.parse(yaml, "partition-filtered.yaml"));
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  private static void insert(String t, String rows) {
    spark().sql("INSERT INTO " + t + " SELECT /*+ COALESCE(1) */ * FROM VALUES " + rows);
  }

  private String url(String token) throws Exception {
    Path p = Files.createTempFile(dir, "profile-", ".share");
    Files.writeString(
        p,
        "{\"shareCredentialsVersion\":1,\"endpoint\":\""
            + server.endpointUrl()
            + "\",\"bearerToken\":\""
            + token
            + "\"}");
    return p + "#s.d.sales";
  }

  private Dataset<Row> sharing(String token, Map<String, String> options) throws Exception {
    return spark().read().format("deltaSharing").options(options).load(url(token));
  }

  private Dataset<Row> oracle(String country, Map<String, String> options) {
    return spark()
        .read()
        .format("delta")
        .options(options)
        .load(table.toString())
        .where("country = '" + country + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"DE", "FR"})
  void snapshotsAndEveryVersionAreTheRecipientsPartitions(String country) throws Exception {
    String token = country.equals("DE") ? DE_TOKEN : FR_TOKEN;
    Dataset<Row> latest = sharing(token, Map.of());
    assertSameData(latest, oracle(country, Map.of()));
    assertThat(rows(latest.select("country").distinct())).containsExactly("[" + country + "]");
    for (int v = 1; v <= 5; v++) {
      Map<String, String> asOf = Map.of("versionAsOf", Integer.toString(v));
      assertSameData(sharing(token, asOf), oracle(country, asOf));
    }
    Map<String, String> delta = Map.of("responseFormat", "delta");
    assertSameData(sharing(token, delta), oracle(country, Map.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"DE", "FR"})
  void changeDataFeedIsTheRecipientsPartitions(String country) throws Exception {
    String token = country.equals("DE") ? DE_TOKEN : FR_TOKEN;
    Map<String, String> cdf = Map.of("readChangeFeed", "true", "startingVersion", "0");
    Dataset<Row> ours = sharing(token, cdf);
    assertSameData(ours, oracle(country, cdf));
    assertThat(ours.count()).isPositive();
  }

  /**
   * A column-mapped table with deletion vectors, a renamed column and checkpoints: the filter names
   * the logical column while files carry physical partition keys; deleted rows stay deleted.
   */
  @ParameterizedTest
  @ValueSource(strings = {"DE", "FR"})
  void aColumnMappedTableWithDeletionVectorsIsFilteredToo(String country) throws Exception {
    String token = country.equals("DE") ? DE_TOKEN : FR_TOKEN;
    String url = url(token).replace("#s.d.sales", "#s.d.sales_mapped");
    assertThat(Files.list(mapped.resolve("_delta_log")))
        .anyMatch(f -> f.toString().endsWith(".checkpoint.parquet"));
    Map<String, String> delta = Map.of("responseFormat", "delta");
    Dataset<Row> ours = spark().read().format("deltaSharing").options(delta).load(url);
    Dataset<Row> oracle =
        spark().read().format("delta").load(mapped.toString()).where("country = '" + country + "'");
    assertSameData(ours, oracle);
    assertThat(ours.columns()).containsExactly("id", "country", "total");
    assertThat(rows(ours.select("id").orderBy("id")))
        .containsExactly(
            country.equals("DE") ? new String[] {"[2]", "[7]"} : new String[] {"[4]", "[8]"});
    for (int v = 1; v <= 5; v++) {
      Map<String, String> asOf = Map.of("responseFormat", "delta", "versionAsOf", "" + v);
      assertSameData(
          spark().read().format("deltaSharing").options(asOf).load(url),
          spark()
              .read()
              .format("delta")
              .option("versionAsOf", "" + v)
              .load(mapped.toString())
              .where("country = '" + country + "'"));
    }
  }

  @Test
  void streamsAreTheRecipientsPartitions() throws Exception {
    List<Map<String, String>> optionSets =
        List.of(
            Map.of(),
            Map.of("startingVersion", "1", "skipChangeCommits", "true"),
            Map.of("readChangeFeed", "true", "startingVersion", "1"));
    int run = 0;
    for (Map<String, String> options : optionSets) {
      run++;
      Path ours = dir.resolve("ours-" + run);
      Path theirs = dir.resolve("theirs-" + run);
      spark()
          .readStream()
          .format("deltaSharing")
          .options(options)
          .load(url(DE_TOKEN))
          .writeStream()
          .format("parquet")
          .option("path", ours.toString())
          .option("checkpointLocation", ours + "-cp")
          .trigger(Trigger.AvailableNow())
          .start()
          .awaitTermination();
      spark()
          .readStream()
          .format("delta")
          .options(options)
          .load(table.toString())
          .where("country = 'DE'")
          .writeStream()
          .format("parquet")
          .option("path", theirs.toString())
          .option("checkpointLocation", theirs + "-cp")
          .trigger(Trigger.AvailableNow())
          .start()
          .awaitTermination();
      Dataset<Row> expected = spark().read().parquet(theirs.toString());
      assertThat(expected.count()).as(options.toString()).isPositive();
      assertSameData(spark().read().parquet(ours.toString()), expected);
    }
  }

  private HttpResponse<String> query(String token, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(server.endpointUrl() + "/shares/s/schemas/d/tables/sales/query"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("delta-sharing-capabilities", "includeendstreamaction=true")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<JsonNode> lines(HttpResponse<String> r) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  @Test
  void filesCountsAndTokensStayWithTheRecipient() throws Exception {
    // DE's latest snapshot: ids 5 and 7, one file each
    HttpResponse<String> all = query(DE_TOKEN, "{\"includeRefreshToken\":true}");
    assertThat(all.statusCode()).isEqualTo(200);
    List<JsonNode> l = lines(all);
    long files = l.stream().filter(n -> n.has("file")).count();
    assertThat(files).isEqualTo(oracle("DE", Map.of()).inputFiles().length).isEqualTo(2);
    for (JsonNode n : l) {
      if (n.has("file")) {
        assertThat(n.path("file").path("partitionValues").path("country").asText()).isEqualTo("DE");
      }
    }
    String refresh = l.get(l.size() - 1).path("endStreamAction").path("refreshToken").asText();
    assertThat(refresh).isNotEmpty();
    String again = "{\"refreshToken\":\"" + refresh + "\"}";
    assertThat(query(DE_TOKEN, again).statusCode()).isEqualTo(200);
    assertThat(query(FR_TOKEN, again).statusCode()).isEqualTo(400);

    // pages of one file: the page token carries on for DE only
    List<JsonNode> first = lines(query(DE_TOKEN, "{\"maxFiles\":1}"));
    assertThat(first.stream().filter(n -> n.has("file")).count()).isEqualTo(1);
    String page =
        first.get(first.size() - 1).path("endStreamAction").path("nextPageToken").asText();
    assertThat(page).isNotEmpty();
    String next = "{\"maxFiles\":1,\"pageToken\":\"" + page + "\"}";
    List<JsonNode> second = lines(query(DE_TOKEN, next));
    assertThat(second.stream().filter(n -> n.has("file")).count()).isEqualTo(1);
    assertThat(second.get(second.size() - 1).path("endStreamAction").has("nextPageToken"))
        .as("two DE files make two pages")
        .isFalse();
    assertThat(query(FR_TOKEN, next).statusCode()).isEqualTo(400);

    // the delta format's metadata counts only the recipient's files
    HttpResponse<String> meta =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(server.endpointUrl() + "/shares/s/schemas/d/tables/sales/metadata"))
                .header("Authorization", "Bearer " + FR_TOKEN)
                .header("delta-sharing-capabilities", "responseformat=delta")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(meta.statusCode()).as(meta.body()).isEqualTo(200);
    JsonNode md = lines(meta).get(1).path("metaData");
    assertThat(md.path("numFiles").asLong())
        .isEqualTo(oracle("FR", Map.of()).inputFiles().length)
        .isEqualTo(2);
  }
}
