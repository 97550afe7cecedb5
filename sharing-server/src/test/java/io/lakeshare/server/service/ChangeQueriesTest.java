package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.Table;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.lakeshare.protocol.model.Capabilities;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.server.catalog.SharedCatalog;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.config.ServerConfig;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.storage.LocalFileSigner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change queries (E8 mode c) and the change data feed (E9) over hand-written Delta logs, so that
 * every per-version rule, check and page boundary is exercised with known commits and times.
 */
class ChangeQueriesTest {
  @TempDir static Path dir;
  private static TableService service;

  /**
   * t_main: v0 CREATE (CDF on); v1 WRITE a0,a1; v2 UPDATE remove a0 + add b0 + cdc c2; v3 MERGE
   * matching nothing (remove a1 + add b1, metrics 0); v4 OPTIMIZE (dataChange false); v5 ALTER (new
   * schema); v6 DELETE remove b0 (no cdc).
   */
  @BeforeAll
  static void setUp() throws IOException {
    new SyntheticLog(dir.resolve("t_main"))
        .create(true)
        .commit(SyntheticLog.adds("a", 2))
        .commit(
            SyntheticLog.commitInfo("UPDATE", null),
            SyntheticLog.remove("a-0.parquet", true),
            SyntheticLog.add("b0.parquet", true),
            SyntheticLog.cdc("c2.parquet"))
        .commit(
            SyntheticLog.commitInfo(
                "MERGE",
                "{\"numTargetRowsInserted\":\"0\",\"numTargetRowsUpdated\":\"0\","
                    + "\"numTargetRowsDeleted\":\"0\"}"),
            SyntheticLog.remove("a-1.parquet", true),
            SyntheticLog.add("b1.parquet", true))
        .commit(
            SyntheticLog.commitInfo("OPTIMIZE", null),
            SyntheticLog.remove("b1.parquet", false),
            SyntheticLog.add("opt.parquet", false))
        .commit(SyntheticLog.commitInfo("SET TBLPROPERTIES", null), meta(SyntheticLog.SCHEMA2))
        .commit(SyntheticLog.commitInfo("DELETE", null), SyntheticLog.remove("b0.parquet", true));
    // v1 turns CDF off, v2 writes.
    new SyntheticLog(dir.resolve("t_cdf_off"))
        .create(true)
        .commit(
            SyntheticLog.commitInfo("SET TBLPROPERTIES", null),
            SyntheticLog.metadata(SyntheticLog.SCHEMA, false))
        .commit(SyntheticLog.adds("x", 1));
    // v1 raises the reader version to 2; v2 writes.
    new SyntheticLog(dir.resolve("t_proto"))
        .create(true)
        .commit("{\"protocol\":{\"minReaderVersion\":2,\"minWriterVersion\":5}}")
        .commit(SyntheticLog.adds("x", 1));
    // v1 deletion vectors declared; v2 an add with a deletion vector.
    new SyntheticLog(dir.resolve("t_dv"))
        .create(true)
        .commit(
            "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                + "\"readerFeatures\":[\"deletionVectors\"],"
                + "\"writerFeatures\":[\"deletionVectors\"]}}")
        .commit(SyntheticLog.commitInfo("DELETE", null), SyntheticLog.addWithDeletionVector("d"));
    // 2500 files in one commit (more than a commit's buffer), then 1500 one-file commits.
    SyntheticLog big = new SyntheticLog(dir.resolve("t_big")).create(true);
    big.commit(SyntheticLog.adds("big", 2500));
    for (int i = 0; i < 1500; i++) {
      big.commit(SyntheticLog.adds("v" + i, 1));
    }
    // v1-v5 one file each, v6 2500 files (more than a commit's buffer), v7-v9 one file each: the
    // first page's walk keeps v1-v5 and the page reads v6 on from the log
    SyntheticLog mixed = new SyntheticLog(dir.resolve("t_mixed")).create(true);
    for (int i = 1; i <= 9; i++) {
      mixed.commit(SyntheticLog.adds("m" + i, i == 6 ? 2500 : 1));
    }
    // v1 and v2 written, a checkpoint at v2 (so the table still loads), then v1's commit lost.
    SyntheticLog lost =
        new SyntheticLog(dir.resolve("t_lost"))
            .create(true)
            .commit(SyntheticLog.adds("x", 1))
            .commit(SyntheticLog.adds("y", 1));
    Engine engine = DefaultEngine.create(new Configuration());
    Table.forPath(engine, lost.root().toString()).checkpoint(engine, 2);
    Files.delete(lost.root().resolve("_delta_log").resolve(String.format("%020d.json", 1)));

    StringBuilder yaml = new StringBuilder("version: 1\nshares:\n- name: s\n  schemas:\n");
    yaml.append("  - name: d\n    tables:\n");
    for (String t :
        List.of("t_main", "t_cdf_off", "t_proto", "t_dv", "t_big", "t_mixed", "t_lost")) {
      table(yaml, t, t, true, 0);
    }
    table(yaml, "t_private", "t_main", false, 0);
    table(yaml, "t_sv2", "t_main", true, 2);
    ServerConfig config = ConfigLoader.parse(yaml.toString(), "changes-test.yaml");
    byte[] key = new byte[32];
    service =
        SharingServices.create(
                config,
                new SharedCatalog(config),
                new DeltaTables(),
                (table, location) ->
                    new LocalFileSigner(
                        key,
                        Path.of(URI.create(location)),
                        "http://127.0.0.1:1/delta-sharing",
                        Duration.ofMinutes(5),
                        Clock.systemUTC()),
                key,
                Clock.systemUTC())
            .tables();
  }

