package io.lakeshare.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.DeltaMetadata;
import io.lakeshare.protocol.model.DeltaProtocol;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Format;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.ResponseAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Delta response format lines (CONFORMANCE §3.4): golden bytes, round trips and lenient reads. */
class DeltaActionCodecTest {

  private static String text(ResponseAction a) {
    return new String(WireJson.actionBytes(a), StandardCharsets.UTF_8);
  }

  private static final DeletionVector DV =
      new DeletionVector("p", "https://h/dv.bin?sp=r&sig=x", 1, 34, 2, null);

  private static DeltaFileAction add(DeletionVector dv) {
    Map<String, String> pv = new LinkedHashMap<>();
    pv.put("col-b", "x");
    pv.put("col-a", null);
    return new DeltaFileAction(
        DeltaFileAction.Kind.ADD,
        "f1",
        dv == null ? null : "dvf1",
        3L,
        1700000000000L,
        1700000360000L,
        "https://h/part-0.parquet?sp=r",
        pv,
        1234,
        1699999999000L,
        true,
        "{\"numRecords\":5}",
        Map.of("INSERTION_TIME", "1"),
        dv,
        7L,
        2L,
        null,
        null);
  }

  @Test
  void goldenLinesOfEachKind() {
    assertThat(
            text(
                new DeltaProtocol(
                    3, 7, List.of("deletionVectors"), List.of("deletionVectors", "x"), null)))
        .isEqualTo(
            "{\"protocol\":{\"deltaProtocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                + "\"readerFeatures\":[\"deletionVectors\"],"
                + "\"writerFeatures\":[\"deletionVectors\",\"x\"]}}}");
    assertThat(text(new DeltaProtocol(1, 2, null, null, 5L)))
        .isEqualTo(
            "{\"protocol\":{\"deltaProtocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2},"
                + "\"version\":5}}");
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("z", "1");
    conf.put("delta.enableDeletionVectors", "true");
    assertThat(
            text(
                new DeltaMetadata(
                    "id1", null, "d", null, "{}", List.of("p"), conf, 99L, 4L, 100L, 2L)))
        .isEqualTo(
            "{\"metaData\":{\"deltaMetadata\":{\"id\":\"id1\",\"description\":\"d\","
                + "\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"{}\","
                + "\"partitionColumns\":[\"p\"],\"configuration\":"
                + "{\"delta.enableDeletionVectors\":\"true\",\"z\":\"1\"},\"createdTime\":99},"
                + "\"version\":4,\"size\":100,\"numFiles\":2}}");
    assertThat(text(add(DV)))
        .isEqualTo(
            "{\"file\":{\"id\":\"f1\",\"deletionVectorFileId\":\"dvf1\",\"version\":3,"
                + "\"timestamp\":1700000000000,\"expirationTimestamp\":1700000360000,"
                + "\"deltaSingleAction\":{\"add\":{\"path\":\"https://h/part-0.parquet?sp=r\","
                + "\"partitionValues\":{\"col-b\":\"x\",\"col-a\":null},\"size\":1234,"
                + "\"modificationTime\":1699999999000,\"dataChange\":true,"
                + "\"stats\":\"{\\\"numRecords\\\":5}\",\"tags\":{\"INSERTION_TIME\":\"1\"},"
                + "\"deletionVector\":{\"storageType\":\"p\","
                + "\"pathOrInlineDv\":\"https://h/dv.bin?sp=r&sig=x\",\"offset\":1,"
                + "\"sizeInBytes\":34,\"cardinality\":2},\"baseRowId\":7,"
                + "\"defaultRowCommitVersion\":2}}}}");
  }

