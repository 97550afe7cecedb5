package io.lakeshare.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.ResponseAction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NdjsonReaderTest {

  /** Produces "protocol, metaData, n file lines" on demand, never holding more than one line. */
  private static final class GeneratedBody extends InputStream {
    private final int files;
    private int nextLine;
    private byte[] current = new byte[0];
    private int pos;
    long bytesServed;
    boolean closed;

    GeneratedBody(int files) {
      this.files = files;
    }

    private boolean refill() {
      if (nextLine >= files + 2) {
        return false;
      }
      ResponseAction a =
          switch (nextLine) {
            case 0 -> new Protocol(1);
            case 1 -> new Metadata("id", null, null, null, "{}", null, null, null, null, null);
            default -> file(nextLine - 2);
          };
      nextLine++;
      byte[] json = WireJson.actionBytes(a);
      current = new byte[json.length + 1];
      System.arraycopy(json, 0, current, 0, json.length);
      current[json.length] = '\n';
      pos = 0;
      return true;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= current.length && !refill()) {
        return -1;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      bytesServed += n;
      return n;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static FileAction file(int i) {
    return new FileAction(
        FileAction.Kind.FILE,
        "https://h/f" + i,
        "id" + i,
        Map.of("p", "v" + i),
        i,
        null,
        null,
        null,
        null);
  }

  private static List<ResponseAction> readAll(String body) throws IOException {
    List<ResponseAction> out = new ArrayList<>();
    try (NdjsonReader r =
        new NdjsonReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void streamsHundredThousandLinesWithoutReadingAhead() throws IOException {
    int files = 100_000;
    GeneratedBody body = new GeneratedBody(files);
    try (NdjsonReader reader = new NdjsonReader(body)) {
      assertThat(reader.next()).isEqualTo(new Protocol(1));
      // Jackson reads in blocks of a few KB; the whole body is several MB.
      assertThat(body.bytesServed).isLessThan(64 * 1024);
      assertThat(reader.next()).isInstanceOf(Metadata.class);
      int count = 0;
      int outOfOrder = 0;
      while (reader.hasNext()) {
        FileAction f = (FileAction) reader.next();
        if (!f.id().equals("id" + count)) {
          outOfOrder++;
        }
        count++;
      }
      assertThat(count).isEqualTo(files);
      assertThat(outOfOrder).isZero();
      assertThat(body.bytesServed).isGreaterThan(5_000_000L);
    }
    assertThat(body.closed).isTrue();
  }

  @Test
  void skipsBlankLinesAndUnknownWrappersAndToleratesMissingFinalNewline() throws IOException {
    List<ResponseAction> actions =
        readAll(
            "\n{\"protocol\":{\"minReaderVersion\":1}}\r\n\n   \n"
                + "{\"queryStatus\":{\"queryId\":\"q\"}}\n"
                + "{\"endStreamAction\":{\"nextPageToken\":\"n\"}}");
    assertThat(actions)
        .containsExactly(new Protocol(1), new EndStreamAction(null, "n", null, null, null));
  }

  @Test
  void emptyBodyHasNoActions() throws IOException {
    assertThat(readAll("")).isEmpty();
    assertThat(readAll("\n\n")).isEmpty();
  }

  @Test
  void malformedLineReportsItsLineNumber() throws IOException {
    try (NdjsonReader r =
        new NdjsonReader(
            new ByteArrayInputStream(
                "{\"protocol\":{\"minReaderVersion\":1}}\n{\"file\":{\"url\":}\n"
                    .getBytes(StandardCharsets.UTF_8)))) {
      assertThat(r.next()).isEqualTo(new Protocol(1));
      assertThatThrownBy(r::hasNext)
          .isInstanceOf(WireFormatException.class)
          .hasMessageStartingWith("Line 2 of the NDJSON answer is not valid JSON");
    }
  }

  @Test
  void nonObjectLineIsRejected() {
    assertThatThrownBy(() -> readAll("{\"protocol\":{\"minReaderVersion\":1}}\n[1]\n"))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("Line 2");
  }

  @Test
  void missingRequiredFieldNamesTheLine() {
    assertThatThrownBy(() -> readAll("\n\n{\"file\":{\"url\":\"u\",\"size\":1}}\n"))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Line 3: Missing required field id of file");
  }
}