  private static String meta(String schema) {
    return SyntheticLog.metadata(schema, true);
  }

  private static void table(StringBuilder y, String name, String dirName, boolean hist, long sv) {
    y.append("    - name: ").append(name).append('\n');
    y.append("      location: \"").append(dir.resolve(dirName).toUri()).append("\"\n");
    y.append("      id: id-").append(name).append('\n');
    y.append("      historyShared: ").append(hist).append('\n');
    if (sv > 0) {
      y.append("      startVersion: ").append(sv).append('\n');
    }
  }

  private static List<ResponseAction> lines(StreamedAnswer a) throws IOException {
    List<ResponseAction> out = new ArrayList<>();
    a.writeTo(out::add);
    return out;
  }

  private static StreamedAnswer cdf(String table, ChangesParams p) {
    return service.changes("s", "d", table, p, Capabilities.parse(null), null);
  }

  private static ChangesParams range(String start, String end) {
    return new ChangesParams(start, null, end, null, null, null, null);
  }

  private static StreamedAnswer query(String table, QueryTableRequest r) {
    return service.query("s", "d", table, r, Capabilities.parse(null), null);
  }

  /** "kind:file@version" for each file line; "meta@version" for metadata lines after line 2. */
  private static List<String> describe(List<ResponseAction> lines) {
    List<String> out = new ArrayList<>();
    for (ResponseAction a : lines.subList(2, lines.size())) {
      if (a instanceof FileAction f) {
        String path = f.url().contains("?") ? f.url().substring(0, f.url().indexOf('?')) : f.url();
        String name = path.substring(path.lastIndexOf('/') + 1);
        out.add(f.kind().wireName() + ":" + name + "@" + f.version());
        assertThat(f.timestamp()).isEqualTo(SyntheticLog.T0 + f.version() * 1000);
        assertThat(f.stats() == null).isEqualTo(f.kind() != FileAction.Kind.ADD);
      } else if (a instanceof Metadata m) {
        out.add("meta@" + m.version());
      }
    }
    return out;
  }

  @Test
  void changeDataFeedFollowsThePerVersionRules() throws IOException {
    StreamedAnswer a = cdf("t_main", range("0", null));
    assertThat(a.tableVersion()).isZero();
    List<ResponseAction> l = lines(a);
    assertThat(l.get(0)).isEqualTo(new Protocol(1));
    // Line 2 is the latest metadata (like the reference), with the latest version.
    assertThat(((Metadata) l.get(1)).version()).isEqualTo(6L);
    assertThat(((Metadata) l.get(1)).schemaString()).contains("\"x\"");
    // v2 has change data: only its cdf file; v3 is an empty MERGE; v4 changes no data.
    assertThat(describe(l))
        .containsExactly(
            "add:a-0.parquet@1", "add:a-1.parquet@1", "cdf:c2.parquet@2", "remove:b0.parquet@6");
  }

  @Test
  void historicalMetadataStartsAtTheStartVersionAndListsLaterChanges() throws IOException {
    List<ResponseAction> l =
        lines(cdf("t_main", new ChangesParams("2", null, "5", null, "TRUE", null, null)));
    Metadata head = (Metadata) l.get(1);
    assertThat(head.version()).isEqualTo(2L);
    assertThat(head.schemaString()).doesNotContain("\"x\"");
    assertThat(head.configuration()).containsEntry("enableChangeDataFeed", "true");
    assertThat(describe(l)).containsExactly("cdf:c2.parquet@2", "meta@5");
  }

