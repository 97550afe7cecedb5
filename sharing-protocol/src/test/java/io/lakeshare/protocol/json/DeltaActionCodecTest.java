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

  // Bits of fileLine's mask: one per optional part of a delta file line.
  private static final int DV_FILE_ID = 1;
  private static final int VERSION = 1 << 1;
  private static final int TIMESTAMP = 1 << 2;
  private static final int EXPIRATION = 1 << 3;
  private static final int STATS = 1 << 4;
  private static final int TAGS = 1 << 5;
  private static final int DELETION_VECTOR = 1 << 6;
  private static final int BASE_ROW_ID = 1 << 7;
  private static final int ROW_COMMIT_VERSION = 1 << 8;
  private static final int NO_DATA_CHANGE = 1 << 9;
  private static final int DELETION_TIMESTAMP = 1 << 10;
  private static final int EXTENDED_METADATA = 1 << 11;
  private static final int PARTITIONED = 1 << 12;
  private static final int WRAPPER_BITS = DV_FILE_ID | VERSION | TIMESTAMP | EXPIRATION;

  /** The optional parts each kind writes; the others are not on the wire for that kind. */
  private static int optionalParts(DeltaFileAction.Kind kind) {
    return switch (kind) {
      case ADD -> (1 << 13) - 1 & ~DELETION_TIMESTAMP & ~EXTENDED_METADATA;
      case REMOVE -> (1 << 13) - 1;
      case CDC -> WRAPPER_BITS | TAGS | NO_DATA_CHANGE | PARTITIONED;
    };
  }

  private static Long when(int mask, int bit, long value) {
    return (mask & bit) != 0 ? value : null;
  }

  private static DeltaFileAction fileLine(DeltaFileAction.Kind kind, int mask, DeletionVector dv) {
    Map<String, String> pv = new LinkedHashMap<>();
    if ((mask & PARTITIONED) != 0) {
      pv.put("b", "2024-01-01");
      pv.put("a", null);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("ZORDER_BY", "x");
    tags.put("INSERTION_TIME", "1700000000000000");
    return new DeltaFileAction(
        kind,
        "id-" + mask,
        (mask & DV_FILE_ID) != 0 ? "dv-" + mask : null,
        when(mask, VERSION, 12),
        when(mask, TIMESTAMP, 1700000000000L),
        when(mask, EXPIRATION, 1700000360000L),
        "https://h/t/part-" + mask + ".parquet?X-Sig=a%2Fb",
        pv,
        4096 + mask,
        kind == DeltaFileAction.Kind.ADD ? 1699999999999L : null,
        (mask & NO_DATA_CHANGE) == 0,
        (mask & STATS) != 0 ? "{\"numRecords\":10,\"tightBounds\":false}" : null,
        (mask & TAGS) != 0 ? tags : null,
        (mask & DELETION_VECTOR) != 0 ? dv : null,
        when(mask, BASE_ROW_ID, 100),
        when(mask, ROW_COMMIT_VERSION, 11),
        when(mask, DELETION_TIMESTAMP, 1700000000999L),
        (mask & EXTENDED_METADATA) != 0 ? Boolean.TRUE : null);
  }

  @Test
  void everyOptionalFieldCombinationOfFileLinesRoundTrips() {
    List<DeletionVector> vectors =
        List.of(
            new DeletionVector("p", "https://h/dv.bin?sig=1", 1, 34, 2, null),
            new DeletionVector("u", "ab^-aqEH.-t@S}K{vb[*k^", 5, 36, 3, 99L),
            new DeletionVector(
                "i", "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", null, 40, 6, null),
            new DeletionVector(
                "i", "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", null, 40, 6, 8L));
    int checked = 0;
    for (DeltaFileAction.Kind kind : DeltaFileAction.Kind.values()) {
      int allowed = optionalParts(kind);
      for (int mask = 0; mask < 1 << 13; mask++) {
        if ((mask & ~allowed) != 0) {
          continue;
        }
        for (DeletionVector dv : (mask & DELETION_VECTOR) != 0 ? vectors : vectors.subList(0, 1)) {
          DeltaFileAction f = fileLine(kind, mask, dv);
          String line = text(f);
          assertThat(WireJson.readAction(line)).as(line).isEqualTo(f);
          checked++;
        }
      }
    }
    // add: 11 optional parts, remove: 13, cdc: 7; each line with a vector in 4 variants
    assertThat(checked).isEqualTo((1 << 11) + (1 << 10) * 3 + (1 << 13) + (1 << 12) * 3 + (1 << 7));
  }

  @Test
  void everyOptionalFieldCombinationOfProtocolAndMetadataLinesRoundTrips() {
    List<List<String>> features = java.util.Arrays.asList(null, List.of(), List.of("a", "b"));
    int checked = 0;
    for (List<String> reader : features) {
      for (List<String> writer : features) {
        for (Long version : java.util.Arrays.asList(null, 0L, 7L)) {
          DeltaProtocol p = new DeltaProtocol(3, 7, reader, writer, version);
          assertThat(WireJson.readAction(text(p))).as(text(p)).isEqualTo(p);
          checked++;
        }
      }
    }
    for (int mask = 0; mask < 1 << 9; mask++) {
      DeltaMetadata m =
          new DeltaMetadata(
              "id",
              (mask & 1) != 0 ? "name" : null,
              (mask & 2) != 0 ? "desc \u00e9\n\"q\"" : null,
              (mask & 4) != 0 ? new Format("parquet", Map.of("k", "v", "a", "b")) : null,
              "{\"type\":\"struct\",\"fields\":[]}",
              (mask & 8) != 0 ? List.of("b", "a") : null,
              (mask & 16) != 0 ? Map.of("delta.columnMapping.mode", "name", "a", "1") : null,
              when(mask, 32, 1600000000000L),
              when(mask, 64, 3),
              when(mask, 128, 123456789),
              when(mask, 256, 42));
      assertThat(WireJson.readAction(text(m))).as(text(m)).isEqualTo(m);
      checked++;
    }
    assertThat(checked).isEqualTo(27 + 512);
  }

  @Test
  void goldenRemoveAndCdcLines() {
    DeltaFileAction remove =
        new DeltaFileAction(
            DeltaFileAction.Kind.REMOVE,
            "r1",
            null,
            4L,
            1700000000000L,
            null,
            "https://h/r.parquet",
            Map.of("p", "1"),
            10,
            null,
            null,
            "{\"numRecords\":1}",
            null,
            null,
            null,
            null,
            1700000000123L,
            true);
    assertThat(text(remove))
        .isEqualTo(
            "{\"file\":{\"id\":\"r1\",\"version\":4,\"timestamp\":1700000000000,"
                + "\"deltaSingleAction\":{\"remove\":{\"path\":\"https://h/r.parquet\","
                + "\"partitionValues\":{\"p\":\"1\"},\"size\":10,"
                + "\"deletionTimestamp\":1700000000123,\"dataChange\":true,"
                + "\"extendedFileMetadata\":true,\"stats\":\"{\\\"numRecords\\\":1}\"}}}}");
    DeltaFileAction cdc =
        new DeltaFileAction(
            DeltaFileAction.Kind.CDC,
            "c1",
            null,
            5L,
            1700000000000L,
            1700000360000L,
            "https://h/_change_data/c.parquet",
            null,
            20,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThat(text(cdc))
        .isEqualTo(
            "{\"file\":{\"id\":\"c1\",\"version\":5,\"timestamp\":1700000000000,"
                + "\"expirationTimestamp\":1700000360000,\"deltaSingleAction\":{\"cdc\":"
                + "{\"path\":\"https://h/_change_data/c.parquet\",\"partitionValues\":{},"
                + "\"size\":20,\"dataChange\":false}}}}");
  }

  @Test
  void equalRecordsGiveIdenticalBytesWhateverTheMapOrder() {
    Map<String, String> forward = new LinkedHashMap<>();
    Map<String, String> backward = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      forward.put("k" + i, "v" + i);
      backward.put("k" + (19 - i), "v" + (19 - i));
    }
    DeltaMetadata a =
        new DeltaMetadata("id", null, null, null, "{}", null, forward, null, null, null, null);
    DeltaMetadata b =
        new DeltaMetadata("id", null, null, null, "{}", null, backward, null, null, null, null);
    assertThat(text(a)).isEqualTo(text(b)).contains("\"configuration\":{\"k0\":\"v0\",\"k1\":");
    assertThat(text(fileLine(DeltaFileAction.Kind.ADD, TAGS, null)))
        .contains("\"tags\":{\"INSERTION_TIME\":\"1700000000000000\",\"ZORDER_BY\":\"x\"}");
  }

  @Test
  void lenientReadsOfMetadataFileAndDeletionVectorFields() {
    ResponseAction m =
        WireJson.readAction(
            "{\"metaData\":{\"numFiles\":2,\"version\":\"7\",\"future\":{\"x\":[1]},"
                + "\"deltaMetadata\":{\"createdTime\":\"1600000000000\",\"configuration\":"
                + "{\"b\":\"2\",\"a\":\"1\"},\"partitionColumns\":[\"p\"],\"unknown\":null,"
                + "\"format\":{\"options\":{},\"provider\":\"parquet\",\"x\":1},"
                + "\"schemaString\":\"{}\",\"id\":\"i\",\"name\":\"n\"},\"size\":\"10\"}}");
    assertThat(m)
        .isEqualTo(
            new DeltaMetadata(
                "i",
                "n",
                null,
                Format.PARQUET,
                "{}",
                List.of("p"),
                Map.of("a", "1", "b", "2"),
                1600000000000L,
                7L,
                10L,
                2L));
    ResponseAction f =
        WireJson.readAction(
            "{\"file\":{\"future\":[],\"id\":\"f\",\"deltaSingleAction\":{\"commitInfo\":{},"
                + "\"add\":{\"dataChange\":\"false\",\"modificationTime\":\"5\","
                + "\"partitionValues\":{\"x\":null,\"y\":1},\"size\":7.0,\"path\":\"u\","
                + "\"baseRowId\":\"9\",\"defaultRowCommitVersion\":\"8\",\"clusteringProvider\":\"z\","
                + "\"deletionVector\":{\"maxRowIndex\":\"12\",\"cardinality\":\"3\","
                + "\"sizeInBytes\":\"40\",\"offset\":\"4\",\"pathOrInlineDv\":\"v\","
                + "\"storageType\":\"p\",\"extra\":true}}},\"timestamp\":\"6\"}}");
    Map<String, String> pv = new LinkedHashMap<>();
    pv.put("x", null);
    pv.put("y", "1");
    assertThat(f)
        .isEqualTo(
            new DeltaFileAction(
                DeltaFileAction.Kind.ADD,
                "f",
                null,
                null,
                6L,
                null,
                "u",
                pv,
                7,
                5L,
                false,
                null,
                null,
                new DeletionVector("p", "v", 4, 40, 3, 12L),
                9L,
                8L,
                null,
                null));
    // partitionValues may be left out: no partitions
    assertThat(
            WireJson.readAction(
                "{\"file\":{\"deltaSingleAction\":{\"cdc\":{\"path\":\"u\",\"size\":1}},"
                    + "\"id\":\"c\"}}"))
        .isInstanceOfSatisfying(
            DeltaFileAction.class,
            c -> {
              assertThat(c.kind()).isEqualTo(DeltaFileAction.Kind.CDC);
              assertThat(c.partitionValues()).isEmpty();
              assertThat(c.dataChange()).isNull();
            });
  }

  @Test
  void missingFieldMessagesNameTheFieldAndTheLineKind() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(
        "{\"protocol\":{\"version\":1,\"deltaProtocol\":{\"minWriterVersion\":7}}}",
        "Missing required field minReaderVersion of protocol.deltaProtocol");
    cases.put(
        "{\"metaData\":{\"deltaMetadata\":{\"schemaString\":\"{}\"}}}",
        "Missing required field id of metaData.deltaMetadata");
    cases.put(
        "{\"metaData\":{\"deltaMetadata\":{\"id\":\"i\",\"schemaString\":null}}}",
        "Missing required field schemaString of metaData.deltaMetadata");
    cases.put(
        "{\"file\":{\"id\":\"f\",\"deltaSingleAction\":{\"add\":{\"size\":1}}}}",
        "Missing required field path of file.deltaSingleAction.add");
    cases.put(
        "{\"file\":{\"id\":\"f\",\"deltaSingleAction\":{\"remove\":{\"path\":\"u\"}}}}",
        "Missing required field size of file.deltaSingleAction.remove");
    cases.put(
        "{\"file\":{\"deltaSingleAction\":{\"cdc\":{\"path\":\"u\",\"size\":1}}}}",
        "Missing required field id of file");
    cases.put(
        "{\"file\":{\"id\":\"f\",\"deltaSingleAction\":{\"commitInfo\":{}}}}",
        "file.deltaSingleAction holds none of add, remove and cdc");
    cases.put(
        "{\"file\":{\"id\":\"f\",\"deltaSingleAction\":{\"remove\":{\"path\":\"u\","
            + "\"size\":1,\"deletionVector\":{\"storageType\":\"p\",\"pathOrInlineDv\":\"v\","
            + "\"sizeInBytes\":1}}}}}",
        "Missing required field cardinality of file.deltaSingleAction.remove.deletionVector");
    cases.put(
        "{\"file\":{\"id\":\"f\",\"deltaSingleAction\":{\"add\":{\"path\":\"u\","
            + "\"size\":\"big\"}}}}",
        "Not a numeric value: big");
    cases.forEach(
        (line, message) ->
            assertThatThrownBy(() -> WireJson.readAction(line))
                .as(line)
                .isInstanceOf(WireFormatException.class)
                .hasMessage(message));
  }

  @Test
  void parquetLinesReadExactlyAsBefore() {
    assertThat(WireJson.readAction("{\"protocol\":{\"minReaderVersion\":1,\"other\":{}}}"))
        .isEqualTo(new Protocol(1));
    assertThat(
            WireJson.readAction(
                "{\"metaData\":{\"id\":\"i\",\"format\":{\"provider\":\"parquet\"},"
                    + "\"schemaString\":\"{}\",\"partitionColumns\":[],\"configuration\":"
                    + "{\"enableChangeDataFeed\":\"true\"},\"version\":3}}"))
        .isEqualTo(
            new Metadata(
                "i",
                null,
                null,
                Format.PARQUET,
                "{}",
                List.of(),
                Map.of("enableChangeDataFeed", "true"),
                3L,
                null,
                null));
    // only a file wrapper can hold deltaSingleAction: on a parquet change line it is skipped
    assertThat(
            WireJson.readAction(
                "{\"add\":{\"url\":\"u\",\"id\":\"i\",\"partitionValues\":{},\"size\":1,"
                    + "\"version\":2,\"timestamp\":3,\"deltaSingleAction\":{\"add\":{}}}}"))
        .isEqualTo(new FileAction(FileAction.Kind.ADD, "u", "i", Map.of(), 1, null, 2L, 3L, null));
    Protocol p = new Protocol(1);
    Metadata m = new Metadata("i", "n", null, null, "{}", null, null, null, null, null);
    FileAction f =
        new FileAction(FileAction.Kind.FILE, "u", "i", Map.of("p", "1"), 5, "{}", null, null, 9L);
    assertThat(text(p)).isEqualTo("{\"protocol\":{\"minReaderVersion\":1}}");
    assertThat(text(m))
        .isEqualTo(
            "{\"metaData\":{\"id\":\"i\",\"name\":\"n\",\"format\":{\"provider\":\"parquet\"},"
                + "\"schemaString\":\"{}\",\"partitionColumns\":[],\"configuration\":{}}}");
    for (ResponseAction a : List.of(p, m, f)) {
      assertThat(WireJson.readAction(text(a))).isEqualTo(a);
    }
  }
}
