package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.MetadataResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.client.TableRef;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CONFORMANCE §8.4: table metadata (cases 36-53), checked against delta-spark's metadata. */
class MetadataTest {
  private static final String T = "/shares/s1/schemas/default/tables/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;
  private static DeltaSharingClient client;

  @BeforeAll
  static void start() {
    server = TestServer.get();
    client = server.client();
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  @Test
  void partitionedTableMetadataWithoutCapabilities() throws Exception {
    RawHttp.Answer a = server.raw().get(T + "t_part/metadata");
    FixtureTable part = FixtureTables.get().table(FixtureTables.T_PART);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("Content-Type")).isEqualTo("application/x-ndjson; charset=utf-8");
    assertThat(a.header("Delta-Table-Version")).isEqualTo(Long.toString(part.latestVersion()));
    assertThat(a.header("delta-sharing-capabilities")).isEqualTo("responseformat=parquet");
    assertThat(a.lines()).hasSize(2);
    assertThat(a.lines().get(0)).isEqualTo("{\"protocol\":{\"minReaderVersion\":1}}");
    JsonNode md = JSON.readTree(a.lines().get(1)).get("metaData");
    assertThat(md.get("id").asText()).isNotBlank();
    assertThat(md.get("format").get("provider").asText()).isEqualTo("parquet");
    assertThat(md.get("partitionColumns").toString()).isEqualTo("[\"date\"]");
    assertThat(md.get("configuration").toString()).isEqualTo("{}");
    assertThat(md.has("version")).isFalse();
    JsonNode schema = JSON.readTree(md.get("schemaString").asText());
    assertThat(schema.get("fields"))
        .extracting(f -> f.get("name").asText())
        .containsExactlyElementsOf(
            java.util.Arrays.asList(part.read(part.latestVersion()).schema().fieldNames()));
  }

