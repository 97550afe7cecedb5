package io.lakeshare.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTemplateTest {

  private static Path template() throws URISyntaxException {
    URL url =
        ConfigLoaderTemplateTest.class.getResource("/config/delta-sharing-server-template.yaml");
    assertThat(url).isNotNull();
    return Path.of(url.toURI());
  }

  @Test
  void referenceTemplateLoadsWithEveryValueAsWritten() throws Exception {
    ServerConfig config = ConfigLoader.load(template());

    assertThat(config.version()).isEqualTo(1);
    assertThat(config.authorization()).isNull();
    assertThat(config.ssl()).isNull();
    assertThat(config.host()).isEqualTo("localhost");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.endpoint()).isEqualTo("/delta-sharing");
    assertThat(config.preSignedUrlTimeoutSeconds()).isEqualTo(3600);
    assertThat(config.temporaryCredentialValiditySeconds()).isEqualTo(3600);
    assertThat(config.deltaTableCacheSize()).isEqualTo(10);
    assertThat(config.stalenessAcceptable()).isFalse();
    assertThat(config.evaluatePredicateHints()).isFalse();
    assertThat(config.evaluateJsonPredicateHints()).isTrue();
    assertThat(config.evaluateJsonPredicateHintsV2()).isTrue();
    assertThat(config.requestTimeoutSeconds()).isEqualTo(30);
    assertThat(config.queryTablePageSizeLimit()).isEqualTo(10000);
    assertThat(config.queryTablePageTokenTtlMs()).isEqualTo(259_200_000L);
    assertThat(config.refreshTokenTtlMs()).isEqualTo(3_600_000L);
    assertThat(config.fileSigningKey()).isNull();
    assertThat(config.publicBaseUrl()).isNull();
  }

  @Test
  void referenceTemplateKeepsSharesSchemasAndTablesInFileOrder() throws Exception {
    ServerConfig config = ConfigLoader.load(template());

    assertThat(config.shares())
        .extracting(ShareConfig::name)
        .containsExactly("share1", "share2", "share3", "share4");
    assertThat(config.shares()).extracting(ShareConfig::id).containsOnlyNulls();
    ShareConfig share1 = config.shares().get(0);
    assertThat(share1.schemas()).extracting(SchemaConfig::name).containsExactly("schema1");
    assertThat(share1.schemas().get(0).tables())
        .containsExactly(
            new TableConfig(
                "table1",
                "s3a://<bucket-name>/<the-table-path>",
                "00000000-0000-0000-0000-000000000000",
                false,
                0),
            new TableConfig(
                "table2",
                "wasbs://<container-name>@<account-name>.blob.core.windows.net/<the-table-path>",
                "00000000-0000-0000-0000-000000000001",
                false,
                0));
    assertThat(config.shares().get(1).schemas().get(0).tables())
        .containsExactly(
            new TableConfig(
                "table3",
                "abfss://<container-name>@<account-name>.dfs.core.windows.net/<the-table-path>",
                "00000000-0000-0000-0000-000000000002",
                true,
                0));
    assertThat(config.shares().get(2).schemas().get(0).tables())
        .containsExactly(
            new TableConfig(
                "table4",
                "gs://<bucket-name>/<the-table-path>",
                "00000000-0000-0000-0000-000000000003",
                false,
                0));
    assertThat(config.shares().get(3).schemas().get(0).tables())
        .containsExactly(
            new TableConfig(
                "table5",
                "s3a://<bucket-name>/<the-table-path>",
                "00000000-0000-0000-0000-000000000004",
                true,
                2));
  }

  @Test
  void referenceTemplateHasNoUnknownKeys() throws Exception {
    List<String> unknown = new ArrayList<>();
    String yaml = Files.readString(template());

    ConfigLoader.parse(yaml, "template.yaml", unknown::add);

    assertThat(unknown).isEmpty();
  }
}