  @Test
  void addWithoutModificationTimeOrDataChangeGetsWhatDeltaReadersRequire() {
    DeltaFileAction bare =
        new DeltaFileAction(
            DeltaFileAction.Kind.ADD,
            "f",
            null,
            null,
            null,
            null,
            "u",
            null,
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThat(text(bare))
        .isEqualTo(
            "{\"file\":{\"id\":\"f\",\"deltaSingleAction\":{\"add\":{\"path\":\"u\","
                + "\"partitionValues\":{},\"size\":1,\"modificationTime\":0,"
                + "\"dataChange\":true}}}}");
  }

  @Test
  void everyKindAndOptionalFieldRoundTrips() {
    List<ResponseAction> all =
        List.of(
            new DeltaProtocol(3, 7, List.of("a"), List.of("b"), 9L),
            new DeltaProtocol(1, 1, null, null, null),
            new DeltaMetadata(
                "id",
                "n",
                "d",
                new Format("parquet", Map.of("k", "v")),
                "{\"type\":\"struct\"}",
                List.of(),
                Map.of(),
                null,
                null,
                null,
                null),
            new DeltaMetadata(
                "id", null, null, null, "{}", List.of("a", "b"), Map.of("x", "y"), 1L, 2L, 3L, 4L),
            add(DV),
            add(null),
            add(
                new DeletionVector(
                    "i", "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", null, 40, 6, 8L)),
            new DeltaFileAction(
                DeltaFileAction.Kind.REMOVE,
                "f2",
                "dvf",
                4L,
                5L,
                6L,
                "u2",
                Map.of("p", "1"),
                10,
                null,
                true,
                "{}",
                null,
                DV,
                null,
                null,
                123L,
                true),
            new DeltaFileAction(
                DeltaFileAction.Kind.CDC,
                "f3",
                null,
                4L,
                5L,
                6L,
                "u3",
                Map.of(),
                11,
                null,
                false,
                null,
                Map.of("t", "1"),
                null,
                null,
                null,
                null,
                null));
    for (ResponseAction a : all) {
      assertThat(WireJson.readAction(text(a))).as(text(a)).isEqualTo(a);
    }
  }

  @Test
  void readsFieldsInAnyOrderSkipsUnknownOnesAndTakesNumbersAsStrings() {
    ResponseAction p =
        WireJson.readAction(
            "{\"protocol\":{\"version\":\"5\",\"extra\":[1,{}],\"deltaProtocol\":"
                + "{\"writerFeatures\":[\"w\"],\"minWriterVersion\":7,\"minReaderVersion\":\"3\","
                + "\"readerFeatures\":[\"deletionVectors\"],\"new\":true}}}");
    assertThat(p).isEqualTo(new DeltaProtocol(3, 7, List.of("deletionVectors"), List.of("w"), 5L));
    ResponseAction f =
        WireJson.readAction(
            "{\"file\":{\"deltaSingleAction\":{\"remove\":{\"size\":\"10\",\"path\":\"u\","
                + "\"deletionVector\":{\"cardinality\":2,\"sizeInBytes\":34,\"storageType\":\"p\","
                + "\"pathOrInlineDv\":\"v\",\"offset\":1},\"future\":{}}},"
                + "\"expirationTimestamp\":6,\"timestamp\":5,\"version\":4,\"id\":\"f\","
                + "\"deletionVectorFileId\":\"d\"}}");
    assertThat(f)
        .isEqualTo(
            new DeltaFileAction(
                DeltaFileAction.Kind.REMOVE,
                "f",
                "d",
                4L,
                5L,
                6L,
                "u",
                Map.of(),
                10,
                null,
                null,
                null,
                null,
                new DeletionVector("p", "v", 1, 34, 2, null),
                null,
                null,
                null,
                null));
    ResponseAction m =
        WireJson.readAction(
            "{\"metaData\":{\"size\":1,\"deltaMetadata\":{\"schemaString\":\"{}\",\"id\":\"i\"},"
                + "\"numFiles\":\"2\"}}");
    assertThat(m)
        .isEqualTo(new DeltaMetadata("i", null, null, null, "{}", null, null, null, null, 1L, 2L));
  }

  @Test
  void parquetLinesStillReadAsParquet() {
    assertThat(WireJson.readAction("{\"protocol\":{\"minReaderVersion\":1}}"))
        .isEqualTo(new Protocol(1));
    assertThat(WireJson.readAction("{\"metaData\":{\"id\":\"i\",\"schemaString\":\"{}\"}}"))
        .isInstanceOf(Metadata.class);
    assertThat(
            WireJson.readAction(
                "{\"file\":{\"url\":\"u\",\"id\":\"i\",\"partitionValues\":{},\"size\":1}}"))
        .isInstanceOf(FileAction.class);
  }

  @Test
  void missingRequiredFieldsAreNamed() {
    assertThatThrownBy(
            () ->
                WireJson.readAction("{\"protocol\":{\"deltaProtocol\":{\"minReaderVersion\":3}}}"))
        .hasMessageContaining("minWriterVersion");
    assertThatThrownBy(
            () -> WireJson.readAction("{\"metaData\":{\"deltaMetadata\":{\"id\":\"i\"}}}"))
        .hasMessageContaining("schemaString");
    assertThatThrownBy(
            () ->
                WireJson.readAction(
                    "{\"file\":{\"id\":\"f\",\"deltaSingleAction\":{\"add\":{\"path\":\"u\"}}}}"))
        .hasMessageContaining("size")
        .hasMessageContaining("add");
    assertThatThrownBy(
            () -> WireJson.readAction("{\"file\":{\"id\":\"f\",\"deltaSingleAction\":{}}}"))
        .hasMessageContaining("none of add, remove and cdc");
    assertThatThrownBy(
            () ->
                WireJson.readAction(
                    "{\"file\":{\"deltaSingleAction\":{\"cdc\":{\"path\":\"u\",\"size\":1}}}}"))
        .hasMessageContaining("id");
    assertThatThrownBy(
            () ->
                WireJson.readAction(
                    "{\"file\":{\"id\":\"f\",\"deltaSingleAction\":{\"add\":{\"path\":\"u\","
                        + "\"size\":1},\"cdc\":{\"path\":\"u\",\"size\":1}}}}"))
        .hasMessageContaining("more than one");
    assertThatThrownBy(
            () ->
                WireJson.readAction(
                    "{\"file\":{\"id\":\"f\",\"deltaSingleAction\":{\"add\":{\"path\":\"u\","
                        + "\"size\":1,\"deletionVector\":{\"storageType\":\"p\"}}}}}"))
        .hasMessageContaining("pathOrInlineDv");
  }
}
