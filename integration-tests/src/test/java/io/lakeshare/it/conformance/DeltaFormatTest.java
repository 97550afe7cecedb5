package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.fixtures.OracleFile;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * CONFORMANCE §2.2, §2.3, §3.4 and §8.7: the delta response format on every endpoint, checked
 * against the tables' own logs: deletion-vector descriptors rewritten to signed URLs of the vector
 * files, column-mapping tables with physical names, format negotiation and refusals.
 */
class DeltaFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CAPS = "delta-sharing-capabilities";
  private static final String DELTA_ALL =
      "responseformat=delta;readerfeatures=deletionvectors,columnmapping";
  private static final String BOTH_ALL =
      "responseformat=parquet,delta;readerfeatures=deletionvectors,columnmapping";
  private final TestServer server = TestServer.get();

  private static FixtureTable fixture(String name) {
    return FixtureTables.get().table(name);
  }

  private static List<JsonNode> lines(RawHttp.Answer a) throws Exception {
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    for (String l : a.lines()) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  private static List<JsonNode> files(List<JsonNode> lines) {
    return lines.stream().filter(n -> n.has("file")).map(n -> n.get("file")).toList();
  }

  /** The Delta action inside a delta-format file line. */
  private static JsonNode action(JsonNode file) {
    JsonNode single = file.get("deltaSingleAction");
    assertThat(single.size()).isEqualTo(1);
    return single.elements().next();
  }

  private static String kind(JsonNode file) {
    return file.get("deltaSingleAction").fieldNames().next();
  }

  @Test
  void readerVersionOneTableInDeltaFormat() throws Exception {
    // case 90
    FixtureTable t = fixture(FixtureTables.T_PART);
    RawHttp.Answer a = server.raw().query("t_part", "{}", CAPS, "responseformat=delta");
    assertThat(a.header(CAPS)).isEqualTo("responseformat=delta");
    assertThat(a.header("Delta-Table-Version")).isEqualTo(Long.toString(t.latestVersion()));
    List<JsonNode> lines = lines(a);
    JsonNode protocol = lines.get(0).get("protocol").get("deltaProtocol");
    assertThat(protocol.get("minReaderVersion").asInt()).isEqualTo(t.minReaderVersion());
    JsonNode md = lines.get(1).get("metaData");
    JsonNode deltaMd = md.get("deltaMetadata");
    assertThat(deltaMd.get("partitionColumns").get(0).asText()).isEqualTo("date");
    assertThat(deltaMd.get("format").get("provider").asText()).isEqualTo("parquet");
    assertThat(deltaMd.get("format").has("options")).isTrue();
    assertThat(deltaMd.has("createdTime")).isTrue();
    List<OracleFile> oracle = t.activeFiles(t.latestVersion());
    assertThat(md.get("numFiles").asLong()).isEqualTo(oracle.size());
    assertThat(md.get("size").asLong())
        .isEqualTo(oracle.stream().mapToLong(OracleFile::size).sum());
    List<JsonNode> files = files(lines);
    assertThat(files).hasSize(oracle.size());
    Map<Long, OracleFile> bySize = new HashMap<>();
    for (JsonNode f : files) {
      assertThat(kind(f)).isEqualTo("add");
      assertThat(f.get("id").asText()).matches("[0-9a-f]{64}");
      JsonNode add = action(f);
      assertThat(add.get("dataChange").asBoolean()).isTrue();
      assertThat(add.has("modificationTime")).isTrue();
      assertThat(add.get("stats").asText()).contains("numRecords");
      assertThat(f.get("expirationTimestamp").asLong()).isGreaterThan(System.currentTimeMillis());
      HttpResponse<byte[]> bytes = RawHttp.fetch(add.get("path").asText());
      assertThat(bytes.statusCode()).isEqualTo(200);
      assertThat(bytes.body().length).isEqualTo(add.get("size").asLong());
    }
    Set<Map<String, String>> servedPartitions = new HashSet<>();
    for (JsonNode f : files) {
      Map<String, String> pv = new TreeMap<>();
      action(f)
          .get("partitionValues")
          .fields()
          .forEachRemaining(
              e -> pv.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
      servedPartitions.add(pv);
    }
    Set<Map<String, String>> oraclePartitions = new HashSet<>();
    for (OracleFile f : oracle) {
      oraclePartitions.add(new TreeMap<>(f.partitionValues()));
      bySize.put(f.size(), f);
    }
    assertThat(servedPartitions).isEqualTo(oraclePartitions);
  }

  @Test
  void deletionVectorsPointAtSignedUrlsOfTheVectorFiles() throws Exception {
    // case 92
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    long v = t.latestVersion();
    List<JsonNode> lines =
        lines(
            server
                .raw()
                .query(
                    "t_dv_hist",
                    "{}",
                    CAPS,
                    "responseformat=delta;readerfeatures=deletionvectors;includeendstreamaction=true"));
    Map<String, FixtureTable.OracleDeletionVector> oracle = t.deletionVectors(v);
    assertThat(oracle).hasSize(3);
    List<JsonNode> files = files(lines);
    assertThat(files).hasSize(t.activeFiles(v).size());
    long minExpiry = Long.MAX_VALUE;
    int withDv = 0;
    Set<String> dvFileIds = new HashSet<>();
    for (JsonNode f : files) {
      JsonNode add = action(f);
      minExpiry = Math.min(minExpiry, f.get("expirationTimestamp").asLong());
      if (!add.has("deletionVector")) {
        continue;
      }
      withDv++;
      JsonNode dv = add.get("deletionVector");
      assertThat(dv.get("storageType").asText()).isEqualTo("p");
      String url = dv.get("pathOrInlineDv").asText();
      assertThat(url).startsWith("http").contains("sp=r");
      assertThat(f.get("deletionVectorFileId").asText()).matches("[0-9a-f]{64}");
      dvFileIds.add(f.get("deletionVectorFileId").asText());
      FixtureTable.OracleDeletionVector expected = oracleFor(t, v, add, oracle);
      assertThat(dv.get("offset").asInt()).isEqualTo(expected.offset());
      assertThat(dv.get("sizeInBytes").asInt()).isEqualTo(expected.sizeInBytes());
      assertThat(dv.get("cardinality").asLong()).isEqualTo(expected.cardinality());
      // readers fetch [0, offset + sizeInBytes + 8): version byte, then size, bitmap, checksum
      long end = expected.offset() + expected.sizeInBytes() + 8L;
      HttpResponse<byte[]> ranged = RawHttp.fetch(url, "Range", "bytes=0-" + (end - 1));
      assertThat(ranged.statusCode()).isEqualTo(206);
      byte[] local = Files.readAllBytes(localVectorFile(t, expected));
      assertThat(ranged.body()).isEqualTo(Arrays.copyOf(local, (int) end));
      assertThat(ranged.body()[0]).isEqualTo((byte) 1);
      HttpResponse<byte[]> whole = RawHttp.fetch(url);
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(local);
    }
    assertThat(withDv).isEqualTo(3);
    // v3 stored both of its vectors in one file: their ids say so
    assertThat(dvFileIds).isNotEmpty();
    JsonNode end = lines.get(lines.size() - 1).get("endStreamAction");
    assertThat(end.get("minUrlExpirationTimestamp").asLong()).isEqualTo(minExpiry);
  }

  /** The oracle descriptor of the served add action, matched by the file behind its URL. */
  private static FixtureTable.OracleDeletionVector oracleFor(
      FixtureTable t, long v, JsonNode add, Map<String, FixtureTable.OracleDeletionVector> oracle)
      throws Exception {
    byte[] served = RawHttp.fetch(add.get("path").asText()).body();
    for (OracleFile f : t.activeFiles(v)) {
      if (oracle.containsKey(f.path())
          && Arrays.equals(Files.readAllBytes(t.localPath(f)), served)) {
        return oracle.get(f.path());
      }
    }
    throw new AssertionError("no active file with a deletion vector matches " + add);
  }

  /** The deletion-vector file of a {@code u} descriptor: its random prefix and Z85 UUID. */
  private static Path localVectorFile(FixtureTable t, FixtureTable.OracleDeletionVector dv)
      throws Exception {
    try (var files = Files.walk(t.path())) {
      List<Path> candidates =
          files.filter(p -> p.getFileName().toString().startsWith("deletion_vector_")).toList();
      for (Path p : candidates) {
        byte[] bytes = Files.readAllBytes(p);
        if (bytes.length >= dv.offset() + 4 + dv.sizeInBytes()) {
          int size =
              ((bytes[dv.offset()] & 0xff) << 24)
                  | ((bytes[dv.offset() + 1] & 0xff) << 16)
                  | ((bytes[dv.offset() + 2] & 0xff) << 8)
                  | (bytes[dv.offset() + 3] & 0xff);
          String prefix = dv.pathOrInlineDv().substring(0, dv.pathOrInlineDv().length() - 20);
          boolean inPrefixDir =
              prefix.isEmpty() || p.getParent().getFileName().toString().equals(prefix);
          if (size == dv.sizeInBytes() && inPrefixDir && matchesUuid(p, dv)) {
            return p;
          }
        }
      }
    }
    throw new AssertionError("no deletion vector file for " + dv);
  }

  private static boolean matchesUuid(Path p, FixtureTable.OracleDeletionVector dv) {
    // deletion_vector_<uuid>.bin; the descriptor holds the UUID Z85-encoded, so compare by
    // decoding it the Delta way: 20 Z85 characters are the 16 UUID bytes
    String name = p.getFileName().toString();
    String uuid = name.substring("deletion_vector_".length(), name.length() - ".bin".length());
    String z85 = dv.pathOrInlineDv().substring(dv.pathOrInlineDv().length() - 20);
    return uuid.replace("-", "").equals(Z85.decodeToHex(z85));
  }

  @Test
  void filesWithDeletionVectorsNeedTheDeclaredFeature() {
    // case 91 and §2.3: delta without readerfeatures=deletionvectors is refused too
    Envelope.assertError(
        server.raw().query("t_dv", "{}"), 400, "UNSUPPORTED_OPERATION", "deletion vectors");
    String msg =
        Envelope.assertError(
            server.raw().query("t_dv", "{}", CAPS, "responseformat=delta"),
            400,
            "UNSUPPORTED_OPERATION",
            "deletion vectors");
    assertThat(msg).contains("s1.default.t_dv").contains("readerfeatures=deletionvectors");
  }

  /** Case 93: the property is off again, but files still carry vectors. */
  @Test
  void vectorsLeftAfterThePropertyIsTurnedOffStillNeedTheFeature(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path table = dir.resolve("t_dv_off");
    String ref = "delta.`" + table + "`";
    var spark = io.lakeshare.it.fixtures.SparkFixture.spark();
    spark.sql(
        "CREATE TABLE "
            + ref
            + " (id BIGINT) USING delta TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
    spark.sql("INSERT INTO " + ref + " SELECT /*+ COALESCE(1) */ id FROM range(10)");
    spark.sql("DELETE FROM " + ref + " WHERE id = 4");
    spark.sql(
        "ALTER TABLE " + ref + " SET TBLPROPERTIES ('delta.enableDeletionVectors' = 'false')");
    TestServer s = TestServer.get(new TestServer.Options().table("t_dv_off", table));
    for (String caps : List.of("responseformat=parquet", "responseformat=delta")) {
      Envelope.assertError(
          s.raw().query("t_dv_off", "{}", CAPS, caps), 400, "UNSUPPORTED_OPERATION", "deletion");
    }
    List<JsonNode> ok =
        lines(
            s.raw()
                .query(
                    "t_dv_off", "{}", CAPS, "responseformat=delta;readerfeatures=deletionvectors"));
    assertThat(files(ok)).hasSize(1);
    assertThat(action(files(ok).get(0)).get("deletionVector").get("cardinality").asLong())
        .isEqualTo(1);
  }

  @Test
  void columnMappingNeedsTheDeclaredFeature() {
    Envelope.assertError(
        server.raw().query("t_cm_name", "{}"), 400, "UNSUPPORTED_OPERATION", "column mapping");
    String msg =
        Envelope.assertError(
            server
                .raw()
                .query(
                    "t_cm_name", "{}", CAPS, "responseformat=delta;readerfeatures=deletionvectors"),
            400,
            "UNSUPPORTED_OPERATION",
            "columnmapping");
    assertThat(msg).contains("s1.default.t_cm_name");
    // metadata follows the same rule
    Envelope.assertError(
        server.raw().get(path("t_cm_name", "/metadata"), CAPS, "responseformat=delta"),
        400,
        "UNSUPPORTED_OPERATION",
        "columnmapping");
  }

  @Test
  void bothFormatsAcceptedGiveParquetWherePossibleAndDeltaWhereNeeded() throws Exception {
    RawHttp.Answer plain = server.raw().query("t_plain", "{}", CAPS, BOTH_ALL);
    assertThat(plain.header(CAPS)).isEqualTo("responseformat=parquet");
    assertThat(lines(plain).get(0).get("protocol").has("minReaderVersion")).isTrue();
    for (String table : List.of("t_dv", "t_dv_hist", "t_cm_name", "t_cm_id")) {
      RawHttp.Answer q = server.raw().query(table, "{}", CAPS, BOTH_ALL);
      assertThat(q.header(CAPS)).as(table).isEqualTo("responseformat=delta");
      assertThat(lines(q).get(0).get("protocol").has("deltaProtocol")).as(table).isTrue();
      RawHttp.Answer m = server.raw().get(path(table, "/metadata"), CAPS, BOTH_ALL);
      assertThat(m.header(CAPS)).as(table).isEqualTo("responseformat=delta");
    }
    // the official Python client's auto-detection header
    RawHttp.Answer python =
        server
            .raw()
            .get(
                path("t_cm_id", "/metadata"),
                CAPS,
                "responseformat=delta,parquet;readerfeatures=deletionvectors,columnmapping,timestampntz");
    assertThat(python.header(CAPS)).isEqualTo("responseformat=delta");
    RawHttp.Answer plainMd = server.raw().get(path("t_plain", "/metadata"), CAPS, BOTH_ALL);
    assertThat(plainMd.header(CAPS)).isEqualTo("responseformat=parquet");
  }

  @Test
  void unknownResponseFormatIsRefused() {
    Envelope.assertError(
        server.raw().query("t_plain", "{}", CAPS, "responseformat=arrow"),
        400,
        "INVALID_PARAMETER_VALUE",
        "arrow");
  }

  @Test
  void metadataInDeltaFormatPassesTheLogThrough() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_CM_ID);
    List<JsonNode> lines = lines(server.raw().get(path("t_cm_id", "/metadata"), CAPS, DELTA_ALL));
    assertThat(lines).hasSize(2);
    JsonNode p = lines.get(0).get("protocol").get("deltaProtocol");
    assertThat(p.get("minReaderVersion").asInt()).isEqualTo(3);
    assertThat(p.get("minWriterVersion").asInt()).isEqualTo(7);
    Set<String> readerFeatures = new TreeSet<>();
    p.get("readerFeatures").forEach(n -> readerFeatures.add(n.asText()));
    assertThat(readerFeatures).containsExactlyInAnyOrder("columnMapping", "deletionVectors");
    JsonNode md = lines.get(1).get("metaData").get("deltaMetadata");
    JsonNode logMd = latestMetadataAction(t);
    assertThat(md.get("id").asText()).isEqualTo(logMd.get("id").asText());
    assertThat(JSON.readTree(md.get("schemaString").asText()))
        .isEqualTo(JSON.readTree(logMd.get("schemaString").asText()));
    assertThat(md.get("schemaString").asText()).contains("delta.columnMapping.physicalName");
    assertThat(md.get("configuration").get("delta.columnMapping.mode").asText()).isEqualTo("id");
    assertThat(md.get("configuration").get("delta.enableDeletionVectors").asText())
        .isEqualTo("true");
    assertThat(md.get("createdTime").asLong()).isEqualTo(logMd.get("createdTime").asLong());
    assertThat(lines.get(1).get("metaData").get("numFiles").asLong())
        .isEqualTo(t.activeFiles(t.latestVersion()).size());
  }

  private static JsonNode latestMetadataAction(FixtureTable t) {
    for (long v = t.latestVersion(); v >= 0; v--) {
      for (JsonNode a : t.commitActions(v)) {
        if (a.has("metaData")) {
          return a.get("metaData");
        }
      }
    }
    throw new AssertionError("no metaData action in " + t);
  }

  @Test
  void columnMappingAnswersUsePhysicalNamesAndHintsPruneThroughTheMapping() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_CM_NAME);
    List<JsonNode> all = lines(server.raw().query("t_cm_name", "{}", CAPS, DELTA_ALL));
    String schema = all.get(1).get("metaData").get("deltaMetadata").get("schemaString").asText();
    String regionPhysical = physicalName(schema, "region");
    assertThat(regionPhysical).startsWith("col-");
    List<JsonNode> files = files(all);
    assertThat(files).hasSize(t.activeFiles(t.latestVersion()).size());
    for (JsonNode f : files) {
      assertThat(action(f).get("partitionValues").has(regionPhysical)).isTrue();
      assertThat(action(f).get("partitionValues").has("region")).isFalse();
      String stats = action(f).get("stats").asText();
      assertThat(stats).doesNotContain("\"id\"").contains(physicalName(schema, "id"));
    }
    // a hint on the logical partition column (renamed at v8) prunes by the physical values
    String hint =
        "{\"op\":\"equal\",\"children\":[{\"op\":\"column\",\"name\":\"region\","
            + "\"valueType\":\"string\"},{\"op\":\"literal\",\"value\":\"x\","
            + "\"valueType\":\"string\"}]}";
    List<JsonNode> pruned =
        files(
            lines(
                server
                    .raw()
                    .query(
                        "t_cm_name",
                        "{\"jsonPredicateHints\":" + JSON.writeValueAsString(hint) + "}",
                        CAPS,
                        DELTA_ALL)));
    long expected =
        files.stream()
            .filter(f -> "x".equals(action(f).get("partitionValues").get(regionPhysical).asText()))
            .count();
    assertThat(pruned).hasSize((int) expected).hasSizeLessThan(files.size());
    // a hint on a data column prunes by the physical statistics: ids 1..3 were in v1's files
    String idHint =
        "{\"op\":\"greaterThan\",\"children\":[{\"op\":\"column\",\"name\":\"id\","
            + "\"valueType\":\"long\"},{\"op\":\"literal\",\"value\":\"100\","
            + "\"valueType\":\"long\"}]}";
    List<JsonNode> none =
        files(
            lines(
                server
                    .raw()
                    .query(
                        "t_cm_name",
                        "{\"jsonPredicateHints\":" + JSON.writeValueAsString(idHint) + "}",
                        CAPS,
                        DELTA_ALL)));
    assertThat(none).isEmpty();
  }

  private static String physicalName(String schemaString, String logical) throws Exception {
    for (JsonNode f : JSON.readTree(schemaString).get("fields")) {
      if (f.get("name").asText().equals(logical)) {
        return f.get("metadata").get("delta.columnMapping.physicalName").asText();
      }
    }
    throw new AssertionError("no column " + logical);
  }

  @Test
  void timeTravelFilesCarryVersionAndTimestamp() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    List<JsonNode> lines =
        lines(server.raw().query("t_dv_hist", "{\"version\": 2}", CAPS, DELTA_ALL));
    assertThat(lines.get(1).get("metaData").get("version").asLong()).isEqualTo(2);
    List<JsonNode> files = files(lines);
    assertThat(files).hasSize(t.activeFiles(2).size());
    for (JsonNode f : files) {
      assertThat(f.get("version").asLong()).isEqualTo(2);
      assertThat(f.get("timestamp").asLong()).isEqualTo(t.commitTimestamp(2).toEpochMilli());
    }
    assertThat(files.stream().filter(f -> action(f).has("deletionVector")).count()).isEqualTo(1);
  }

  @Test
  void pagesKeepTheFormatAndRefuseAnotherOne() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    List<JsonNode> first =
        lines(server.raw().query("t_dv_hist", "{\"maxFiles\": 2}", CAPS, BOTH_ALL));
    assertThat(files(first)).hasSize(2);
    String token = first.get(first.size() - 1).get("endStreamAction").get("nextPageToken").asText();
    List<JsonNode> all = new ArrayList<>(files(first));
    String next = token;
    while (next != null) {
      RawHttp.Answer page =
          server
              .raw()
              .query(
                  "t_dv_hist",
                  "{\"maxFiles\": 2, \"pageToken\": \"" + next + "\"}",
                  CAPS,
                  BOTH_ALL);
      List<JsonNode> l = lines(page);
      assertThat(page.header(CAPS)).isEqualTo("responseformat=delta");
      assertThat(l.get(0)).isEqualTo(first.get(0));
      assertThat(l.get(1)).isEqualTo(first.get(1));
      all.addAll(files(l));
      JsonNode end = l.get(l.size() - 1).get("endStreamAction");
      next = end.has("nextPageToken") ? end.get("nextPageToken").asText() : null;
    }
    assertThat(all).hasSize(t.activeFiles(t.latestVersion()).size());
    assertThat(all.stream().map(f -> f.get("id").asText()).distinct().count())
        .isEqualTo(all.size());
    Envelope.assertError(
        server.raw().query("t_dv_hist", "{\"maxFiles\": 2, \"pageToken\": \"" + token + "\"}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "responseformat=delta");
  }

  @Test
  void refreshTokensResignDeletionVectorUrls() throws Exception {
    List<JsonNode> first =
        lines(server.raw().query("t_dv_hist", "{\"includeRefreshToken\": true}", CAPS, DELTA_ALL));
    String refresh =
        first.get(first.size() - 1).get("endStreamAction").get("refreshToken").asText();
    List<JsonNode> again =
        lines(
            server
                .raw()
                .query(
                    "t_dv_hist",
                    "{\"refreshToken\": \"" + refresh + "\", \"includeRefreshToken\": true}",
                    CAPS,
                    DELTA_ALL));
    Map<String, String> before = dvUrlsById(first);
    Map<String, String> after = dvUrlsById(again);
    assertThat(after.keySet()).isEqualTo(before.keySet()).hasSize(3);
    for (String url : after.values()) {
      assertThat(RawHttp.fetch(url).statusCode()).isEqualTo(200);
    }
  }

  private static Map<String, String> dvUrlsById(List<JsonNode> lines) {
    Map<String, String> out = new HashMap<>();
    for (JsonNode f : files(lines)) {
      if (action(f).has("deletionVector")) {
        out.put(
            f.get("id").asText(), action(f).get("deletionVector").get("pathOrInlineDv").asText());
      }
    }
    return out;
  }

  @Test
  void changeQueriesInDeltaFormatPairRemoveAndAddOfAFileWithOneUrl() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    List<JsonNode> lines =
        lines(server.raw().query("t_dv_hist", "{\"startingVersion\": 2}", CAPS, DELTA_ALL));
    assertThat(lines.get(1).get("metaData").get("version").asLong()).isEqualTo(2);
    Map<Long, List<JsonNode>> byVersion = new TreeMap<>();
    for (JsonNode f : files(lines)) {
      byVersion.computeIfAbsent(f.get("version").asLong(), v -> new ArrayList<>()).add(f);
      assertThat(f.get("timestamp").asLong())
          .isEqualTo(t.commitTimestamp(f.get("version").asLong()).toEpochMilli());
    }
    // v2: DELETE id 3 → remove of file A (no vector) and add of A with a vector, same URL
    List<JsonNode> v2 = byVersion.get(2L);
    assertThat(v2).extracting(DeltaFormatTest::kind).containsExactlyInAnyOrder("remove", "add");
    JsonNode remove = v2.stream().filter(f -> kind(f).equals("remove")).findFirst().orElseThrow();
    JsonNode add = v2.stream().filter(f -> kind(f).equals("add")).findFirst().orElseThrow();
    assertThat(action(remove).get("path").asText()).isEqualTo(action(add).get("path").asText());
    assertThat(remove.get("id").asText()).isEqualTo(add.get("id").asText());
    assertThat(action(remove).has("deletionVector")).isFalse();
    assertThat(action(add).get("deletionVector").get("cardinality").asLong()).isEqualTo(1);
    assertThat(action(remove).get("size").asLong()).isEqualTo(action(add).get("size").asLong());
    // v3: file A's vector is replaced (both its actions carry one); file B gets its first
    for (JsonNode f : byVersion.get(3L)) {
      String part = action(f).get("partitionValues").get("part").asText();
      boolean expected = kind(f).equals("add") || part.equals("a");
      assertThat(action(f).has("deletionVector")).as(f.toString()).isEqualTo(expected);
    }
    // the versions answered are the commits' own, as the log lists them
    for (long v : byVersion.keySet()) {
      long logFiles =
          t.commitActions(v).stream()
              .filter(
                  a ->
                      a.has("add") && a.get("add").get("dataChange").asBoolean()
                          || a.has("remove") && a.get("remove").get("dataChange").asBoolean())
              .count();
      assertThat(byVersion.get(v)).as("version " + v).hasSize((int) logFiles);
    }
  }

  @Test
  void changeDataFeedInDeltaFormatStartsFromTheStartVersionsMetadata() throws Exception {
    FixtureTable t = fixture(FixtureTables.T_DV_HIST);
    List<JsonNode> lines =
        lines(
            server
                .raw()
                .get(
                    path("t_dv_hist", "/changes?startingVersion=2&endingVersion=5"),
                    CAPS,
                    "responseformat=delta;readerfeatures=deletionvectors,columnmapping"));
    JsonNode md = lines.get(1).get("metaData");
    assertThat(md.get("version").asLong()).isEqualTo(2);
    assertThat(
            md.get("deltaMetadata").get("configuration").get("delta.enableChangeDataFeed").asText())
        .isEqualTo("true");
    Map<Long, Set<String>> kinds = new TreeMap<>();
    for (JsonNode f : files(lines)) {
      kinds.computeIfAbsent(f.get("version").asLong(), v -> new TreeSet<>()).add(kind(f));
    }
    // DELETEs (v2, v3) wrote no change data: remove/add with vectors; UPDATE and MERGE did
    assertThat(kinds.get(2L)).containsExactly("add", "remove");
    assertThat(kinds.get(3L)).containsExactly("add", "remove");
    assertThat(kinds.get(4L)).containsExactly("cdc");
    assertThat(kinds.get(5L)).containsExactly("cdc");
    for (JsonNode f : files(lines)) {
      if (kind(f).equals("cdc")) {
        assertThat(RawHttp.fetch(action(f).get("path").asText()).statusCode()).isEqualTo(200);
        assertThat(action(f).get("dataChange").asBoolean()).isFalse();
      }
    }
    assertThat(t.latestVersion()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void defaultFileIdsFollowTheRespondedFormat() throws Exception {
    List<JsonNode> parquet = lines(server.raw().query("t_plain", "{}"));
    List<JsonNode> delta = lines(server.raw().query("t_plain", "{}", CAPS, "responseformat=delta"));
    assertThat(
            parquet.stream().filter(n -> n.has("file")).map(n -> n.get("file").get("id").asText()))
        .allMatch(id -> id.length() == 32);
    assertThat(files(delta)).allMatch(f -> f.get("id").asText().length() == 64);
    List<JsonNode> md5 =
        lines(
            server
                .raw()
                .query("t_plain", "{}", CAPS, "responseformat=delta", "fileidhash", "parquet"));
    assertThat(files(md5)).allMatch(f -> f.get("id").asText().length() == 32);
  }

  @Test
  void aReaderFeatureKernelCannotReadIsRefusedByName(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path log = Files.createDirectories(dir.resolve("t_future").resolve("_delta_log"));
    Files.writeString(
        log.resolve("00000000000000000000.json"),
        "{\"commitInfo\":{\"timestamp\":1700000000000,\"operation\":\"CREATE TABLE\"}}\n"
            + "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
            + "\"readerFeatures\":[\"madeUpFutureFeature\"],"
            + "\"writerFeatures\":[\"madeUpFutureFeature\"]}}\n"
            + "{\"metaData\":{\"id\":\"7c1f0f47-0000-4000-8000-000000000001\","
            + "\"format\":{\"provider\":\"parquet\",\"options\":{}},"
            + "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","
            + "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1700000000000}}\n");
    TestServer future =
        TestServer.get(new TestServer.Options().table("t_future", dir.resolve("t_future")));
    for (String caps : List.of("responseformat=parquet", DELTA_ALL, BOTH_ALL)) {
      String msg =
          Envelope.assertError(
              future.raw().query("t_future", "{}", CAPS, caps),
              400,
              "UNSUPPORTED_OPERATION",
              "madeUpFutureFeature");
      assertThat(msg).contains("s1.default.t_future").doesNotContain(dir.toString());
      Envelope.assertError(
          future.raw().get(path("t_future", "/metadata"), CAPS, caps),
          400,
          "UNSUPPORTED_OPERATION",
          "madeUpFutureFeature");
    }
  }

  private static String path(String table, String rest) {
    return "/shares/s1/schemas/default/tables/" + table + rest;
  }

  /** Z85 as the Delta protocol uses it for deletion-vector UUIDs (test-side decoder). */
  static final class Z85 {
    private static final String ALPHABET =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    static String decodeToHex(String text) {
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < text.length(); i += 5) {
        long value = 0;
        for (int j = 0; j < 5; j++) {
          value = value * 85 + ALPHABET.indexOf(text.charAt(i + j));
        }
        hex.append(String.format("%08x", value));
      }
      return hex.toString();
    }
  }

  static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
