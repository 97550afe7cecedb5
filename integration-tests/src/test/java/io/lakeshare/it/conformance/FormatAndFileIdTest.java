package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONFORMANCE §8.7: response format, reader features and file ids (cases 90-100). */
class FormatAndFileIdTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestServer server = TestServer.get();

  @Test
  void deletionVectorFilesNeedTheDeltaFormat() {
    FixtureTable dv = FixtureTables.get().table(FixtureTables.T_DV);
    assertThat(dv.activeFiles(dv.latestVersion())).anyMatch(f -> f.hasDeletionVector());
    String msg =
        Envelope.assertError(
            server.raw().query("t_dv", "{}"), 400, "UNSUPPORTED_OPERATION", "deletion vectors");
    assertThat(msg).contains("s1.default.t_dv").contains("readerfeatures=deletionvectors");
  }

  @Test
  void deletionVectorTableBeforeAnyDeletionIsServedInParquet() {
    RawHttp.Answer a = server.raw().query("t_dv", "{\"version\": 1}");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.lines()).hasSize(3);
    RawHttp.Answer clean = server.raw().query("t_dv_clean", "{}");
    assertThat(clean.status()).as(clean.body()).isEqualTo(200);
  }

  @Test
  void columnMappingTableQueryIsRefused() {
    Envelope.assertError(
        server.raw().query("t_cm", "{}"), 400, "UNSUPPORTED_OPERATION", "column mapping");
  }

  @Test
  void fileIdHashSchemesGiveMd5AndSha256Ids() throws Exception {
    RawHttp.Answer parquet = server.raw().query("t_part", "{}", "fileidhash", "parquet");
    RawHttp.Answer delta = server.raw().query("t_part", "{}", "fileidhash", "DELTA");
    RawHttp.Answer none = server.raw().query("t_part", "{}");
    assertThat(parquet.header("fileidhash")).isEqualTo("parquet");
    assertThat(delta.header("fileidhash")).isEqualTo("delta");
    assertThat(none.header("fileidhash")).isNull();
    List<String> md5 = ids(parquet);
    List<String> sha = ids(delta);
    assertThat(md5).isNotEmpty().allMatch(id -> id.matches("[0-9a-f]{32}"));
    assertThat(sha).hasSameSizeAs(md5).allMatch(id -> id.matches("[0-9a-f]{64}"));
    assertThat(ids(none)).isEqualTo(md5);
  }

  @Test
  void invalidFileIdHashIs400() {
    for (String v : List.of("sha256", "", "   ")) {
      Envelope.assertError(
          server.raw().query("t_part", "{}", "fileidhash", v),
          400,
          "INVALID_PARAMETER_VALUE",
          "Unsupported fileidhash");
    }
  }

  private static List<String> ids(RawHttp.Answer a) throws Exception {
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (String l : a.lines()) {
      JsonNode n = JSON.readTree(l);
      if (n.has("file")) {
        ids.add(n.get("file").get("id").asText());
      }
    }
    return ids;
  }
}
