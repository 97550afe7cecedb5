package io.lakeshare.spark.dv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class Z85Test {
  private static final byte[] HELLO = {
    (byte) 0x86, 0x4F, (byte) 0xD2, 0x6F, (byte) 0xB5, 0x59, (byte) 0xF7, 0x5B
  };

  @Test
  void encodesAndDecodesTheZeroMqSpecVector() {
    assertThat(Z85.encode(HELLO)).isEqualTo("HelloWorld");
    assertThat(Z85.decode("HelloWorld")).containsExactly(HELLO);
    assertThat(Z85.decode("HelloWorld", 8)).containsExactly(HELLO);
  }

  @Test
  void padsUnalignedInputWithZerosAndDropsThePaddingWhenGivenTheLength() {
    Random random = new Random(42);
    for (int length = 0; length <= 13; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      String text = Z85.encode(bytes);
      assertThat(text).hasSize((length + 3) / 4 * 5);
      assertThat(Z85.decode(text, length)).containsExactly(bytes);
      byte[] aligned = Z85.decode(text);
      assertThat(aligned).hasSize((length + 3) / 4 * 4);
      for (int i = length; i < aligned.length; i++) {
        assertThat(aligned[i]).isZero();
      }
    }
  }

  @Test
  void decodesTheExtremesOfABlock() {
    assertThat(Z85.decode("00000")).containsExactly(0, 0, 0, 0);
    byte[] ones = {-1, -1, -1, -1};
    assertThat(Z85.encode(ones)).isEqualTo("%nSc0");
    assertThat(Z85.decode("%nSc0")).containsExactly(ones);
  }

  @Test
  void roundTripsUuidsMostSignificantByteFirst() {
    UUID id = UUID.fromString("d2c639aa-8816-431a-aaf6-d3fe2512ff61");
    // the UUID of the protocol's "on disk with relative path" example, after its prefix "ab"
    assertThat(Z85.encodeUuid(id)).isEqualTo("^-aqEH.-t@S}K{vb[*k^");
    assertThat(Z85.decodeUuid("^-aqEH.-t@S}K{vb[*k^")).isEqualTo(id);
  }

  @Test
  void rejectsTextThatIsNotZ85() {
    assertThat(Z85.decode("Hello")).hasSize(4);
    assertThatThrownBy(() -> Z85.decode("Hell"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a multiple of 5");
    assertThatThrownBy(() -> Z85.decode("Hel,o"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("',' at 3");
    assertThatThrownBy(() -> Z85.decode("Hel\u00e9o"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+00E9");
    assertThatThrownBy(() -> Z85.decode("%%%%%"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds 32 bits");
  }

  @Test
  void rejectsTextOfAnotherLengthThanTheByteCountNeeds() {
    assertThatThrownBy(() -> Z85.decode("HelloWorld", 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 5 characters for 4 bytes, got 10");
    assertThatThrownBy(() -> Z85.decode("HelloWorld", 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 15 characters");
  }
}
