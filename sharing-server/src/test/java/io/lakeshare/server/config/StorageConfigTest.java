package io.lakeshare.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageConfigTest {
  private static final String TABLES =
      "shares:\n- name: s\n  schemas:\n  - name: sc\n    tables:\n";

  private static ServerConfig parse(String yaml, Map<String, String> env, List<String> unknown) {
    return ConfigLoader.parse("version: 1\n" + yaml, "t.yaml", unknown::add, env::get);
  }

  private static ServerConfig parse(String yaml) {
    return parse(yaml, Map.of(), new ArrayList<>());
  }

  @Test
  void readsS3AzureAndGcsEntriesAndTableReferences() {
    ServerConfig c =
        parse(
            "storage:\n"
                + "- name: minio\n  type: s3\n  endpoint: http://127.0.0.1:9000\n"
                + "  accessKeyId: ${env:KEY_ID}\n  secretAccessKey: ${env:SECRET}\n"
                + "- name: blobs\n  type: azure\n  accountName: acct\n  sasToken: '?sv=1&sig=x'\n"
                + "- name: gcs\n  type: gcs\n  serviceAccountKeyFile: /k.json\n"
                + TABLES
                + "    - name: a\n      location: s3a://b/t\n      storage: MINIO\n"
                + "    - name: b\n      location: abfss://c@acct.dfs.core.windows.net/t\n"
                + "      storage: blobs\n"
                + "    - name: c\n      location: s3://b/u\n",
            Map.of("KEY_ID", "AKID", "SECRET", "s3cr3t"),
            new ArrayList<>());

    StorageConfig.S3 s3 = (StorageConfig.S3) c.storage("minio");
    assertThat(s3.endpoint()).isEqualTo("http://127.0.0.1:9000");
    assertThat(s3.accessKeyId()).isEqualTo("AKID");
    assertThat(s3.secretAccessKey()).isEqualTo("s3cr3t");
    assertThat(s3.credentials()).isEqualTo(StorageConfig.AwsCredentials.STATIC);
    assertThat(s3.pathStyleAccess()).isNull();
    assertThat(((StorageConfig.Azure) c.storage("blobs")).sasToken()).isEqualTo("sv=1&sig=x");
    assertThat(((StorageConfig.Gcs) c.storage("gcs")).serviceAccountKeyFile()).isEqualTo("/k.json");
    List<TableConfig> tables = c.shares().get(0).schemas().get(0).tables();
    assertThat(tables).extracting(TableConfig::storage).containsExactly("MINIO", "blobs", null);
    assertThat(c.toString()).doesNotContain("s3cr3t").doesNotContain("sig=x");
  }

  @Test
  void s3WithoutKeysUsesTheDefaultChain() {
    ServerConfig c = parse("storage:\n- name: aws\n  type: s3\n  region: eu-west-1\n");
    assertThat(((StorageConfig.S3) c.storage("aws")).credentials())
        .isEqualTo(StorageConfig.AwsCredentials.DEFAULT);
  }

  @Test
  void refusesAReferenceToAMissingEntry() {
    assertThatThrownBy(
            () -> parse(TABLES + "    - name: a\n      location: s3a://b/t\n      storage: nope\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("table 'a'")
        .hasMessageContaining("'nope'");
  }

  @Test
  void refusesAnEntryOfAnotherSchemeThanTheTable() {
    assertThatThrownBy(
            () ->
                parse(
                    "storage:\n- name: blobs\n  type: azure\n  accountKey: k\n"
                        + TABLES
                        + "    - name: a\n      location: s3a://b/t\n      storage: blobs\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("type azure")
        .hasMessageContaining("'s3a:'");
  }

  @Test
  void refusesHalfStaticS3CredentialsAndTwoAzureCredentials() {
    assertThatThrownBy(() -> parse("storage:\n- name: x\n  type: s3\n  accessKeyId: a\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("secretAccessKey");
    assertThatThrownBy(
            () -> parse("storage:\n- name: x\n  type: azure\n  accountKey: k\n  sasToken: s\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("exactly one Azure credential");
  }

  @Test
  void gcsTakesAKeyFileAnInlineKeyOrNeither() {
    ServerConfig c =
        parse(
            "storage:\n"
                + "- name: file\n  type: gcs\n  serviceAccountKeyFile: /k.json\n"
                + "  projectId: p1\n"
                + "- name: inline\n  type: gcs\n  serviceAccountKey: ${env:GCS_KEY}\n"
                + "  endpoint: http://127.0.0.1:4443/\n"
                + "- name: adc\n  type: gcs\n"
                + TABLES
                + "    - name: a\n      location: gs://bucket/t\n      storage: inline\n",
            Map.of("GCS_KEY", "{\"type\": \"service_account\", \"private_key\": \"pk-secret\"}"),
            new ArrayList<>());
    StorageConfig.Gcs file = (StorageConfig.Gcs) c.storage("file");
    assertThat(file.serviceAccountKeyFile()).isEqualTo("/k.json");
    assertThat(file.projectId()).isEqualTo("p1");
    StorageConfig.Gcs inline = (StorageConfig.Gcs) c.storage("inline");
    assertThat(inline.serviceAccountKey()).contains("pk-secret");
    assertThat(inline.endpoint()).isEqualTo("http://127.0.0.1:4443");
    StorageConfig.Gcs adc = (StorageConfig.Gcs) c.storage("adc");
    assertThat(adc.serviceAccountKeyFile()).isNull();
    assertThat(adc.serviceAccountKey()).isNull();
    assertThat(c.toString()).doesNotContain("pk-secret");
  }

  @Test
  void gcsTakesAnHmacKeyForSigningAndNeverPrintsItsSecret() {
    ServerConfig c =
        parse(
            "storage:\n"
                + "- name: g\n  type: gcs\n  serviceAccountKeyFile: /k.json\n"
                + "  hmacAccessId: GOOG1EXAMPLEID\n  hmacSecret: ${env:GCS_HMAC}\n"
                + TABLES
                + "    - name: a\n      location: gs://bucket/t\n      storage: g\n",
            Map.of("GCS_HMAC", "hmac-secret-value"),
            new ArrayList<>());
    StorageConfig.Gcs g = (StorageConfig.Gcs) c.storage("g");
    assertThat(g.directoryAccess()).isFalse();
    assertThat(g.hmacAccessId()).isEqualTo("GOOG1EXAMPLEID");
    assertThat(g.hmacSecret()).isEqualTo("hmac-secret-value");
    assertThat(c.toString()).contains("GOOG1EXAMPLEID").doesNotContain("hmac-secret-value");
    assertThatThrownBy(
            () -> parse("storage:\n- name: g\n  type: gcs\n  hmacAccessId: GOOG1EXAMPLEID\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("give both 'hmacAccessId' and 'hmacSecret'");
  }

  @Test
  void gcsDirectoryAccessIsOptIn() {
    ServerConfig c =
        parse(
            "storage:\n- name: g\n  type: gcs\n  directoryAccess: true\n"
                + TABLES
                + "    - name: a\n      location: gs://bucket/t\n      storage: g\n",
            Map.of(),
            new ArrayList<>());
    assertThat(((StorageConfig.Gcs) c.storage("g")).directoryAccess()).isTrue();
    assertThat(((StorageConfig.Gcs) c.storage("g")).stsEndpoint()).isNull();
    assertThat(c.toString()).contains("directoryAccess=true");
  }

  @Test
  void gcsTakesASecurityTokenServiceEndpointForDirectoryAccessOnly() {
    ServerConfig c =
        parse(
            "storage:\n- name: g\n  type: gcs\n  directoryAccess: true\n"
                + "  stsEndpoint: http://127.0.0.1:8086/\n"
                + TABLES
                + "    - name: a\n      location: gs://bucket/t\n      storage: g\n",
            Map.of(),
            new ArrayList<>());
    assertThat(((StorageConfig.Gcs) c.storage("g")).stsEndpoint())
        .isEqualTo("http://127.0.0.1:8086");
    assertThat(c.toString()).contains("stsEndpoint=http://127.0.0.1:8086");
    assertThatThrownBy(
            () ->
                parse(
                    "storage:\n- name: g\n  type: gcs\n  directoryAccess: true\n"
                        + "  stsEndpoint: http://127.0.0.1:8086/v1/token\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "'stsEndpoint' must be an http or https URL without a path, such as"
                + " https://sts.example.internal, got 'http://127.0.0.1:8086/v1/token'");
    assertThatThrownBy(
            () -> parse("storage:\n- name: g\n  type: gcs\n  stsEndpoint: http://127.0.0.1:8086\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'stsEndpoint' is used only with 'directoryAccess: true'");
  }

  @Test
  void s3TakesARoleForDirectoryAccessAndChecksIt() {
    ServerConfig c =
        parse(
            "storage:\n"
                + "- name: l\n  type: s3\n  roleArn: arn:aws:iam::123456789012:role/team/reader\n"
                + "  stsEndpoint: http://127.0.0.1:9000\n"
                + TABLES
                + "    - name: a\n      location: s3a://bucket/t\n      storage: l\n",
            Map.of(),
            new ArrayList<>());
    StorageConfig.S3 l = (StorageConfig.S3) c.storage("l");
    assertThat(l.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/team/reader");
    assertThat(l.stsEndpoint()).isEqualTo("http://127.0.0.1:9000");
    assertThatThrownBy(() -> parse("storage:\n- name: l\n  type: s3\n  roleArn: reader\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'roleArn' must be an IAM role ARN");
    assertThatThrownBy(
            () ->
                parse(
                    "storage:\n- name: l\n  type: s3\n"
                        + "  roleArn: arn:aws:iam::123456789012:user/reader\n"))
        .hasMessageContaining("'roleArn' must be an IAM role ARN");
    assertThatThrownBy(() -> parse("storage:\n- name: l\n  type: s3\n  stsEndpoint: http://h:1\n"))
        .hasMessageContaining("'stsEndpoint' is used only with 'roleArn'");
    assertThatThrownBy(
            () ->
                parse(
                    "storage:\n- name: l\n  type: s3\n"
                        + "  roleArn: arn:aws:iam::123456789012:role/r\n  stsEndpoint: ftp://h\n"))
        .hasMessageContaining("'stsEndpoint' must be an http or https URL");
  }

  @Test
  void gcsRefusesTwoKeysAKeyThatIsNotJsonAndAnEndpointWithAPath() {
    assertThatThrownBy(
            () ->
                parse(
                    "storage:\n- name: g\n  type: gcs\n  serviceAccountKeyFile: /k.json\n"
                        + "  serviceAccountKey: '{}'\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at most one of 'serviceAccountKeyFile' and 'serviceAccountKey'");
    assertThatThrownBy(
            () -> parse("storage:\n- name: g\n  type: gcs\n  serviceAccountKey: /keys/k.json\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'serviceAccountKeyFile'")
        .hasMessageNotContaining("/keys/k.json");
    assertThatThrownBy(
            () -> parse("storage:\n- name: g\n  type: gcs\n  endpoint: http://h:1/storage/v1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'endpoint' must be an http or https URL without a path");
  }

  @Test
  void unsetEnvironmentVariableIsNamedWithoutGuessing() {
    assertThatThrownBy(
            () -> parse("storage:\n- name: x\n  type: s3\n  accessKeyId: ${env:NOPE_ID}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("NOPE_ID")
        .hasMessageContaining("storage 'x'");
  }

  @Test
  void unknownStorageKeysAreReported() {
    List<String> unknown = new ArrayList<>();
    parse("storage:\n- name: x\n  type: s3\n  bucket: b\n", Map.of(), unknown);
    assertThat(unknown).containsExactly("storage 'x' > bucket");
  }
}
