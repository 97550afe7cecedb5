package io.lakeshare.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Links inside a table are followed as the file system would, but never out of the table. */
class ConfinedFileOpenerTest {

  @TempDir Path dir;
  private Path table;

  @BeforeEach
  void setUp() throws Exception {
    table = Files.createDirectories(dir.resolve("table"));
    Files.writeString(table.resolve("a.parquet"), "A");
    Files.writeString(Files.createDirectories(table.resolve("p=1")).resolve("b.parquet"), "B");
    Files.writeString(dir.resolve("secret.parquet"), "SECRET");
  }

  private String read(String relative) throws IOException {
    ConfinedFileOpener.Opened opened = ConfinedFileOpener.open(table, Path.of(relative), true);
    try (FileChannel channel = opened.channel()) {
      ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
      channel.read(buffer, 0);
      assertThat(opened.attributes().size()).isEqualTo(channel.size());
      return new String(buffer.array(), UTF_8);
    }
  }

  private void assertNotConfined(String relative) {
    assertThatThrownBy(() -> ConfinedFileOpener.open(table, Path.of(relative), true))
        .as(relative)
        .isInstanceOf(ConfinedFileOpener.NotConfinedException.class);
  }

  @Test
  void opensFilesAndFilesInSubdirectories() throws Exception {
    assertThat(read("a.parquet")).isEqualTo("A");
    assertThat(read("p=1/b.parquet")).isEqualTo("B");
  }

  @Test
  void lookupWithoutOpeningGivesTheAttributesOnly() throws Exception {
    ConfinedFileOpener.Opened opened =
        ConfinedFileOpener.open(table, Path.of("p=1/b.parquet"), false);

    assertThat(opened.channel()).isNull();
    assertThat(opened.attributes().isRegularFile()).isTrue();
    assertThat(opened.attributes().size()).isEqualTo(1);
  }

  @Test
  void linksThatStayInsideTheTableAreFollowed() throws Exception {
    Files.createSymbolicLink(table.resolve("p=1/up.parquet"), Path.of("../a.parquet"));
    Files.createSymbolicLink(table.resolve("alias"), Path.of("p=1"));
    Files.createSymbolicLink(table.resolve("self"), Path.of("."));
    Files.createSymbolicLink(table.resolve("absolute.parquet"), table.resolve("p=1/b.parquet"));
    Files.createSymbolicLink(table.resolve("chain.parquet"), Path.of("alias/up.parquet"));

    assertThat(read("p=1/up.parquet")).isEqualTo("A");
    assertThat(read("alias/b.parquet")).isEqualTo("B");
    assertThat(read("self/self/a.parquet")).isEqualTo("A");
    assertThat(read("absolute.parquet")).isEqualTo("B");
    assertThat(read("chain.parquet")).isEqualTo("A");
  }

  @Test
  void aRootThatIsALinkIsFollowed() throws Exception {
    Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked"), table);
    Files.createSymbolicLink(
        table.resolve("via-link-root.parquet"), linkedRoot.resolve("a.parquet"));

    ConfinedFileOpener.Opened opened =
        ConfinedFileOpener.open(linkedRoot, Path.of("via-link-root.parquet"), true);
    opened.channel().close();

    assertThat(opened.attributes().size()).isEqualTo(1);
  }

  @Test
  void linksLeadingOutOfTheTableAreRefused() throws Exception {
    Files.createSymbolicLink(table.resolve("out.parquet"), dir.resolve("secret.parquet"));
    Files.createSymbolicLink(table.resolve("rel-out.parquet"), Path.of("../secret.parquet"));
    Files.createSymbolicLink(table.resolve("p=1/deep-out.parquet"), Path.of("../../table/../x"));
    Files.createSymbolicLink(table.resolve("out-dir"), dir);
    Files.createSymbolicLink(table.resolve("parent"), Path.of(".."));

    assertNotConfined("out.parquet");
    assertNotConfined("rel-out.parquet");
    assertNotConfined("p=1/deep-out.parquet");
    assertNotConfined("out-dir/secret.parquet");
    assertNotConfined("parent/secret.parquet");
    assertNotConfined("parent/table/a.parquet");
  }

  @Test
  void loopsDirectoriesAndFilesUsedAsDirectoriesAreRefused() throws Exception {
    Files.createSymbolicLink(table.resolve("loop1"), Path.of("loop2"));
    Files.createSymbolicLink(table.resolve("loop2"), Path.of("loop1"));
    Files.createSymbolicLink(table.resolve("to-dir"), Path.of("p=1/.."));

    assertNotConfined("loop1");
    assertNotConfined("p=1");
    assertNotConfined("to-dir");
    assertNotConfined("a.parquet/b.parquet");
    assertThatThrownBy(() -> ConfinedFileOpener.open(table, Path.of("missing.parquet"), true))
        .isInstanceOf(NoSuchFileException.class);
  }
}
