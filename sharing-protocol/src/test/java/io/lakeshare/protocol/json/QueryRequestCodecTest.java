package io.lakeshare.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.model.QueryTableRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryRequestCodecTest {

  private static QueryTableRequest read(String body) {
    return WireJson.readQueryRequest(
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static QueryTableRequest full() {
    return QueryTableRequest.builder()
        .predicateHints(List.of("date = '2021-01-01'", "x > 1"))
        .jsonPredicateHints("{\"op\":\"column\",\"name\":\"b\",\"valueType\":\"bool\"}")
        .limitHint(1000L)
        .version(3L)
        .timestamp("2022-01-01T00:00:00Z")
        .startingVersion(1L)
        .endingVersion(9L)
        .includeHistoricalProtocol(true)
        .idempotencyKey("key-1")
        .maxFiles(50)
        .pageToken("tok")
        .includeRefreshToken(false)
        .refreshToken("rt")
        .build();
  }

  @Test
  void emptyAndWhitespaceBodiesAreEmptyRequests() {
    assertThat(read("")).isSameAs(QueryTableRequest.EMPTY);
    assertThat(read(" \n\t ")).isSameAs(QueryTableRequest.EMPTY);
    assertThat(read("{}")).isEqualTo(QueryTableRequest.EMPTY);
  }

  @Test
  void everyFieldRoundTripsInCamelCase() {
    byte[] bytes = WireJson.writeQueryRequest(full());
    String json = new String(bytes, StandardCharsets.UTF_8);
    assertThat(json)
        .startsWith("{\"predicateHints\":[\"date = '2021-01-01'\",\"x > 1\"],")
        .contains("\"maxFiles\":50", "\"idempotencyKey\":\"key-1\"", "\"version\":3")
        .doesNotContain("_");
    assertThat(read(json)).isEqualTo(full());
  }

  @Test
  void unsetFieldsAreOmitted() {
    String json =
        new String(
            WireJson.writeQueryRequest(QueryTableRequest.builder().version(5L).build()),
            StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"version\":5}");
    assertThat(
            new String(WireJson.writeQueryRequest(QueryTableRequest.EMPTY), StandardCharsets.UTF_8))
        .isEqualTo("{}");
  }

  @Test
  void snakeCaseNamesAndNumericStringsAreAccepted() {
    QueryTableRequest r =
        read(
            "{\"predicate_hints\":[\"date = '2021-01-01'\",\"x > 1\"],"
                + "\"json_predicate_hints\":\"{\\\"op\\\":\\\"column\\\",\\\"name\\\":\\\"b\\\","
                + "\\\"valueType\\\":\\\"bool\\\"}\","
                + "\"limit_hint\":\"1000\",\"version\":\"3\","
                + "\"timestamp\":\"2022-01-01T00:00:00Z\","
                + "\"starting_version\":\"1\",\"ending_version\":9,"
                + "\"include_historical_protocol\":true,\"idempotency_key\":\"key-1\","
                + "\"max_files\":\"50\",\"page_token\":\"tok\",\"include_refresh_token\":false,"
                + "\"refresh_token\":\"rt\"}");
    assertThat(r).isEqualTo(full());
  }

  @Test
  void unknownFieldsAreIgnoredIncludingNestedOnes() {
    QueryTableRequest r =
        read(
            "{\"requestedColumns\":[\"a\"],\"queryDeltaLog\":true,"
                + "\"nested\":{\"version\":99,\"x\":[{\"y\":1}]},\"version\":2,"
                + "\"includeHistoricalMetadata\":true}");
    assertThat(r).isEqualTo(QueryTableRequest.builder().version(2L).build());
  }

  @Test
  void jsonPredicateHintsAsObjectIsKeptAsCompactText() {
    QueryTableRequest r =
        read(
            "{\"jsonPredicateHints\": {\"op\": \"equal\", \"children\": [\n"
                + "  {\"op\":\"column\",\"name\":\"a\",\"valueType\":\"int\"},"
                + "  {\"op\":\"literal\",\"value\":\"1\",\"valueType\":\"int\"}]}}");
    assertThat(r.jsonPredicateHints())
        .isEqualTo(
            "{\"op\":\"equal\",\"children\":[{\"op\":\"column\",\"name\":\"a\","
                + "\"valueType\":\"int\"},{\"op\":\"literal\",\"value\":\"1\","
                + "\"valueType\":\"int\"}]}");
  }

  @Test
  void nullFieldsCountAsAbsent() {
    assertThat(read("{\"version\":null,\"predicateHints\":null,\"maxFiles\":null}"))
        .isEqualTo(QueryTableRequest.EMPTY);
  }

  @Test
  void wrongTypesGiveReferenceLikeMessages() {
    assertThatThrownBy(() -> read("{\"predicateHints\": {}}"))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Expected an array for repeated field predicateHints of QueryTableRequest");
    assertThatThrownBy(() -> read("{\"version\": \"x3\"}"))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Not a numeric value: x3");
    assertThatThrownBy(() -> read("{\"maxFiles\": 3000000000}"))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Not an int32 value: 3000000000");
    assertThatThrownBy(() -> read("{\"max_files\": \"3000000000\"}"))
        .hasMessage("Not an int32 value: 3000000000");
    assertThatThrownBy(() -> read("{\"version\": 99999999999999999999}"))
        .hasMessage("Not an int64 value: 99999999999999999999");
    assertThatThrownBy(() -> read("{\"version\": 1.5}")).hasMessage("Not an int64 value: 1.5");
    assertThatThrownBy(() -> read("{\"includeRefreshToken\": 1}"))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Not a boolean value for field includeRefreshToken of QueryTableRequest: 1");
    assertThatThrownBy(() -> read("{\"include_historical_protocol\": \"yes\"}"))
        .hasMessage(
            "Not a boolean value for field includeHistoricalProtocol of QueryTableRequest:"
                + " \"yes\"");
    assertThatThrownBy(() -> read("{\"predicateHints\": [null]}"))
        .hasMessageContaining("cannot be null");
    assertThatThrownBy(() -> read("{\"timestamp\": {}}"))
        .hasMessage("Expected a string for field timestamp of QueryTableRequest, got an object");
  }

  @Test
  void stringBooleansAreAccepted() {
    assertThat(read("{\"includeRefreshToken\":\"true\"}").includeRefreshToken()).isTrue();
  }

  @Test
  void nonObjectBodiesAreRejected() {
    assertThatThrownBy(() -> read("not json"))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Request body is not a JSON object: ");
    assertThatThrownBy(() -> read("[1]"))
        .hasMessage("Request body is not a JSON object: found an array");
    assertThatThrownBy(() -> read("\"s\""))
        .hasMessage("Request body is not a JSON object: found a string");
    assertThatThrownBy(() -> read("{\"version\":1"))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Request body is not a JSON object: ");
    assertThatThrownBy(() -> read("{} {}"))
        .hasMessage("Request body has content after the JSON object");
  }
}