  @Test
  void changeQueryListsDataChangesAndMetadataLines() throws IOException {
    StreamedAnswer a = query("t_main", QueryTableRequest.builder().startingVersion(1L).build());
    assertThat(a.tableVersion()).isEqualTo(1L);
    List<ResponseAction> l = lines(a);
    assertThat(((Metadata) l.get(1)).version()).isEqualTo(1L);
    // The empty MERGE is listed here (REF mode c does not skip it); OPTIMIZE is not.
    assertThat(describe(l))
        .containsExactly(
            "add:a-0.parquet@1",
            "add:a-1.parquet@1",
            "remove:a-0.parquet@2",
            "add:b0.parquet@2",
            "remove:a-1.parquet@3",
            "add:b1.parquet@3",
            "meta@5",
            "remove:b0.parquet@6");
  }

  @Test
  void changeQueryOfAMetadataOnlyVersionHasOnlyTheHeaderLines() throws IOException {
    List<ResponseAction> l =
        lines(
            query(
                "t_main",
                QueryTableRequest.builder().startingVersion(5L).endingVersion(5L).build()));
    assertThat(l).hasSize(2);
    assertThat(((Metadata) l.get(1)).version()).isEqualTo(5L);
  }

  @Test
  void endingVersionBeyondLatestIsClampedOnBothEndpoints() throws IOException {
    assertThat(describe(lines(cdf("t_main", range("6", "99")))))
        .containsExactly("remove:b0.parquet@6");
    assertThat(
            describe(
                lines(
                    query(
                        "t_main",
                        QueryTableRequest.builder()
                            .startingVersion(6L)
                            .endingVersion(99L)
                            .build()))))
        .containsExactly("remove:b0.parquet@6");
  }

  @Test
  void pagesConcatenateToTheUnpagedAnswerWithIdenticalHeaders() throws IOException {
    for (int size = 1; size <= 3; size++) {
      int pageSize = size;
      assertPagedEqualsUnpaged(
          token ->
              cdf("t_main", new ChangesParams("0", null, null, null, "true", "" + pageSize, token)),
          cdf("t_main", new ChangesParams("0", null, null, null, "true", null, null)));
      assertPagedEqualsUnpaged(
          token ->
              query(
                  "t_main",
                  QueryTableRequest.builder()
                      .startingVersion(0L)
                      .maxFiles(pageSize)
                      .pageToken(token)
                      .build()),
          query("t_main", QueryTableRequest.builder().startingVersion(0L).build()));
    }
  }

  @Test
  void bigCommitsAndManyVersionsPageCorrectly() throws IOException {
    List<ResponseAction> all = lines(cdf("t_big", range("1", null)));
    assertThat(describe(all)).hasSize(2500 + 1500);
    assertPagedEqualsUnpaged(
        token -> cdf("t_big", new ChangesParams("1", null, null, null, null, "1000", token)),
        cdf("t_big", range("1", null)));
  }

