package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Page and refresh tokens: every change of a single character is refused, whatever the length. */
class TokenSignerTest {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private final TokenSigner signer =
      new TokenSigner("a test key of thirty-two bytes!!".getBytes(StandardCharsets.UTF_8));

  @Test
  void roundTripsTheFields() throws Exception {
    String token = signer.sign(out -> out.writeUTF("share.schema.table"));
    DataInputStream in = signer.open(token);
    assertThat(in).isNotNull();
    assertThat(in.readUTF()).isEqualTo("share.schema.table");
    // padding written by another encoder is tolerated
    assertThat(signer.open(token + "==")).isNotNull();
  }

  @Test
  void everySingleCharacterChangeIsRefusedForEveryLengthResidue() {
    List<String> accepted = new ArrayList<>();
    // payloads of 1..3 extra bytes give all three residues of the encoded length modulo 4,
    // including those whose last character carries unused low bits
    for (int extra = 0; extra < 3; extra++) {
      int n = extra;
      String token =
          signer.sign(
              out -> {
                out.writeUTF("t");
                for (int i = 0; i < n; i++) {
                  out.writeByte(i);
                }
              });
      assertThat(signer.open(token)).isNotNull();
      for (int pos = 0; pos < token.length(); pos++) {
        for (char c : ALPHABET.toCharArray()) {
          if (c == token.charAt(pos)) {
            continue;
          }
          String forged = token.substring(0, pos) + c + token.substring(pos + 1);
          if (signer.open(forged) != null) {
            accepted.add(forged + " (from " + token + ")");
          }
        }
      }
    }
    assertThat(accepted).as("forged tokens the signer accepted").isEmpty();
  }

  @Test
  void garbageIsRefused() {
    assertThat(signer.open(null)).isNull();
    assertThat(signer.open("")).isNull();
    assertThat(signer.open("%%%")).isNull();
    assertThat(signer.open("A")).isNull();
    assertThat(signer.open("A".repeat(5000))).isNull();
  }
}
