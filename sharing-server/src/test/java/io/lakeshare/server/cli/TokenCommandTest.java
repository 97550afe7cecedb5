package io.lakeshare.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.server.auth.TokenHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) throws Exception {
    return Main.token(
        args,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static boolean matches(String hash, String token) {
    TokenHash.Parsed p = TokenHash.parse(hash);
    return MessageDigest.isEqual(p.digest(), TokenHash.digest(p.salt(), token));
  }

  @Test
  void versionPrintsTheBuildsVersion() throws Exception {
    assertThat(
            Main.run(
                new String[] {"--version"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)))
        .isZero();
    // the Maven-filtered version of this build, never the unfiltered placeholder
    assertThat(out.toString(StandardCharsets.UTF_8).trim())
        .matches("lakeshare-server \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void aNewTokenComesWithItsHash() throws Exception {
    assertThat(run("")).isZero();
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    String token = lines.get(0).substring("token: ".length());
    String hash = lines.get(1).substring("tokenHash: ".length());
    assertThat(token).hasSize(43); // 32 random bytes, base64url
    assertThat(matches(hash, token)).isTrue();
    assertThat(matches(hash, token + "x")).isFalse();
  }

  @Test
  void aGivenTokenIsHashedAndNotEchoed() throws Exception {
    assertThat(run("my-own-token-0123456789\n", "--stdin")).isZero();
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).startsWith("tokenHash: sha256:").doesNotContain("my-own-token");
    assertThat(matches(printed.trim().substring("tokenHash: ".length()), "my-own-token-0123456789"))
        .isTrue();
  }

  @Test
  void shortTokensAndUnknownOptionsAreRefused() throws Exception {
    assertThat(run("short\n", "--stdin")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("at least 16 characters");
    assertThat(run("", "--bogus")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option: '--bogus'");
  }
}
