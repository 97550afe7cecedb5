package io.lakeshare.spark.dv;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/**
 * ZeroMQ's Base85 variant (RFC 32/Z85), which Delta uses for inline bitmaps and for the UUIDs of
 * relative deletion-vector paths. Each 4-byte big-endian block becomes five characters.
 *
 * <p>Z85 itself only takes whole blocks. Delta encodes other lengths by padding with zero bytes to
 * the next block and records the real length next to the text ({@code sizeInBytes}), so decoding
 * takes the expected length and drops the padding.
 */
final class Z85 {
  private static final String ALPHABET =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  private static final byte[] DIGITS = new byte[128];

  /** Characters of an encoded UUID, without the optional random prefix before them. */
  static final int ENCODED_UUID_LENGTH = 20;

  static {
    Arrays.fill(DIGITS, (byte) -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      DIGITS[ALPHABET.charAt(i)] = (byte) i;
    }
  }

  private Z85() {}

  /** Number of characters encoding {@code length} bytes once padded to whole blocks. */
  static long encodedLength(int length) {
    return (length + 3L) / 4 * 5;
  }

  /**
   * Decodes {@code text} to exactly {@code length} bytes, dropping the padding of the last block.
   *
   * @throws IllegalArgumentException if the text is not Z85 or not the length {@code length} bytes
   *     encode to
   */
  static byte[] decode(CharSequence text, int length) {
    if (length < 0 || text.length() != encodedLength(length)) {
      throw new IllegalArgumentException(
          "expected "
              + (length < 0 ? "a non-negative length" : encodedLength(length) + " characters")
              + " for "
              + length
              + " bytes, got "
              + text.length()
              + " characters");
    }
    byte[] aligned = decode(text);
    return aligned.length == length ? aligned : Arrays.copyOf(aligned, length);
  }

  /**
   * Decodes whole blocks: {@code text.length()} must be a multiple of 5.
   *
   * @throws IllegalArgumentException if it is not, or a character is outside the alphabet, or a
   *     block exceeds 32 bits
   */
  static byte[] decode(CharSequence text) {
    if (text.length() % 5 != 0) {
      throw new IllegalArgumentException(
          "Z85 text length " + text.length() + " is not a multiple of 5");
    }
    ByteBuffer out = ByteBuffer.allocate(text.length() / 5 * 4);
    for (int i = 0; i < text.length(); i += 5) {
      long block = 0;
      for (int j = i; j < i + 5; j++) {
        block = block * 85 + digit(text.charAt(j), j);
      }
      // "%%%%%" would be 85^5 - 1 > 2^32 - 1: no encoder produces it, so it means corruption.
      if (block > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("Z85 block at " + i + " exceeds 32 bits");
      }
      out.putInt((int) block);
    }
    return out.array();
  }

  /** Encodes {@code bytes}, padding a last partial block with zero bytes as Delta does. */
  static String encode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(bytes, (bytes.length + 3) / 4 * 4));
    char[] out = new char[in.capacity() / 4 * 5];
    for (int i = 0; in.hasRemaining(); i += 5) {
      long block = in.getInt() & 0xFFFF_FFFFL;
      for (int j = 4; j >= 0; j--) {
        out[i + j] = ALPHABET.charAt((int) (block % 85));
        block /= 85;
      }
    }
    return new String(out);
  }

  /** Decodes the 20 characters of a UUID (most significant byte first). */
  static UUID decodeUuid(CharSequence text) {
    ByteBuffer bytes = ByteBuffer.wrap(decode(text, 16));
    return new UUID(bytes.getLong(), bytes.getLong());
  }

  /** Encodes a UUID to its 20 characters. */
  static String encodeUuid(UUID id) {
    ByteBuffer bytes = ByteBuffer.allocate(16);
    bytes.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    return encode(bytes.array());
  }

  private static int digit(char c, int at) {
    int d = c < DIGITS.length ? DIGITS[c] : -1;
    if (d < 0) {
      throw new IllegalArgumentException(
          "character "
              + (c < 0x20 || c > 0x7E ? String.format("U+%04X", (int) c) : "'" + c + "'")
              + " at "
              + at
              + " is not Z85");
    }
    return d;
  }
}
