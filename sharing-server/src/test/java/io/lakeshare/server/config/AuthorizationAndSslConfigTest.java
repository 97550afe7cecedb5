package io.lakeshare.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizationAndSslConfigTest {

  private static ServerConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", key -> {});
  }

  private static String errorOf(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }

  @Test
  void bearerTokenIsRead() {
    ServerConfig config = parse("version: 1\nauthorization:\n  bearerToken: s3cr3t\n");

    assertThat(config.authorization()).isEqualTo(new AuthorizationConfig("s3cr3t"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "authorization: {}",
        "authorization:",
        "authorization: {bearerToken: ''}",
        "authorization: {bearerToken: '   '}"
      })
  void authorizationWithoutAUsableTokenIsRefused(String line) {
    assertThat(errorOf("version: 1\n" + line))
        .isEqualTo("test.yaml: authorization: 'bearerToken' in 'authorization' must be provided");
  }

  @Test
  void sslWithCertificateFilesIsRead() {
    ServerConfig config =
        parse(
            """
            version: 1
            ssl:
              certificateFile: /etc/cert.pem
              certificateKeyFile: /etc/key.pem
              certificatePasswordFile: /etc/pw
            """);

    assertThat(config.ssl())
        .isEqualTo(new SslConfig(false, "/etc/cert.pem", "/etc/key.pem", "/etc/pw"));
  }

  @Test
  void selfSignedSslNeedsNoFiles() {
    assertThat(parse("version: 1\nssl: {selfSigned: true}").ssl())
        .isEqualTo(new SslConfig(true, null, null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ssl: {selfSigned: false}", "ssl: {}", "ssl:"})
  void sslWithoutCertificateFileIsRefused(String line) {
    assertThat(errorOf("version: 1\n" + line))
        .isEqualTo("test.yaml: ssl: 'certificateFile' in a SSL config must be provided");
  }

  @Test
  void sslWithoutCertificateKeyFileIsRefused() {
    assertThat(errorOf("version: 1\nssl: {certificateFile: /etc/cert.pem}"))
        .isEqualTo("test.yaml: ssl: 'certificateKeyFile' in a SSL config must be provided");
  }

  @Test
  void authorizationTokenNeverAppearsInTypeErrors() {
    assertThatThrownBy(() -> parse("version: 1\nauthorization: {bearerToken: [hunter2]}"))
        .hasMessage("test.yaml: authorization: 'bearerToken' must be a string, got a list");
  }
}