  @Test
  void firstPagesWrittenFromTheWalkedCommitsContinueFromTheLog() throws IOException {
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      for (int j = 0; j < (i == 6 ? 2500 : 1); j++) {
        expected.add("add:m" + i + "-" + j + ".parquet@" + i);
      }
    }
    for (String start : List.of("1", "3")) {
      List<String> from = expected.subList(Integer.parseInt(start) == 1 ? 0 : 2, expected.size());
      assertThat(describe(lines(cdf("t_mixed", range(start, null))))).isEqualTo(from);
      assertThat(
              describe(
                  lines(
                      query(
                          "t_mixed",
                          QueryTableRequest.builder()
                              .startingVersion(Long.parseLong(start))
                              .build()))))
          .isEqualTo(from);
      // first pages that end inside the kept commits, at their end, and just after
      for (int n : new int[] {1, 2, 3, 6}) {
        List<ResponseAction> page =
            lines(cdf("t_mixed", new ChangesParams(start, null, null, null, null, "" + n, null)));
        assertThat(describe(page.subList(0, page.size() - 1))).isEqualTo(from.subList(0, n));
        assertThat(((EndStreamAction) page.get(page.size() - 1)).nextPageToken()).isNotNull();
      }
      for (String pageSize : List.of("1000", "2504", "3000")) {
        assertPagedEqualsUnpaged(
            token ->
                cdf("t_mixed", new ChangesParams(start, null, null, null, null, pageSize, token)),
            cdf("t_mixed", range(start, null)));
      }
    }
  }

  private static void assertPagedEqualsUnpaged(
      Function<String, StreamedAnswer> page, StreamedAnswer whole) throws IOException {
    List<ResponseAction> expected = lines(whole);
    List<String> paged = new ArrayList<>();
    List<ResponseAction> firstHeader = null;
    String token = null;
    int pages = 0;
    do {
      StreamedAnswer a = page.apply(token);
      assertThat(a.tableVersion()).isEqualTo(whole.tableVersion());
      List<ResponseAction> l = lines(a);
      if (firstHeader == null) {
        firstHeader = l.subList(0, 2);
      }
      assertThat(l.subList(0, 2)).isEqualTo(firstHeader);
      EndStreamAction end = (EndStreamAction) l.get(l.size() - 1);
      paged.addAll(describe(l.subList(0, l.size() - 1)));
      token = end.nextPageToken();
      pages++;
      assertThat(pages).isLessThan(10_000);
    } while (token != null);
    assertThat(firstHeader).isEqualTo(expected.subList(0, 2));
    assertThat(paged).isEqualTo(describe(expected));
  }

  @Test
  void timestampsRoundUpForTheStartAndDownForTheEnd() throws IOException {
    // v2 at T0+2s, v5 at T0+5s: a start just after v1 resolves to v2, an end just before v6 to v5.
    StreamedAnswer a =
        cdf(
            "t_main",
            new ChangesParams(
                null,
                iso(SyntheticLog.T0 + 1001),
                null,
                iso(SyntheticLog.T0 + 5999),
                null,
                null,
                null));
    assertThat(a.tableVersion()).isEqualTo(2L);
    assertThat(describe(lines(a))).containsExactly("cdf:c2.parquet@2");
    // Exactly on a commit time: that version, on both ends.
    StreamedAnswer b =
        cdf(
            "t_main",
            new ChangesParams(
                null,
                iso(SyntheticLog.T0 + 1000),
                null,
                iso(SyntheticLog.T0 + 1000),
                null,
                null,
                null));
    assertThat(b.tableVersion()).isEqualTo(1L);
    assertThat(describe(lines(b))).containsExactly("add:a-0.parquet@1", "add:a-1.parquet@1");
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  @Test
  void timestampsOutsideTheHistoryAreRefusedNamingTheTimestamp() {
    assertCdfFails(
        new ChangesParams(null, "2000-01-01T00:00:00-08:00", null, null, null, null, null),
        400,
        "before the earliest",
        "2000-01-01T00:00:00-08:00");
    assertCdfFails(
        new ChangesParams(null, "9999-01-01T00:00:00-08:00", null, null, null, null, null),
        400,
        "after the latest",
        "9999-01-01T00:00:00-08:00");
    assertCdfFails(
        new ChangesParams("0", null, null, "9999-01-01T00:00:00Z", null, null, null),
        400,
        "after the latest",
        "endingTimestamp=9999");
    assertCdfFails(
        new ChangesParams(null, "2022-04-29", null, null, null, null, null),
        400,
        "Invalid startingTimestamp");
    // Both ends between v1 and v2: start rounds up to 2, end down to 1.
    assertCdfFails(
        new ChangesParams(
            null, iso(SyntheticLog.T0 + 1500), null, iso(SyntheticLog.T0 + 1600), null, null, null),
        400,
        "CDF range from start 2 to end 1 was invalid");
  }

  @Test
  void parameterErrorsFollowTheReferenceOrder() {
    assertCdfFails(
        new ChangesParams("0", null, null, null, null, "0", null),
        400,
        "maxFiles must be positive.");
    assertCdfFails(
        new ChangesParams("0", null, null, null, null, "x", null), 400, "expected a number");
    assertThatThrownBy(() -> cdf("t_nope", range("0", null)))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> cdf("t_private", range("0", null)))
        .hasMessage("cdf is not enabled on table s.d.t_private");
    assertCdfFails(
        new ChangesParams("1", "2022-02-02T00:00:00Z", null, null, null, null, null),
        400,
        "Multiple starting arguments");
    assertCdfFails(
        new ChangesParams("1", null, "3", "x", null, null, null), 400, "Multiple ending arguments");
    assertCdfFails(range(null, null), 400, "No startingVersion or startingTimestamp provided");
    assertCdfFails(range("abc", null), 400, "startingVersion is not a valid number.");
    assertCdfFails(
        range("7", null),
        400,
        "Provided Start version(7) for reading change data is"
            + " invalid. Start version cannot be greater than the latest version of the table(6).");
    assertCdfFails(
        range("2", "1"),
        400,
        "CDF range from start 2 to end 1 was invalid. End cannot be before start.");
    assertCdfFails(range("-1", null), 400, "You can only query table changes since version 0.");
    assertThatThrownBy(() -> cdf("t_sv2", range("1", null)))
        .hasMessageContaining("You can only query table changes since version 2.");
  }

  private static void assertCdfFails(ChangesParams p, int status, String... fragments) {
    assertThatThrownBy(() -> cdf("t_main", p))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              for (String f : fragments) {
                assertThat(e.getMessage()).contains(f);
              }
            });
  }

  @Test
  void changeDataSwitchedOffInsideTheRangeIsRefusedNamingTheVersion() throws IOException {
    assertThatThrownBy(() -> cdf("t_cdf_off", range("0", "2")))
        .hasMessageStartingWith(
            "Error getting change data for range [0, 2] as change data was not recorded for"
                + " version [1]");
    assertThatThrownBy(() -> cdf("t_cdf_off", range("2", null)))
        .hasMessageContaining("not recorded for version [2]");
    assertThat(describe(lines(cdf("t_cdf_off", range("0", "0"))))).isEmpty();
    // Change queries (E8) do not need change data.
    assertThat(
            describe(
                lines(query("t_cdf_off", QueryTableRequest.builder().startingVersion(0L).build()))))
        .containsExactly("meta@1", "add:x-0.parquet@2");
  }

  @Test
  void readerProtocolUpgradeInsideTheRangeIsUnsupported() throws IOException {
    assertThatThrownBy(
            () -> query("t_proto", QueryTableRequest.builder().startingVersion(0L).build()))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("UNSUPPORTED_OPERATION");
              assertThat(e.getMessage()).contains("Delta protocol version (2,5)", "at version 1");
            });
    assertThat(
            describe(
                lines(query("t_proto", QueryTableRequest.builder().startingVersion(1L).build()))))
        .containsExactly("add:x-0.parquet@2");
  }

  @Test
  void deletionVectorsInTheAnsweredFilesAreUnsupported() throws IOException {
    assertThatThrownBy(() -> cdf("t_dv", range("0", null)))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("UNSUPPORTED_OPERATION");
              assertThat(e.getMessage())
                  .contains("deletion vectors", "version 2", "deletionvectors");
            });
    assertThat(describe(lines(cdf("t_dv", range("0", "1"))))).isEmpty();
  }

  @Test
  void missingCommitFilesAreAClearBadRequest() {
    assertThatThrownBy(() -> cdf("t_lost", range("0", null)))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains("history of versions 0 to 2 is not available");
              assertThat(e.getMessage()).doesNotContain(dir.toString());
            });
  }

  @Test
  void pageTokensAreBoundToTheirQuery() throws IOException {
    List<ResponseAction> first =
        lines(cdf("t_main", new ChangesParams("0", null, null, null, null, "1", null)));
    String token = ((EndStreamAction) first.get(first.size() - 1)).nextPageToken();
    assertThat(token).isNotNull().matches("[A-Za-z0-9_=-]+");
    assertThatThrownBy(
            () -> cdf("t_main", new ChangesParams("1", null, null, null, null, "1", token)))
        .hasMessageStartingWith("Query parameter mismatch");
    assertThatThrownBy(
            () ->
                query(
                    "t_main",
                    QueryTableRequest.builder()
                        .startingVersion(0L)
                        .maxFiles(1)
                        .pageToken(token)
                        .build()))
        .hasMessageStartingWith("Query parameter mismatch");
    List<ResponseAction> snapshot =
        lines(query("t_big", QueryTableRequest.builder().maxFiles(1).build()));
    String snapshotToken = ((EndStreamAction) snapshot.get(snapshot.size() - 1)).nextPageToken();
    assertThat(snapshotToken).isNotNull();
    assertThatThrownBy(
            () -> cdf("t_big", new ChangesParams("0", null, null, null, null, "1", snapshotToken)))
        .hasMessageStartingWith("Error decoding the page token");
    assertThatThrownBy(
            () -> cdf("t_big", new ChangesParams("0", null, null, null, null, "1", token)))
        .hasMessageStartingWith("The table specified in the page token does not match");
  }
}
