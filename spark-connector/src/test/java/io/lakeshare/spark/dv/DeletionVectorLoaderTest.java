package io.lakeshare.spark.dv;

import static io.lakeshare.spark.dv.DvBytes.bitmap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.model.DeletionVector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeletionVectorLoaderTest {
  private static final String URL = "https://store.example/t/deletion_vector_x.bin";
  private static final String SIGNED = URL + "?X-Amz-Signature=SECRET&X-Amz-Credential=KEY";

  private static final byte[] FIRST = DvBytes.portable(new int[] {0}, bitmap(0, 2, 4));
  private static final byte[] SECOND = DvBytes.portable(new int[] {0, 1}, bitmap(7), bitmap(1));

  /** A file holding two vectors, as one DELETE over two data files writes it. */
  private static final byte[] FILE = DvBytes.file(FIRST, SECOND);

  private static final int SECOND_OFFSET = 1 + 4 + FIRST.length + 4;

  private static DeletionVector onDisk(int offset, int size, long cardinality) {
    return new DeletionVector("p", SIGNED, offset, size, cardinality, null);
  }

  @Test
  void readsAnInlineVectorWithoutAReader() throws IOException {
    DeletionVector d =
        new DeletionVector(
            "i", "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", null, 40, 6, null);
    assertThat(DeletionVectorLoader.load(d, null).toArray()).containsExactly(3, 4, 7, 11, 18, 29);
  }

  @Test
  void readsAnInlineVectorWhoseLengthIsNotAMultipleOfFour() throws IOException {
    byte[] bytes = DvBytes.portable(new int[] {0}, bitmap(1));
    assertThat(bytes.length % 4).isNotZero();
    DeletionVector d = new DeletionVector("i", Z85.encode(bytes), null, bytes.length, 1, null);
    assertThat(DeletionVectorLoader.load(d, null).toArray()).containsExactly(1);
  }

  @Test
  void readsExactlyTheFrameOfEachVectorInAFile() throws IOException {
    DvBytes.FileReader reader = new DvBytes.FileReader(FILE);
    RowIndexSet first = DeletionVectorLoader.load(onDisk(1, FIRST.length, 3), reader);
    assertThat(first.toArray()).containsExactly(0, 2, 4);
    assertThat(reader.lastOffset).isEqualTo(1);
    assertThat(reader.lastLength).isEqualTo(4 + FIRST.length + 4);

    RowIndexSet second = DeletionVectorLoader.load(onDisk(SECOND_OFFSET, SECOND.length, 2), reader);
    assertThat(second.toArray()).containsExactly(7, (1L << 32) + 1);
    assertThat(reader.lastOffset).isEqualTo(SECOND_OFFSET);
    assertThat(reader.lastOffset + reader.lastLength).isEqualTo(FILE.length);
    assertThat(reader.calls).isEqualTo(2);
  }

  @Test
  void reportsATruncatedFileWithoutTheUrlsQuery() {
    byte[] cut = Arrays.copyOf(FILE, FILE.length - 3);
    assertThatThrownBy(
            () ->
                DeletionVectorLoader.load(
                    onDisk(SECOND_OFFSET, SECOND.length, 2), new DvBytes.FileReader(cut)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(URL + " (offset " + SECOND_OFFSET)
        .hasMessageContaining("is truncated")
        .hasMessageNotContaining("SECRET")
        .hasMessageNotContaining("KEY");
  }

  @Test
  void reportsASizeThatDisagreesWithTheDescriptor() {
    assertThatThrownBy(
            () ->
                DeletionVectorLoader.load(
                    onDisk(1, FIRST.length - 1, 3), new DvBytes.FileReader(FILE)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(URL)
        .hasMessageContaining("the file gives the size " + FIRST.length)
        .hasMessageNotContaining("SECRET");
  }

  @Test
  void reportsAWrongOffsetAsASizeMismatch() {
    assertThatThrownBy(
            () ->
                DeletionVectorLoader.load(onDisk(0, FIRST.length, 3), new DvBytes.FileReader(FILE)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not match its descriptor");
  }

  @Test
  void reportsAChecksumMismatch() {
    byte[] flipped = FILE.clone();
    flipped[1 + 4 + FIRST.length - 1] ^= 0x01;
    assertThatThrownBy(
            () ->
                DeletionVectorLoader.load(
                    onDisk(1, FIRST.length, 3), new DvBytes.FileReader(flipped)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(URL)
        .hasMessageContaining("checksum mismatch")
        .hasMessageNotContaining("SECRET");
  }

  @Test
  void reportsABadMagicNumberBehindAValidChecksum() {
    byte[] wrong = FIRST.clone();
    ByteBuffer.wrap(wrong).putInt(0, 0x01020304);
    assertThatThrownBy(
            () ->
                DeletionVectorLoader.load(
                    onDisk(1, wrong.length, 3), new DvBytes.FileReader(DvBytes.file(wrong))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(URL)
        .hasMessageContaining("unknown magic number");
  }

  @Test
  void reportsACardinalityThatDisagreesWithTheDescriptor() {
    assertThatThrownBy(
            () ->
                DeletionVectorLoader.load(onDisk(1, FIRST.length, 4), new DvBytes.FileReader(FILE)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("holds 3 rows but its descriptor says 4");
  }

  @Test
  void reportsInlineTextThatIsNotZ85() {
    DeletionVector d = new DeletionVector("i", "wi5b,", null, 4, 0, null);
    assertThatThrownBy(() -> DeletionVectorLoader.load(d, null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("(inline, 4 bytes) is not valid inline data");
  }

  @Test
  void refusesVectorsItCannotLocate() {
    DvBytes.FileReader reader = new DvBytes.FileReader(FILE);
    DeletionVector relative = new DeletionVector("u", "ab^-aqEH.-t@S}K{vb[*k^", 1, 40, 6, null);
    assertThatThrownBy(() -> DeletionVectorLoader.load(relative, reader))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("storage type 'p'");
    DeletionVector unknown = new DeletionVector("x", "whatever", 1, 40, 6, null);
    assertThatThrownBy(() -> DeletionVectorLoader.load(unknown, reader))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unknown storage type 'x'");
    DeletionVector noOffset = new DeletionVector("p", SIGNED, null, FIRST.length, 3, null);
    assertThatThrownBy(() -> DeletionVectorLoader.load(noOffset, reader))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no valid offset")
        .hasMessageNotContaining("SECRET");
    assertThat(reader.calls).isZero();
  }
}
