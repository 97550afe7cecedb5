package io.lakeshare.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.model.ErrorResponse;
import io.lakeshare.protocol.model.Page;
import io.lakeshare.protocol.model.Schema;
import io.lakeshare.protocol.model.Share;
import io.lakeshare.protocol.model.Table;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListCodecTest {

  private static InputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void sharesPageRoundTripsAndOmitsAbsentFields() {
    Page<Share> page = new Page<>(List.of(new Share("s1", "id-1"), new Share("s2", null)), "t1");
    String json = text(WireJson.writeSharesPage(page));
    assertThat(json)
        .isEqualTo(
            "{\"items\":[{\"name\":\"s1\",\"id\":\"id-1\"},{\"name\":\"s2\"}],"
                + "\"nextPageToken\":\"t1\"}");
    assertThat(WireJson.readSharesPage(in(json))).isEqualTo(page);
  }

  @Test
  void emptyPageWritesEmptyItemsAndNoToken() {
    assertThat(text(WireJson.writeSchemasPage(new Page<>(List.of(), null))))
        .isEqualTo("{\"items\":[]}");
  }

  @Test
  void missingItemsAndEmptyTokenMeanNothingMore() {
    Page<Share> p = WireJson.readSharesPage(in("{}"));
    assertThat(p.items()).isEmpty();
    assertThat(p.nextPageToken()).isNull();
    Page<Schema> s = WireJson.readSchemasPage(in("{\"nextPageToken\":\"\",\"items\":null}"));
    assertThat(s.items()).isEmpty();
    assertThat(s.hasMore()).isFalse();
  }

  @Test
  void schemasPageRoundTripsAndIgnoresUnknownFields() {
    Page<Schema> page = new Page<>(List.of(new Schema("sc", "sh")), null);
    assertThat(text(WireJson.writeSchemasPage(page)))
        .isEqualTo("{\"items\":[{\"name\":\"sc\",\"share\":\"sh\"}]}");
    assertThat(
            WireJson.readSchemasPage(
                in(
                    "{\"x\":[1],\"items\":[{\"comment\":{\"a\":1},\"name\":\"sc\","
                        + "\"share\":\"sh\"}]}")))
        .isEqualTo(page);
  }

  @Test
  void tablesPageWritesEveryPresentFieldInOrder() {
    Table full =
        new Table(
            "t",
            "sc",
            "sh",
            "shid",
            "tid",
            "s3://b/t",
            List.of("s3://b/aux"),
            List.of("url", "dir"));
    Table minimal = new Table("t2", "sc", "sh", null);
    Page<Table> page = new Page<>(List.of(full, minimal), "next");
    String json = text(WireJson.writeTablesPage(page));
    assertThat(json)
        .isEqualTo(
            "{\"items\":[{\"name\":\"t\",\"schema\":\"sc\",\"share\":\"sh\",\"shareId\":\"shid\","
                + "\"id\":\"tid\",\"location\":\"s3://b/t\","
                + "\"auxiliaryLocations\":[\"s3://b/aux\"],"
                + "\"accessModes\":[\"url\",\"dir\"]},"
                + "{\"name\":\"t2\",\"schema\":\"sc\",\"share\":\"sh\"}],"
                + "\"nextPageToken\":\"next\"}");
    assertThat(WireJson.readTablesPage(in(json))).isEqualTo(page);
  }

  @Test
  void tableWithoutRequiredFieldIsRejected() {
    assertThatThrownBy(
            () -> WireJson.readTablesPage(in("{\"items\":[{\"name\":\"t\",\"share\":\"s\"}]}")))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("Missing required field schema of table");
  }

  @Test
  void shareResponseRoundTrips() {
    Share s = new Share("sh", "uuid");
    String json = text(WireJson.writeShareResponse(s));
    assertThat(json).isEqualTo("{\"share\":{\"name\":\"sh\",\"id\":\"uuid\"}}");
    assertThat(WireJson.readShareResponse(in(json))).isEqualTo(s);
    assertThat(WireJson.readShareResponse(in("{\"share\":{\"name\":\"x\",\"comment\":\"c\"}}")))
        .isEqualTo(new Share("x", null));
    assertThatThrownBy(() -> WireJson.readShareResponse(in("{}")))
        .isInstanceOf(WireFormatException.class);
  }

  @Test
  void brokenPagesAreRejected() {
    assertThatThrownBy(() -> WireJson.readSharesPage(in("<html>")))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Answer is not valid JSON");
    assertThatThrownBy(() -> WireJson.readSharesPage(in("[]")))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> WireJson.readSharesPage(in("{\"items\":{}}")))
        .hasMessage("Expected an array for items of a shares page");
  }

  @Test
  void errorEnvelopeRoundTrips() {
    ErrorResponse e =
        new ErrorResponse(ErrorResponse.RESOURCE_DOES_NOT_EXIST, "share 'x' not found");
    byte[] bytes = WireJson.writeError(e);
    assertThat(text(bytes))
        .isEqualTo(
            "{\"errorCode\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"share 'x' not found\"}");
    assertThat(WireJson.readError(bytes)).isEqualTo(e);
  }

  @Test
  void nonEnvelopeBodiesReadAsNull() {
    assertThat(WireJson.readError(null)).isNull();
    assertThat(WireJson.readError(new byte[0])).isNull();
    assertThat(WireJson.readError("401 Unauthorized".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(WireJson.readError("{\"foo\":1}".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(WireJson.readError("[1]".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(
            WireJson.readError(
                "{\"message\":\"only text\",\"x\":{}}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new ErrorResponse("", "only text"));
  }
}
