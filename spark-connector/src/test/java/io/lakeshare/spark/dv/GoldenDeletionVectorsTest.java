package io.lakeshare.spark.dv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.protocol.model.DeletionVector;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads the vectors delta-spark wrote for integration-tests' {@code DvGoldenGenerator} (see there
 * for how to regenerate them) to exactly the rows it deleted.
 */
class GoldenDeletionVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A Spark vectorized-reader batch size, so some batches have no deleted row and some do. */
  private static final int BATCH = 4096;

  record Golden(String name, JsonNode json, Path dir) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Golden> goldens() throws IOException, URISyntaxException {
    Path dir = Path.of(GoldenDeletionVectorsTest.class.getResource("/dv").toURI());
    List<Golden> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        out.add(new Golden(f.getFileName().toString(), JSON.readTree(f.toFile()), dir));
      }
    }
    assertThat(out).extracting(Golden::name).contains("run.json", "inline-native.json");
    return out;
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void readsEachGoldenVectorToTheRowsDeltaDeleted(Golden g) throws IOException {
    RowIndexSet rows = DeletionVectorLoader.load(descriptor(g), reader(g));
    long[] expected = expected(g.json());
    assertThat(rows.cardinality()).isEqualTo(g.json().get("cardinality").asLong());
    assertThat(rows.toArray()).containsExactly(expected);
    long fileRows = g.json().get("dataFileRows").asLong();
    for (long r = 0; r < fileRows; r++) {
      assertThat(rows.contains(r)).isEqualTo(java.util.Arrays.binarySearch(expected, r) >= 0);
    }
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void keepsTheOtherRowsOfTheirFileInBatches(Golden g) throws IOException {
    RowIndexSet deleted = DeletionVectorLoader.load(descriptor(g), reader(g));
    int fileRows = g.json().get("dataFileRows").asInt();
    List<Long> kept = new ArrayList<>();
    for (int start = 0; start < fileRows; start += BATCH) {
      int n = Math.min(BATCH, fileRows - start);
      OnHeapColumnVector id = new OnHeapColumnVector(n, DataTypes.LongType);
      OnHeapColumnVector index = new OnHeapColumnVector(n, DataTypes.LongType);
      for (int r = 0; r < n; r++) {
        id.putLong(r, start + r);
        index.putLong(r, start + r);
      }
      ColumnarBatch out =
          BatchSelection.select(
              new ColumnarBatch(new ColumnVector[] {id, index}, n), 1, deleted, null);
      for (int r = 0; r < out.numRows(); r++) {
        kept.add(out.column(0).getLong(r));
      }
    }
    assertThat(kept).hasSize(fileRows - (int) deleted.cardinality());
    assertThat(kept).noneMatch(deleted::contains);
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void derivesTheFileNameDeltaUsedFromTheDescriptorsUuid(Golden g) throws IOException {
    JsonNode d = g.json().get("descriptor");
    if (!"u".equals(d.get("storageType").asText())) {
      assertThat(d.get("storageType").asText()).isEqualTo("i");
      return;
    }
    assertThat(DvLocation.uuidRelativePath(d.get("pathOrInlineDv").asText()))
        .isEqualTo(g.json().get("dvRelativePath").asText());
    byte[] file = Files.readAllBytes(g.dir().resolve(g.json().get("dvFile").asText()));
    assertThat(file[0]).as("format version").isEqualTo((byte) 1);
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void coverRunBitmapAndArrayContainersAndBothInlineFormats(Golden g) throws IOException {
    byte[] bitmap = bitmapBytes(g);
    ByteBuffer le = ByteBuffer.wrap(bitmap).order(ByteOrder.LITTLE_ENDIAN);
    String name = g.json().get("case").asText();
    int magic = le.getInt(0);
    assertThat(magic)
        .isEqualTo(
            name.equals("inline-native")
                ? BitmapArrayFormat.NATIVE_MAGIC
                : BitmapArrayFormat.PORTABLE_MAGIC);
    if (name.equals("run") || name.equals("bitmap") || name.equals("scattered")) {
      // portable header (magic, count, key) then the 32-bit bitmap's cookie
      int cookie = le.getShort(16) & 0xFFFF;
      assertThat(cookie).isEqualTo(name.equals("run") ? 12347 : 12346);
    }
  }

  private static byte[] bitmapBytes(Golden g) throws IOException {
    DeletionVector d = descriptor(g);
    if (d.isInline()) {
      return Z85.decode(d.pathOrInlineDv(), d.sizeInBytes());
    }
    byte[] frame = reader(g).read(d.offset(), d.sizeInBytes() + 8);
    return java.util.Arrays.copyOfRange(frame, 4, 4 + d.sizeInBytes());
  }

  /** The log's descriptor; a vector stored by UUID is given a URL, as a sharing server would. */
  private static DeletionVector descriptor(Golden g) {
    JsonNode d = g.json().get("descriptor");
    DeletionVector dv =
        new DeletionVector(
            d.get("storageType").asText(),
            d.get("pathOrInlineDv").asText(),
            d.has("offset") ? d.get("offset").asInt() : null,
            d.get("sizeInBytes").asInt(),
            d.get("cardinality").asLong(),
            d.has("maxRowIndex") ? d.get("maxRowIndex").asLong() : null);
    if (dv.isInline()) {
      return dv;
    }
    return dv.atUrl("https://golden.example/" + g.json().get("dvFile").asText() + "?sig=x");
  }

  private static RangeReader reader(Golden g) throws IOException {
    if (!g.json().has("dvFile")) {
      return null;
    }
    return new DvBytes.FileReader(
        Files.readAllBytes(g.dir().resolve(g.json().get("dvFile").asText())));
  }

  private static long[] expected(JsonNode golden) {
    List<Long> out = new ArrayList<>();
    for (JsonNode run : golden.get("deletedRowIndexes")) {
      for (long r = run.get(0).asLong(); r < run.get(1).asLong(); r += run.get(2).asLong()) {
        out.add(r);
      }
    }
    return out.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
  }
}
