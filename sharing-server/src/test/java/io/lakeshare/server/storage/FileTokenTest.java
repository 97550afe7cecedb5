package io.lakeshare.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
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

  private static final String ROOT = "/data/t";
  private static final String RELATIVE = "p=1/part 0%.parquet";

  @Test
  void tableKeyIsAShortUrlSafeNameStablePerKeyAndRoot() {
    String key = tokens.tableKey(ROOT);

    assertThat(key).matches("[A-Za-z0-9_-]{22}").doesNotContain("data");
    assertThat(new FileToken(KEY).tableKey(ROOT)).isEqualTo(key);
    assertThat(tokens.tableKey("/data/u")).isNotEqualTo(key);
    assertThat(tokens.tableKey(ROOT + "/")).isNotEqualTo(key);
    assertThat(new FileToken("fedcba9876543210fedcba9876543210".getBytes(UTF_8)).tableKey(ROOT))
        .isNotEqualTo(key);
  }

  @Test
  void versionTwoSignatureYieldsTheRelativePathBeforeExpiry() {
    String key = tokens.tableKey(ROOT);
    String p = FileToken.encodePath(RELATIVE);
    String sig = tokens.signatureV2(key, p, EXPIRY);

    FileToken.Check check = tokens.verifyV2(key, p, "" + EXPIRY, sig, EXPIRY * 1000 - 1);

    assertThat(p).matches("[A-Za-z0-9_-]+");
    assertThat(sig).matches("[A-Za-z0-9_-]{43}");
    assertThat(check.status()).isEqualTo(FileToken.Status.VALID);
    assertThat(check.path()).isEqualTo(RELATIVE);
  }

  @Test
  void versionTwoIsExpiredFromItsExpirySecondOnAndExpiryIsCheckedAfterTheMac() {
    String key = tokens.tableKey(ROOT);
    String p = FileToken.encodePath(RELATIVE);
    String sig = tokens.signatureV2(key, p, EXPIRY);

    assertThat(tokens.verifyV2(key, p, "" + EXPIRY, sig, EXPIRY * 1000))
        .isEqualTo(new FileToken.Check(FileToken.Status.EXPIRED, null));
    assertThat(tokens.verifyV2(key, p, "" + EXPIRY, "A" + sig.substring(1), EXPIRY * 1000).status())
        .isEqualTo(FileToken.Status.INVALID);
  }

  @Test
  void changingAnyVersionTwoPartInvalidatesIt() {
    String key = tokens.tableKey(ROOT);
    String p = FileToken.encodePath(RELATIVE);
    String sig = tokens.signatureV2(key, p, EXPIRY);
    String e = "" + EXPIRY;

    assertThat(
            List.of(
                tokens.verifyV2(tokens.tableKey("/data/u"), p, e, sig, 0),
                tokens.verifyV2(key, FileToken.encodePath("p=1/other.parquet"), e, sig, 0),
                tokens.verifyV2(key, FileToken.encodePath("../u/x.parquet"), e, sig, 0),
                tokens.verifyV2(key, p, "" + (EXPIRY + 86_400), sig, 0),
                tokens.verifyV2(key, p, "" + (EXPIRY - 1), sig, 0),
                tokens.verifyV2(key, p, e, sig.substring(1), 0),
                tokens.verifyV2(key, p, e, sig + "A", 0),
                tokens.verifyV2(key, p, e, "", 0)))
        .extracting(FileToken.Check::status)
        .containsOnly(FileToken.Status.INVALID);
  }

  @Test
  void aSecondSpellingOfTheSignatureInItsUnusedBitsIsInvalid() {
    // 32 bytes take 43 base64 characters; the last one carries two bits a decoder ignores.
    String key = tokens.tableKey(ROOT);
    String p = FileToken.encodePath(RELATIVE);
    String sig = tokens.signatureV2(key, p, EXPIRY);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int last = alphabet.indexOf(sig.charAt(42));
    String sameBytes = sig.substring(0, 42) + alphabet.charAt(last ^ 1);

    assertThat(Base64.getUrlDecoder().decode(sameBytes))
        .isEqualTo(Base64.getUrlDecoder().decode(sig));
    assertThat(tokens.verifyV2(key, p, "" + EXPIRY, sameBytes, 0).status())
        .isEqualTo(FileToken.Status.INVALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"+", "0", " ", "00"})
  void versionTwoExpiryMustBeSpelledExactlyAsSigned(String prefix) {
    String key = tokens.tableKey(ROOT);
    String p = FileToken.encodePath(RELATIVE);
    String sig = tokens.signatureV2(key, p, EXPIRY);

    assertThat(tokens.verifyV2(key, p, prefix + EXPIRY, sig, 0).status())
        .isEqualTo(FileToken.Status.INVALID);
    assertThat(tokens.verifyV2(key, p, EXPIRY + prefix, sig, 0).status())
        .isEqualTo(FileToken.Status.INVALID);
  }

  @Test
  void missingVersionTwoPartsAreInvalid() {
    String key = tokens.tableKey(ROOT);
    String p = FileToken.encodePath(RELATIVE);
    String sig = tokens.signatureV2(key, p, EXPIRY);
    String e = "" + EXPIRY;

    assertThat(
            List.of(
                tokens.verifyV2(null, p, e, sig, 0),
                tokens.verifyV2(key, null, e, sig, 0),
                tokens.verifyV2(key, p, null, sig, 0),
                tokens.verifyV2(key, p, e, null, 0)))
        .extracting(FileToken.Check::status)
        .containsOnly(FileToken.Status.INVALID);
  }

  @Test
  void macsOfTheTwoUrlShapesCannotBeSwapped() {
    String p = FileToken.encodePath(PATH);
    String oldToken = tokens.create(PATH, EXPIRY);
    String oldMac = oldToken.substring(oldToken.lastIndexOf('.') + 1);
    String key = tokens.tableKey(ROOT);
    String newSig = tokens.signatureV2(key, p, EXPIRY);

    assertThat(tokens.verifyV2(key, p, "" + EXPIRY, oldMac, 0).status())
        .isEqualTo(FileToken.Status.INVALID);
    assertThat(tokens.verify(p + "." + EXPIRY + "." + newSig, 0).status())
        .isEqualTo(FileToken.Status.INVALID);
  }

  @Test
  void shortKeysAreRejected() {
    assertThatThrownBy(() -> new FileToken(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16 bytes");
  }
}