  @Test
  void deltaOrParquetOnAReaderVersionOneTableAnswersParquet() {
    RawHttp.Answer a =
        server
            .raw()
            .get(
                T + "t_part/metadata",
                "delta-sharing-capabilities",
                "responseformat=delta,parquet");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("delta-sharing-capabilities")).isEqualTo("responseformat=parquet");
  }

  @Test
  void historySharedCdfTableExposesEnableChangeDataFeed() throws Exception {
    JsonNode md = metaData(server.raw().get(T + "t_hist/metadata"));
    assertThat(md.get("configuration").toString()).isEqualTo("{\"enableChangeDataFeed\":\"true\"}");
    // t_plain_copy is history-shared but has no CDF: nothing exposed
    JsonNode plain =
        metaData(server.raw().get("/shares/s1/schemas/other/tables/t_plain_copy/metadata"));
    assertThat(plain.get("configuration").toString()).isEqualTo("{}");
  }

  @Test
  void metadataAtAVersionCarriesThatVersion() throws Exception {
    RawHttp.Answer a = server.raw().get(T + "t_hist/metadata?version=1");
    assertThat(a.header("Delta-Table-Version")).isEqualTo("1");
    assertThat(metaData(a).get("version").asLong()).isEqualTo(1);
    MetadataResponse r =
        client.getMetadata(new TableRef("s1", "default", "t_hist"), 1L, null, RequestOptions.NONE);
    assertThat(r.tableVersion()).isEqualTo(1);
    assertThat(r.metadata().version()).isEqualTo(1L);
  }

  @Test
  void metadataAtATimestampResolvesAtOrBefore() {
    FixtureTable hist = FixtureTables.get().table(FixtureTables.T_HIST);
    String ts = hist.commitTimestamp(2).plusMillis(1).toString();
    RawHttp.Answer a = server.raw().get(T + "t_hist/metadata?timestamp=" + enc(ts));
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.header("Delta-Table-Version")).isEqualTo("2");
  }

  @Test
  void parameterErrors() {
    Envelope.assertError(
        server.raw().get(T + "t_hist/metadata?version=-1"),
        400,
        "INVALID_PARAMETER_VALUE",
        "version cannot be negative.");
    Envelope.assertError(
        server.raw().get(T + "t_hist/metadata?version=1&timestamp=2021-01-01T00:00:00Z"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Please only provide one of: version,timestamp");
    Envelope.assertError(
        server.raw().get(T + "t_plain/metadata?version=1"),
        400,
        "INVALID_PARAMETER_VALUE",
        "history sharing is not enabled on table: s1.default.t_plain");
    Envelope.assertError(
        server.raw().get(T + "t_hist/metadata?version=99"),
        400,
        "MALFORMED_REQUEST",
        "Cannot load table version 99");
    Envelope.assertError(
        server.raw().get(T + "t_hist/metadata?timestamp=2021-01-01"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Invalid timestamp");
    Envelope.assertError(
        server.raw().get(T + "t_hist/metadata?timestamp=" + enc("2000-01-01T00:00:00Z")),
        400,
        "MALFORMED_REQUEST",
        "before the earliest available version");
    Envelope.assertError(
        server.raw().get(T + "t_hist/metadata?timestamp=" + enc("9999-01-01T00:00:00Z")),
        400,
        "MALFORMED_REQUEST",
        "after the latest available version");
    Envelope.assertError(
        server.raw().get(T + "t_hist/metadata?version=abc"),
        400,
        "INVALID_PARAMETER_VALUE",
        "expected a number");
  }

  @Test
  void columnMappingTableNeedsDeltaAndSaysWhich() {
    String msg =
        Envelope.assertError(
            server.raw().get(T + "t_cm/metadata"), 400, "UNSUPPORTED_OPERATION", "column mapping");
    assertThat(msg).contains("s1.default.t_cm").contains("responseformat=delta");
    // the delta format answers it, to a client that declares the feature
    RawHttp.Answer delta =
        server
            .raw()
            .get(
                T + "t_cm/metadata",
                "delta-sharing-capabilities",
                "responseformat=delta; readerfeatures=columnmapping");
    assertThat(delta.status()).as(delta.body()).isEqualTo(200);
    assertThat(delta.header("delta-sharing-capabilities")).isEqualTo("responseformat=delta");
    assertThat(delta.lines().get(0))
        .isEqualTo(
            "{\"protocol\":{\"deltaProtocol\":{\"minReaderVersion\":2,\"minWriterVersion\":5}}}");
    Envelope.assertError(
        server.raw().get(T + "t_cm/metadata", "delta-sharing-capabilities", "responseformat=delta"),
        400,
        "UNSUPPORTED_OPERATION",
        "columnmapping");
  }

  @Test
  void deletionVectorPropertyAloneDoesNotBlockMetadata() {
    RawHttp.Answer a = server.raw().get(T + "t_dv_clean/metadata");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.lines().get(0)).isEqualTo("{\"protocol\":{\"minReaderVersion\":1}}");
  }

  @Test
  void timestampNtzTableIsAnsweredInParquetWithReaderVersionOne() throws Exception {
    FixtureTable types = FixtureTables.get().table(FixtureTables.T_TYPES);
    assertThat(types.minReaderVersion()).isGreaterThan(1);
    RawHttp.Answer a = server.raw().get(T + "t_types/metadata");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.lines().get(0)).isEqualTo("{\"protocol\":{\"minReaderVersion\":1}}");
    assertThat(metaData(a).get("schemaString").asText()).contains("timestamp_ntz");
  }

  @Test
  void capabilityKeysAreCaseInsensitive() {
    RawHttp.Answer a =
        server
            .raw()
            .get(T + "t_part/metadata", "delta-sharing-capabilities", "ResponseFormat=PARQUET");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("delta-sharing-capabilities")).isEqualTo("responseformat=parquet");
  }

  @Test
  void fileIdHashIsValidatedAndEchoed() {
    RawHttp.Answer a = server.raw().get(T + "t_part/metadata", "fileidhash", "DELTA");
    assertThat(a.header("fileidhash")).isEqualTo("delta");
    Envelope.assertError(
        server.raw().get(T + "t_part/metadata", "fileidhash", "sha256"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Unsupported fileidhash: 'sha256'");
  }

  private static JsonNode metaData(RawHttp.Answer a) throws Exception {
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return JSON.readTree(a.lines().get(1)).get("metaData");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
