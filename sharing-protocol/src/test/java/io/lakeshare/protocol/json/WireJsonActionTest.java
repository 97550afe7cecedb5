package io.lakeshare.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Format;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.ResponseAction;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireJsonActionTest {

  private static String text(ResponseAction a) {
    return new String(WireJson.actionBytes(a), StandardCharsets.UTF_8);
  }

  private static Metadata fullMetadata(Map<String, String> configuration) {
    return new Metadata(
        "tbl-id",
        "orders",
        "all orders",
        new Format("parquet", Map.of("b", "2", "a", "1")),
        "{\"type\":\"struct\",\"fields\":[]}",
        List.of("date", "region"),
        configuration,
        7L,
        1234L,
        3L);
  }

  @Test
  void protocolLineHasExactShape() {
    assertThat(text(new Protocol(1))).isEqualTo("{\"protocol\":{\"minReaderVersion\":1}}");
  }

  @Test
  void metadataLineHasFixedKeyOrderAndSortedMaps() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("z", "last");
    conf.put("enableChangeDataFeed", "true");
    assertThat(text(fullMetadata(conf)))
        .isEqualTo(
            "{\"metaData\":{\"id\":\"tbl-id\",\"name\":\"orders\",\"description\":\"all orders\","
                + "\"format\":{\"provider\":\"parquet\",\"options\":{\"a\":\"1\",\"b\":\"2\"}},"
                + "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","
                + "\"partitionColumns\":[\"date\",\"region\"],"
                + "\"configuration\":{\"enableChangeDataFeed\":\"true\",\"z\":\"last\"},"
                + "\"version\":7,\"size\":1234,\"numFiles\":3}}");
  }

  @Test
  void equalMetadataWithDifferentMapInsertionOrderGivesIdenticalBytes() {
    Map<String, String> one = new LinkedHashMap<>();
    one.put("a", "1");
    one.put("b", "2");
    Map<String, String> two = new LinkedHashMap<>();
    two.put("b", "2");
    two.put("a", "1");
    assertThat(fullMetadata(one)).isEqualTo(fullMetadata(two));
    assertThat(WireJson.actionBytes(fullMetadata(one)))
        .isEqualTo(WireJson.actionBytes(fullMetadata(two)));
  }

  @Test
  void minimalMetadataOmitsOptionalFieldsButKeepsRequiredOnes() {
    Metadata m = new Metadata("id1", null, null, null, "{}", null, null, null, null, null);
    assertThat(text(m))
        .isEqualTo(
            "{\"metaData\":{\"id\":\"id1\",\"format\":{\"provider\":\"parquet\"},"
                + "\"schemaString\":\"{}\",\"partitionColumns\":[],\"configuration\":{}}}");
    assertThat(text(m)).doesNotContain("null");
  }

  @Test
  void fileLineAlwaysWritesPartitionValuesAndNullValuesAsJsonNull() {
    Map<String, String> pv = new LinkedHashMap<>();
    pv.put("date", "2021-04-28");
    pv.put("region", null);
    FileAction f =
        new FileAction(FileAction.Kind.FILE, "https://x/y", "abc", pv, 573, null, null, null, null);
    assertThat(text(f))
        .isEqualTo(
            "{\"file\":{\"url\":\"https://x/y\",\"id\":\"abc\","
                + "\"partitionValues\":{\"date\":\"2021-04-28\",\"region\":null},\"size\":573}}");
    FileAction unpartitioned =
        new FileAction(FileAction.Kind.FILE, "u", "i", null, 1, null, null, null, null);
    assertThat(text(unpartitioned)).contains("\"partitionValues\":{}");
  }

  @Test
  void fileKindsUseTheirWrapperKeys() {
    for (FileAction.Kind kind : FileAction.Kind.values()) {
      FileAction f = new FileAction(kind, "u", "i", Map.of(), 1, null, 2L, 3L, 4L);
      assertThat(text(f))
          .isEqualTo(
              "{\""
                  + kind.wireName()
                  + "\":{\"url\":\"u\",\"id\":\"i\",\"partitionValues\":{},\"size\":1,"
                  + "\"version\":2,\"timestamp\":3,\"expirationTimestamp\":4}}");
      assertThat(WireJson.readAction(text(f))).isEqualTo(f);
    }
  }

  @Test
  void endStreamActionWritesOnlyPresentFields() {
    assertThat(text(new EndStreamAction(null, "tok", 1652140800000L, null, null)))
        .isEqualTo(
            "{\"endStreamAction\":{\"nextPageToken\":\"tok\","
                + "\"minUrlExpirationTimestamp\":1652140800000}}");
    assertThat(text(new EndStreamAction(null, null, null, null, null)))
        .isEqualTo("{\"endStreamAction\":{}}");
  }

  @Test
  void everyActionRoundTrips() {
    Map<String, String> pv = new LinkedHashMap<>();
    pv.put("p", null);
    pv.put("q", "\u00e9\n\"x\"");
    List<ResponseAction> actions =
        List.of(
            new Protocol(1),
            fullMetadata(Map.of("k", "v")),
            new Metadata("id", null, null, null, "{}", null, null, null, null, null),
            new FileAction(
                FileAction.Kind.FILE, "u", "i", pv, 10, "{\"numRecords\":1}", 1L, 2L, 3L),
            new FileAction(FileAction.Kind.ADD, "u", "i", Map.of(), 10, null, 1L, 2L, null),
            new FileAction(FileAction.Kind.CDF, "u", "i", Map.of(), 10, null, 1L, 2L, null),
            new FileAction(FileAction.Kind.REMOVE, "u", "i", Map.of(), 10, null, 1L, 2L, null),
            new EndStreamAction("r", "n", 5L, "boom", 503),
            new EndStreamAction(null, null, null, null, null));
    for (ResponseAction a : actions) {
      ResponseAction back = WireJson.readAction(text(a));
      assertThat(back).isEqualTo(a);
      assertThat(WireJson.actionBytes(back)).isEqualTo(WireJson.actionBytes(a));
    }
  }

  @Test
  void changeLinesHaveTheShapesOfSection33() {
    FileAction add =
        new FileAction(
            FileAction.Kind.ADD, "u", "i", Map.of("p", "1"), 10, "{\"numRecords\":2}", 4L, 5L, 6L);
    assertThat(text(add))
        .isEqualTo(
            "{\"add\":{\"url\":\"u\",\"id\":\"i\",\"partitionValues\":{\"p\":\"1\"},"
                + "\"size\":10,\"stats\":\"{\\\"numRecords\\\":2}\",\"version\":4,"
                + "\"timestamp\":5,\"expirationTimestamp\":6}}");
    // cdf and remove lines have no stats, even when the model holds some.
    for (FileAction.Kind kind : List.of(FileAction.Kind.CDF, FileAction.Kind.REMOVE)) {
      FileAction f = new FileAction(kind, "u", "i", Map.of(), 10, "{}", 4L, 5L, null);
      assertThat(text(f))
          .isEqualTo(
              "{\""
                  + kind.wireName()
                  + "\":{\"url\":\"u\",\"id\":\"i\",\"partitionValues\":{},\"size\":10,"
                  + "\"version\":4,\"timestamp\":5}}");
    }
  }

  @Test
  void changeLinesWithoutVersionOrTimestampAreRejected() {
    assertThatThrownBy(
            () ->
                WireJson.readAction(
                    "{\"cdf\":{\"url\":\"u\",\"id\":\"i\",\"partitionValues\":{},"
                        + "\"size\":1,\"timestamp\":5}}"))
        .hasMessageContaining("Missing required field version of cdf");
    assertThatThrownBy(
            () ->
                WireJson.readAction(
                    "{\"remove\":{\"url\":\"u\",\"id\":\"i\",\"partitionValues\":{},"
                        + "\"size\":1,\"version\":5}}"))
        .hasMessageContaining("Missing required field timestamp of remove");
    FileAction file =
        (FileAction)
            WireJson.readAction(
                "{\"file\":{\"url\":\"u\",\"id\":\"i\",\"partitionValues\":{},\"size\":1}}");
    assertThat(file.version()).isNull();
  }

  @Test
  void writeActionIntoCallerGeneratorWritesNoNewline() throws Exception {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      WireJson.writeAction(new Protocol(1), g);
    }
    assertThat(out.toString()).isEqualTo("{\"protocol\":{\"minReaderVersion\":1}}");
  }

  @Test
  void severalActionsOnOneGeneratorMakeExactNdjsonWithoutRootSeparator() throws Exception {
    StringWriter out = new StringWriter();
    JsonFactory factory = new JsonFactoryBuilder().rootValueSeparator((String) null).build();
    try (JsonGenerator g = factory.createGenerator(out)) {
      for (ResponseAction a :
          List.of(new Protocol(1), new EndStreamAction(null, null, null, null, null))) {
        WireJson.writeAction(a, g);
        g.writeRaw('\n');
      }
    }
    assertThat(out.toString())
        .isEqualTo("{\"protocol\":{\"minReaderVersion\":1}}\n{\"endStreamAction\":{}}\n");
  }

  @Test
  void readToleratesUnknownFieldsAndNumericStrings() {
    ResponseAction a =
        WireJson.readAction(
            "{\"add\":{\"url\":\"u\",\"extra\":{\"deep\":[1,{\"x\":2}]},\"id\":\"i\","
                + "\"partitionValues\":{},\"size\":\"573\",\"version\":\"3\","
                + "\"timestamp\":1.0E3,\"unknown\":null}}");
    assertThat(a)
        .isEqualTo(
            new FileAction(FileAction.Kind.ADD, "u", "i", Map.of(), 573, null, 3L, 1000L, null));

    Metadata m =
        (Metadata)
            WireJson.readAction(
                "{\"metaData\":{\"location\":\"s3://b/t\",\"id\":\"x\",\"schemaString\":\"{}\","
                    + "\"accessModes\":[\"url\"],\"version\":\"12\",\"size\":\"99\"}}");
    assertThat(m.version()).isEqualTo(12L);
    assertThat(m.size()).isEqualTo(99L);
    assertThat(m.format()).isEqualTo(Format.PARQUET);
  }

  @Test
  void unknownWrapperKeysAndBlankLinesReadAsNull() {
    assertThat(WireJson.readAction("{\"queryStatus\":{\"queryId\":\"q1\"}}")).isNull();
    assertThat(WireJson.readAction("{}")).isNull();
    assertThat(WireJson.readAction("   ")).isNull();
  }

  @Test
  void unknownWrapperKeyNextToAKnownOneIsIgnored() {
    assertThat(WireJson.readAction("{\"x\":1,\"protocol\":{\"minReaderVersion\":1}}"))
        .isEqualTo(new Protocol(1));
  }

  @Test
  void malformedLinesThrowWireFormatException() {
    assertThatThrownBy(() -> WireJson.readAction("{\"protocol\":"))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Action line is not valid JSON");
    assertThatThrownBy(() -> WireJson.readAction("[1,2]"))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("Expected a JSON object");
    assertThatThrownBy(() -> WireJson.readAction("{\"file\":{\"url\":\"u\",\"size\":1}}"))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Missing required field id of file");
    assertThatThrownBy(() -> WireJson.readAction("{\"file\":{\"url\":\"u\",\"id\":\"i\"}}"))
        .hasMessage("Missing required field size of file");
    assertThatThrownBy(() -> WireJson.readAction("{\"protocol\":{\"minReaderVersion\":\"one\"}}"))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Not a numeric value: one");
    assertThatThrownBy(
            () ->
                WireJson.readAction(
                    "{\"protocol\":{\"minReaderVersion\":1},\"endStreamAction\":{}}"))
        .hasMessage("An action line holds more than one action");
    assertThatThrownBy(() -> WireJson.readAction("{\"protocol\":{\"minReaderVersion\":1}} x"))
        .isInstanceOf(WireFormatException.class);
  }

  @Test
  void deltaFormatProtocolLineIsReportedClearly() {
    assertThatThrownBy(
            () ->
                WireJson.readAction("{\"protocol\":{\"deltaProtocol\":{\"minReaderVersion\":3}}}"))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("minWriterVersion")
        .hasMessageContaining("deltaProtocol");
  }
}
