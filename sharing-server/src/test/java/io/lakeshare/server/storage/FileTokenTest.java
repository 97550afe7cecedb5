package io.lakeshare.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileTokenTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);
  private static final String PATH = "/data/t/p=1/part 0%.parquet";
  private static final long EXPIRY = 1_700_003_600L;

  private final FileToken tokens = new FileToken(KEY);

  @Test
  void genuineTokenYieldsItsPathBeforeExpiry() {
    String token = tokens.create(PATH, EXPIRY);

    FileToken.Check check = tokens.verify(token, EXPIRY * 1000 - 1);

    assertThat(check.status()).isEqualTo(FileToken.Status.VALID);
    assertThat(check.path()).isEqualTo(PATH);
    assertThat(token).matches("[A-Za-z0-9_-]+\\.1700003600\\.[A-Za-z0-9_-]{43}");
  }

  @Test
  void tokenIsExpiredFromItsExpirySecondOn() {
    String token = tokens.create(PATH, EXPIRY);

    assertThat(tokens.verify(token, EXPIRY * 1000).status()).isEqualTo(FileToken.Status.EXPIRED);
    assertThat(tokens.verify(token, EXPIRY * 1000 + 5).path()).isNull();
  }

  @Test
  void tokenFromAnotherKeyIsInvalid() {
    byte[] otherKey = "fedcba9876543210fedcba9876543210".getBytes(UTF_8);
    String token = new FileToken(otherKey).create(PATH, EXPIRY);

    assertThat(tokens.verify(token, 0).status()).isEqualTo(FileToken.Status.INVALID);
  }

  @Test
  void changingThePathPartInvalidatesTheToken() {
    String token = tokens.create(PATH, EXPIRY);
    String otherPath =
        Base64.getUrlEncoder().withoutPadding().encodeToString("/etc/passwd".getBytes(UTF_8));

    String forged = otherPath + token.substring(token.indexOf('.'));

    assertThat(tokens.verify(forged, 0).status()).isEqualTo(FileToken.Status.INVALID);
  }

  @Test
  void extendingTheExpiryInvalidatesTheToken() {
    String token = tokens.create(PATH, EXPIRY);

    String forged = token.replace("." + EXPIRY + ".", "." + (EXPIRY + 86_400) + ".");

    assertThat(forged).isNotEqualTo(token);
    assertThat(tokens.verify(forged, EXPIRY * 1000).status()).isEqualTo(FileToken.Status.INVALID);
  }

  @Test
  void anyChangeToTheMacInvalidatesTheToken() {
    String token = tokens.create(PATH, EXPIRY);
    int macStart = token.lastIndexOf('.') + 1;
    for (int i = macStart; i < token.length(); i++) {
      char replacement = token.charAt(i) == 'A' ? 'B' : 'A';
      String forged = token.substring(0, i) + replacement + token.substring(i + 1);

      assertThat(tokens.verify(forged, 0).status())
          .as("mac char %d", i)
          .isEqualTo(FileToken.Status.INVALID);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "abc", "a.b", "a..b", ".1.abc", "a.1.", "a.b.c.d"})
  void malformedTokensAreInvalid(String token) {
    assertThat(tokens.verify(token, 0).status()).isEqualTo(FileToken.Status.INVALID);
  }

  @Test
  void shortKeysAreRejected() {
    assertThatThrownBy(() -> new FileToken(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16 bytes");
  }
}
