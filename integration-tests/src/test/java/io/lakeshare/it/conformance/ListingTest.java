package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.model.Page;
import io.lakeshare.protocol.model.Schema;
import io.lakeshare.protocol.model.Share;
import io.lakeshare.protocol.model.Table;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CONFORMANCE §8.2: listing shares, schemas and tables (cases 6-23). */
class ListingTest {
  private static TestServer server;
  private static DeltaSharingClient client;

  @BeforeAll
  static void start() {
    server = TestServer.get();
    client = server.client();
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  @Test
  void listSharesInConfigOrderWithoutToken() {
    Page<Share> p = client.listShares(null, null);
    assertThat(p.items()).extracting(Share::name).containsExactly("s1", "s2", "s3");
    assertThat(p.nextPageToken()).isNull();
    assertThat(server.raw().get("/shares").body()).doesNotContain("nextPageToken");
  }

  @Test
  void maxResultsOnePagesThroughEveryShareOnce() {
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Page<Share> p = client.listShares(1, token);
      assertThat(p.items()).hasSize(1);
      seen.add(p.items().get(0).name());
      token = p.nextPageToken();
      pages++;
    } while (token != null && pages < 10);
    assertThat(seen).containsExactly("s1", "s2", "s3");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void emptyShareListIsEmpty() {
    Page<Schema> p = client.listSchemas("s3", null, null);
    assertThat(p.items()).isEmpty();
    assertThat(p.nextPageToken()).isNull();
  }

  @Test
  void maxResultsZeroReturnsNoItems() {
    RawHttp.Answer a = server.raw().get("/shares?maxResults=0");
    assertThat(a.status()).isEqualTo(200);
    Page<Share> p = client.listShares(0, null);
    assertThat(p.items()).isEmpty();
    assertThat(client.listAllShares()).extracting(Share::name).containsExactly("s1", "s2", "s3");
  }

  @Test
  void negativeMaxResultsIs400() {
    Envelope.assertError(
        server.raw().get("/shares?maxResults=-1"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Acceptable values of 'maxResults' are 0 to 500");
  }

  @Test
  void maxResultsAbove500IsClamped() {
    RawHttp.Answer a = server.raw().get("/shares?maxResults=501");
    assertThat(a.status()).isEqualTo(200);
    assertThat(client.listShares(501, null).items()).hasSize(3);
  }

  @Test
  void nonNumericMaxResultsIs400() {
    Envelope.assertError(
        server.raw().get("/shares?maxResults=abc"),
        400,
        "INVALID_PARAMETER_VALUE",
        "expected a number");
  }

  @Test
  void garbagePageTokenIs400() {
    Envelope.assertError(
        server.raw().get("/shares?pageToken=garbage!!"),
        400,
        "INVALID_PARAMETER_VALUE",
        "invalid 'nextPageToken'");
  }

  @Test
  void forgedPageTokenIs400() {
    String token = client.listShares(1, null).nextPageToken();
    char last = token.charAt(token.length() - 1);
    String forged = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    Envelope.assertError(
        server.raw().get("/shares?pageToken=" + forged),
        400,
        "INVALID_PARAMETER_VALUE",
        "invalid 'nextPageToken'");
  }

  @Test
  void tokensAreUrlSafe() {
    String token = client.listShares(1, null).nextPageToken();
    assertThat(token).matches("[A-Za-z0-9_=-]+");
  }

  @Test
  void shareTokenReplayedOnSchemasIs400() {
    String token = client.listShares(1, null).nextPageToken();
    Envelope.assertError(
        server.raw().get("/shares/s1/schemas?pageToken=" + token),
        400,
        "INVALID_PARAMETER_VALUE",
        "invalid 'nextPageToken'");
  }

  @Test
  void schemaTokenOfOneShareReplayedOnAnotherIs400() {
    String token = client.listSchemas("s1", 1, null).nextPageToken();
    assertThat(token).isNotNull();
    Envelope.assertError(
        server.raw().get("/shares/s2/schemas?pageToken=" + token),
        400,
        "INVALID_PARAMETER_VALUE",
        "invalid 'nextPageToken'");
  }

  @Test
  void getShareIsCaseInsensitiveAndCanonical() {
    RawHttp.Answer a = server.raw().get("/shares/S1");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo("{\"share\":{\"name\":\"s1\"}}");
    assertThat(client.getShare("S1").name()).isEqualTo("s1");
  }

  @Test
  void unknownShareSchemaAndTableAre404() {
    Envelope.assertError(
        server.raw().get("/shares/nope"), 404, "RESOURCE_DOES_NOT_EXIST", "share 'nope' not found");
    Envelope.assertError(
        server.raw().get("/shares/nope/schemas"),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "share 'nope' not found");
    Envelope.assertError(
        server.raw().get("/shares/s1/schemas/nope/tables"),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "schema 'nope' not found");
    Envelope.assertError(
        server.raw().get("/shares/nope/all-tables"),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "share 'nope' not found");
  }

  @Test
  void listTablesPagesOneByOneWithIdsAndCanonicalNames() {
    List<Table> all = client.listAllTablesInSchema("S1", "DEFAULT");
    List<Table> paged = new ArrayList<>();
    String token = null;
    do {
      Page<Table> p = client.listTables("s1", "default", 1, token);
      paged.addAll(p.items());
      token = p.nextPageToken();
    } while (token != null);
    assertThat(paged).isEqualTo(all);
    assertThat(all).hasSizeGreaterThanOrEqualTo(10);
    assertThat(all)
        .allSatisfy(
            t -> {
              assertThat(t.share()).isEqualTo("s1");
              assertThat(t.schema()).isEqualTo("default");
              assertThat(t.id()).isNotBlank();
            });
    assertThat(all).extracting(Table::name).startsWith("t_plain", "t_part", "t_hist");
  }

  @Test
  void allTablesWalksSchemasInOrder() {
    List<Table> tables = client.listAllTablesInShare("s2");
    assertThat(tables)
        .extracting(Table::schema, Table::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sc_a", "a1"),
            org.assertj.core.groups.Tuple.tuple("sc_b", "b1"));
    Page<Table> first = client.listAllTables("s2", 1, null);
    assertThat(first.items()).extracting(Table::name).containsExactly("a1");
    Page<Table> second = client.listAllTables("s2", 1, first.nextPageToken());
    assertThat(second.items()).extracting(Table::name).containsExactly("b1");
    assertThat(second.nextPageToken()).isNull();
  }

  @Test
  void schemasOfAShare() {
    assertThat(client.listAllSchemas("s2"))
        .extracting(Schema::name, Schema::share)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sc_a", "s2"),
            org.assertj.core.groups.Tuple.tuple("sc_b", "s2"));
  }
}
