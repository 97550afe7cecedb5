package io.lakeshare.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
  private final List<String> unknownKeys = new ArrayList<>();

  private ServerConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", unknownKeys::add);
  }

  private static String errorOf(String yaml) {
    try {
      ConfigLoader.parse(yaml, "test.yaml", key -> {});
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }

  @Test
  void minimalConfigGetsTheReferenceDefaults() {
    ServerConfig config = parse("version: 1\n");

    assertThat(config.version()).isEqualTo(1);
    assertThat(config.shares()).isEmpty();
    assertThat(config.authorization()).isNull();
    assertThat(config.ssl()).isNull();
    assertThat(config.host()).isEqualTo("localhost");
    assertThat(config.port()).isEqualTo(80);
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
  void theWarmUpFillsFileListsAndHoldsReadinessTwoMinutesUnlessToldOtherwise() {
    assertThat(parse("version: 1\n").ops().warmUpFileLists()).isTrue();
    assertThat(parse("version: 1\n").ops().warmUpReadyWaitSeconds()).isEqualTo(120);
    ServerConfig off = parse("version: 1\nwarmUp: {fileLists: false, readyWaitSeconds: 0}\n");
    assertThat(off.ops().warmUpFileLists()).isFalse();
    assertThat(off.ops().warmUpReadyWaitSeconds()).isZero();
    assertThat(parse("version: 1\nwarmUp: {readyWaitSeconds: 15}\n").ops())
        .extracting(o -> o.warmUpFileLists(), o -> o.warmUpReadyWaitSeconds())
        .containsExactly(true, 15);
    assertThat(unknownKeys).isEmpty();
    assertThat(errorOf("version: 1\nwarmUp: {readyWaitSeconds: -1}\n"))
        .contains("'readyWaitSeconds' must not be negative, got -1");
    parse("version: 1\nwarmUp: {fileList: false}\n");
    assertThat(unknownKeys).hasSize(1).allMatch(k -> k.contains("fileList"));
  }

  @Test
  void everyTopLevelKeyIsRead() {
    ServerConfig config =
        parse(
            """
            version: 1
            host: 0.0.0.0
            port: 0
            endpoint: /sharing
            preSignedUrlTimeoutSeconds: 600
            temporaryCredentialValiditySeconds: 900
            deltaTableCacheSize: 0
            stalenessAcceptable: true
            evaluatePredicateHints: true
            evaluateJsonPredicateHints: false
            evaluateJsonPredicateHintsV2: false
            requestTimeoutSeconds: 0
            queryTablePageSizeLimit: 5
            queryTablePageTokenTtlMs: 4000000000
            refreshTokenTtlMs: 1000
            publicBaseUrl: https://share.example.com/base/
            """);

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isZero();
    assertThat(config.endpoint()).isEqualTo("/sharing");
    assertThat(config.preSignedUrlTimeoutSeconds()).isEqualTo(600);
    assertThat(config.temporaryCredentialValiditySeconds()).isEqualTo(900);
    assertThat(config.deltaTableCacheSize()).isZero();
    assertThat(config.stalenessAcceptable()).isTrue();
    assertThat(config.evaluatePredicateHints()).isTrue();
    assertThat(config.evaluateJsonPredicateHints()).isFalse();
    assertThat(config.evaluateJsonPredicateHintsV2()).isFalse();
    assertThat(config.requestTimeoutSeconds()).isZero();
    assertThat(config.queryTablePageSizeLimit()).isEqualTo(5);
    assertThat(config.queryTablePageTokenTtlMs()).isEqualTo(4_000_000_000L);
    assertThat(config.refreshTokenTtlMs()).isEqualTo(1000);
    assertThat(config.publicBaseUrl()).isEqualTo("https://share.example.com/base");
    assertThat(unknownKeys).isEmpty();
  }

  @Test
  void nullValuesMeanTheDefault() {
    ServerConfig config = parse("version: 1\nport:\nhost: ~\nshares:\n");

    assertThat(config.port()).isEqualTo(80);
    assertThat(config.host()).isEqualTo("localhost");
    assertThat(config.shares()).isEmpty();
  }

  @Test
  void missingVersionIsRefused() {
    assertThat(errorOf("port: 8080\n")).isEqualTo("test.yaml: 'version' must be provided");
    assertThat(errorOf("")).isEqualTo("test.yaml: 'version' must be provided");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1"})
  void versionBelowOneIsRefused(String version) {
    assertThat(errorOf("version: " + version))
        .isEqualTo("test.yaml: 'version' must be greater than 0");
  }

  @Test
  void versionFromTheFutureIsRefused() {
    assertThat(errorOf("version: 2"))
        .isEqualTo(
            "test.yaml: The 'version' in the server config is 2 which is too new. The current"
                + " release supports version 1 and below. Please upgrade to a newer release.");
  }

  @Test
  void versionIsCheckedBeforeEverythingElse() {
    assertThat(errorOf("port: 99999\nshares: [{}]\n")).contains("'version' must be provided");
  }

  @Test
  void loadRefusesFilesNotNamedYamlOrYml(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("config.json");
    Files.writeString(json, "version: 1\n");

    assertThatThrownBy(() -> ConfigLoader.load(json))
        .isInstanceOf(ConfigException.class)
        .hasMessage("The server config file must be a yml or yaml file: " + json);
  }

  @ParameterizedTest
  @ValueSource(strings = {"server.yaml", "server.yml", "SERVER.YML"})
  void loadAcceptsYamlAndYmlNames(String name, @TempDir Path dir) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "version: 1\nport: 9000\n");

    assertThat(ConfigLoader.load(file).port()).isEqualTo(9000);
  }

  @Test
  void loadNamesAMissingFile(@TempDir Path dir) {
    Path missing = dir.resolve("absent.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage("The server config file " + missing + " does not exist");
  }

  @Test
  void loadPrefixesErrorsWithTheFilePath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("server.yaml");
    Files.writeString(file, "version: 0\n");

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .hasMessage(file + ": 'version' must be greater than 0");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "port: abc                    | 'port' must be a whole number, got 'abc'",
        "port: 80.5                   | 'port' must be a whole number, got '80.5'",
        "port: [80]                   | 'port' must be a whole number, got a list",
        "port: 99999999999            | 'port' is out of range: 99999999999",
        "port: 99999999999999999999   | 'port' is out of range: 99999999999999999999",
        "version: abc                 | 'version' must be a whole number, got 'abc'",
        "stalenessAcceptable: maybe   | 'stalenessAcceptable' must be true or false, got 'maybe'",
        "stalenessAcceptable: 1       | 'stalenessAcceptable' must be true or false, got '1'",
        "host: {a: b}                 | 'host' must be a string, got a mapping",
        "shares: sales                | 'shares' must be a list, got 'sales'",
        "authorization: token         | 'authorization' must be a mapping of keys to values,"
            + " got 'token'",
        "refreshTokenTtlMs: 1e3x      | 'refreshTokenTtlMs' must be a whole number, got '1e3x'",
      })
  void wrongTypesNameTheKey(String line, String expected) {
    String yaml = line.startsWith("version") ? line : "version: 1\n" + line;

    assertThat(errorOf(yaml)).isEqualTo("test.yaml: " + expected);
  }

  @Test
  void quotedNumbersAndBooleansAreAcceptedLikeTheReference() {
    ServerConfig config =
        parse(
            """
            version: '1'
            port: "8081"
            stalenessAcceptable: 'TRUE'
            requestTimeoutSeconds: 5.0
            """);

    assertThat(config.version()).isEqualTo(1);
    assertThat(config.port()).isEqualTo(8081);
    assertThat(config.stalenessAcceptable()).isTrue();
    assertThat(config.requestTimeoutSeconds()).isEqualTo(5);
  }

  @Test
  void yamlOnePointOneBooleanWordsAreBooleansAsInTheReferenceParser() {
    assertThat(parse("version: 1\nstalenessAcceptable: yes").stalenessAcceptable()).isTrue();
    assertThat(parse("version: 1\nevaluateJsonPredicateHints: no").evaluateJsonPredicateHints())
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "65536"})
  void portOutsideTheTcpRangeIsRefused(String port) {
    assertThat(errorOf("version: 1\nport: " + port))
        .isEqualTo("test.yaml: 'port' must be between 0 and 65535, got " + port);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "preSignedUrlTimeoutSeconds: -1 | 'preSignedUrlTimeoutSeconds' must be greater than 0,"
            + " got -1",
        "preSignedUrlTimeoutSeconds: 0  | 'preSignedUrlTimeoutSeconds' must be greater than 0,"
            + " got 0",
        "queryTablePageTokenTtlMs: -5   | 'queryTablePageTokenTtlMs' must not be negative,"
            + " got -5",
        "refreshTokenTtlMs: -5          | 'refreshTokenTtlMs' must not be negative, got -5",
        "requestTimeoutSeconds: -1      | 'requestTimeoutSeconds' must not be negative"
            + " (0 means no timeout), got -1",
        "queryTablePageSizeLimit: 0     | 'queryTablePageSizeLimit' must be greater than 0, got 0",
        "queryTablePageSizeLimit: -3    | 'queryTablePageSizeLimit' must be greater than 0, got -3",
        "deltaTableCacheSize: -1        | 'deltaTableCacheSize' must not be negative, got -1",
        "host: ''                       | 'host' must be a host name or IP address, got ''",
      })
  void outOfRangeValuesAreRefused(String line, String expected) {
    assertThat(errorOf("version: 1\n" + line)).isEqualTo("test.yaml: " + expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-60"})
  void nonPositiveCredentialValidityFallsBackToAnHourLikeTheReference(String seconds) {
    ServerConfig config = parse("version: 1\ntemporaryCredentialValiditySeconds: " + seconds);

    assertThat(config.temporaryCredentialValiditySeconds()).isEqualTo(3600);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "/delta-sharing     | /delta-sharing",
        "delta-sharing      | /delta-sharing",
        "/delta-sharing/    | /delta-sharing",
        "delta-sharing//    | /delta-sharing",
        "//api//v1/         | /api/v1",
        "'  /padded  '      | /padded",
        "/                  | \"\"",
        "''                 | \"\"",
      })
  void endpointIsNormalized(String written, String expected) {
    assertThat(parse("version: 1\nendpoint: " + written).endpoint()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"'/a b'", "/a?b=1", "'/a#b'", "/a%20b", "'\\a'"})
  void endpointThatIsNotAPlainPathIsRefused(String written) {
    assertThat(errorOf("version: 1\nendpoint: " + written))
        .startsWith("test.yaml: 'endpoint' must be a URL path such as /delta-sharing, got ");
  }

  @Test
  void unknownKeysAreIgnoredAndReportedWithTheirPath() {
    ServerConfig config =
        parse(
            """
            version: 1
            port: 8000
            frobnicate: true
            authorization:
              bearerToken: secret
              tokenFile: /x
            ssl:
              selfSigned: true
              cipher: x
            shares:
            - name: sales
              owner: bob
              schemas:
              - name: q1
                comment: first quarter
                tables:
                - name: orders
                  location: s3a://b/orders
                  cdfEnabled: true
            """);

    assertThat(config.port()).isEqualTo(8000);
    assertThat(config.shares().get(0).schemas().get(0).tables().get(0).historyShared()).isFalse();
    assertThat(unknownKeys)
        .containsExactlyInAnyOrder(
            "frobnicate",
            "authorization > tokenFile",
            "ssl > cipher",
            "share 'sales' > owner",
            "share 'sales' > schema 'q1' > comment",
            "share 'sales' > schema 'q1' > table 'orders' > cdfEnabled");
  }

  @Test
  void repeatedKeysAreRefusedRatherThanSilentlyOverwritten() {
    assertThat(errorOf("version: 1\nport: 80\nport: 81\n"))
        .startsWith("test.yaml: invalid YAML at line 3")
        .contains("Duplicate field 'port'");
  }

  @Test
  void brokenYamlIsReportedWithItsPositionNotAStackTrace() {
    assertThat(errorOf("version: 1\nshares: [\n")).startsWith("test.yaml: invalid YAML at line ");
  }

  @Test
  void topLevelThatIsNotAMappingIsRefused() {
    assertThat(errorOf("- version: 1\n"))
        .isEqualTo("test.yaml: the server config must be a mapping of keys to values");
  }

  @Test
  void fileSigningKeyIsKeptWhenItDecodesToAtLeast32Bytes() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);

    assertThat(parse("version: 1\nfileSigningKey: " + key).fileSigningKey()).isEqualTo(key);
  }

  @ParameterizedTest
  @ValueSource(strings = {"short", "AAAA", "'not base64 at all!!'", "''"})
  void weakOrMalformedFileSigningKeyIsRefusedWithoutEchoingIt(String key) {
    String message = errorOf("version: 1\nfileSigningKey: " + key);

    assertThat(message)
        .isEqualTo(
            "test.yaml: 'fileSigningKey' must be standard base64 of at least 32 random bytes,"
                + " e.g. the output of 'openssl rand -base64 32'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "share.example.com",
        "ftp://share.example.com",
        "https://share.example.com?x=1",
        "'https://user:pw@share.example.com'",
        "'https:///path'"
      })
  void publicBaseUrlMustBeAnAbsoluteHttpUrl(String url) {
    assertThat(errorOf("version: 1\npublicBaseUrl: " + url))
        .startsWith("test.yaml: 'publicBaseUrl' must be an absolute http or https URL");
  }

  @Test
  void toStringHidesSecrets() {
    String key = Base64.getEncoder().encodeToString(new byte[40]);
    ServerConfig config =
        parse("version: 1\nauthorization: {bearerToken: hunter2}\nfileSigningKey: " + key);

    assertThat(config.toString())
        .doesNotContain("hunter2")
        .doesNotContain(key)
        .contains("bearerToken=<redacted>")
        .contains("fileSigningKey=<redacted>")
        .contains("port=80");
  }
}
