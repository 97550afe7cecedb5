package io.lakeshare.spark;

import static io.lakeshare.it.fixtures.SparkFixture.EXHAUSTIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.fixtures.OracleFile;
import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.protocol.predicate.ComparisonOp;
import io.lakeshare.protocol.predicate.JsonPredicate;
import io.lakeshare.protocol.predicate.ValueType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Directory-access planning (accessMode dir): the connector's own Delta Kernel lists every version
 * of the fixture tables through a scoped file system, and each listing equals delta-spark's active
 * files at that version (paths, sizes, partition values, deletion vectors, row counts). Runs on
 * every Spark line, so the Kernel shaded into the connector is proven with each line's Hadoop (and
 * on Spark 3.5 with the Parquet 1.17 its jars carry for Kernel). The fixture tables are local, so
 * the scope is a {@code file:} root here; the S3 read path end to end (credentials from the server,
 * S3A, Spark) is python/tests/test_directory_access.py.
 */
class DirectoryListingTest {
  private static final List<DirectoryRefresher> OPENED = new ArrayList<>();

  @AfterAll
  static void release() {
    OPENED.forEach(DirectoryRefresher::release);
  }

  private static DirectoryRefresher access(FixtureTable t) {
    String root = t.path().toUri().toString();
    if (root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    DirectoryCredentials c =
        new DirectoryCredentials(root, System.currentTimeMillis() + 3_600_000L, Map.of());
    DirectoryRefresher r = new DirectoryRefresher(null, null, null, null, t.name(), Map.of(), c);
    OPENED.add(r);
    return r;
  }

  /** The schema string and partition columns of the last metaData action at or before v. */
  private static String[] metadataAt(FixtureTable t, long version) {
    for (long v = version; v >= 0; v--) {
      for (JsonNode a : t.commitActions(v)) {
        if (a.has("metaData")) {
          JsonNode m = a.get("metaData");
          List<String> parts = new ArrayList<>();
          m.get("partitionColumns").forEach(p -> parts.add(p.asText()));
          return new String[] {m.get("schemaString").asText(), String.join(",", parts)};
        }
      }
    }
    throw new AssertionError("no metaData in " + t.name());
  }

  private static FileListing list(FixtureTable t, DirectoryRefresher r, long version) {
    String[] m = metadataAt(t, version);
    ReadOptions opts =
        ReadOptions.parse(t.name(), Map.of("versionAsOf", Long.toString(version)), ZoneOffset.UTC);
    return DirectoryListing.list(
        t.name(), r, opts, m[0], m[1].isEmpty() ? List.of() : List.of(m[1].split(",")), null);
  }

  @Tag(EXHAUSTIVE)
  @ParameterizedTest
  @ValueSource(
      strings = {
        FixtureTables.T_DV_HIST,
        FixtureTables.T_HIST,
        FixtureTables.T_CM_ID,
        FixtureTables.T_CM_NAME,
        FixtureTables.T_TYPES_PART,
        FixtureTables.T_PART,
        FixtureTables.T_EMPTY
      })
  void everyVersionListsDeltaSparksActiveFiles(String name) throws Exception {
    FixtureTable t = FixtureTables.get().table(name);
    DirectoryRefresher r = access(t);
    // every line can: Spark 3.5's jars carry Parquet 1.17 for Kernel, relocated
    assertThat(DirectoryListing.supported()).isTrue();
    for (long v = 0; v <= t.latestVersion(); v++) {
      FileListing l = list(t, r, v);
      assertThat(l.version()).isEqualTo(v);
      List<OracleFile> expected = t.activeFiles(v);
      Map<String, FixtureTable.OracleDeletionVector> dvs = t.deletionVectors(v);
      Map<String, PlannedFile> got = new HashMap<>();
      for (PlannedFile f : l.files()) {
        assertThat(got.put(f.id(), f)).as("%s v%d lists %s once", name, v, f.id()).isNull();
      }
      assertThat(got.keySet())
          .as("%s v%d", name, v)
          .containsExactlyInAnyOrderElementsOf(expected.stream().map(OracleFile::path).toList());
      for (OracleFile o : expected) {
        PlannedFile f = got.get(o.path());
        String what = name + " v" + v + " " + o.path();
        assertThat(f.size()).as(what).isEqualTo(o.size());
        assertThat(f.partitionValues()).as(what).isEqualTo(o.partitionValues());
        assertThat(f.kind()).as(what).isEqualTo(io.lakeshare.protocol.model.FileAction.Kind.FILE);
        // the absolute path is the file itself, inside the scope
        assertThat(r.covers(f.url())).as(what + " at " + f.url()).isTrue();
        assertThat(Files.size(t.localPath(o))).as(what).isEqualTo(o.size());
        assertThat(Path.of(new URI(new org.apache.hadoop.fs.Path(f.url()).toUri().toString())))
            .as(what)
            .isEqualTo(t.localPath(o));
        FixtureTable.OracleDeletionVector od = dvs.get(o.path());
        assertThat(f.deleted() != null).as(what).isEqualTo(o.hasDeletionVector());
        long deleted = 0;
        if (od != null) {
          DeletionVector dv = f.deleted();
          deleted = od.cardinality();
          assertThat(dv.cardinality()).as(what).isEqualTo(od.cardinality());
          assertThat(dv.sizeInBytes()).as(what).isEqualTo(od.sizeInBytes());
          assertThat(dv.offset()).as(what).isEqualTo(od.offset());
          if (od.storageType().equals("i")) {
            assertThat(dv.storageType()).isEqualTo("i");
            assertThat(dv.pathOrInlineDv()).isEqualTo(od.pathOrInlineDv());
            assertThat(f.deletedId()).isNull();
          } else {
            // an on-disk vector is named by its absolute path, which exists under the root
            assertThat(dv.storageType()).as(what).isEqualTo("p");
            assertThat(r.covers(dv.pathOrInlineDv())).as(what).isTrue();
            assertThat(
                    Files.exists(
                        Path.of(new org.apache.hadoop.fs.Path(dv.pathOrInlineDv()).toUri())))
                .as(what)
                .isTrue();
            assertThat(f.deletedId()).isEqualTo("dv:" + dv.pathOrInlineDv());
          }
        }
        if (o.numRecords() != null) {
          assertThat(f.numRecords()).as(what).isEqualTo(o.numRecords() - deleted);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {FixtureTables.T_DV_HIST})
  void aVersionTheLogLacksAndAnotherSchemaAreRefusedNamingTheTable(String name) {
    FixtureTable t = FixtureTables.get().table(name);
    DirectoryRefresher r = access(t);
    long beyond = t.latestVersion() + 5;
    String[] m = metadataAt(t, t.latestVersion());
    Throwable missing =
        catchThrowable(
            () ->
                DirectoryListing.list(
                    name,
                    r,
                    ReadOptions.parse(
                        name, Map.of("versionAsOf", Long.toString(beyond)), ZoneOffset.UTC),
                    m[0],
                    List.of(m[1].split(",")),
                    null));
    assertThat(missing)
        .isInstanceOf(DeltaSharingReadException.class)
        .hasMessageContaining("Delta Sharing table " + name)
        .hasMessageContaining("versionAsOf " + beyond);
    Throwable changed =
        catchThrowable(
            () ->
                DirectoryListing.list(
                    name,
                    r,
                    ReadOptions.parse(name, Map.of(), ZoneOffset.UTC),
                    m[0].replace("\"name\"", "\"full_name\""),
                    List.of(m[1].split(",")),
                    null));
    assertThat(changed)
        .isInstanceOf(DeltaSharingReadException.class)
        .hasMessageContaining("have changed since the DataFrame was created");
  }

  @ParameterizedTest
  @ValueSource(strings = {FixtureTables.T_DV_HIST, FixtureTables.T_CM_NAME})
  void timestampAsOfListsTheVersionCurrentAtThatTime(String name) {
    FixtureTable t = FixtureTables.get().table(name);
    DirectoryRefresher r = access(t);
    String[] latest = metadataAt(t, t.latestVersion());
    for (long v = 1; v <= t.latestVersion(); v++) {
      java.time.Instant at = t.commitTimestamp(v);
      // a moment after the commit and before the next is still version v; after the latest
      // commit is refused (as delta-spark does), so the latest is probed at its commit time
      java.time.Instant probe = v == t.latestVersion() ? at : at.plusMillis(1);
      if (v < t.latestVersion() && !probe.isBefore(t.commitTimestamp(v + 1))) {
        continue;
      }
      String[] m = metadataAt(t, v);
      FileListing l =
          DirectoryListing.list(
              name,
              r,
              ReadOptions.parse(name, Map.of("timestampAsOf", probe.toString()), ZoneOffset.UTC),
              m[0],
              m[1].isEmpty() ? List.of() : List.of(m[1].split(",")),
              null);
      assertThat(l.version()).as("%s at %s", name, probe).isEqualTo(v);
      assertThat(l.files().stream().map(PlannedFile::id).sorted().toList())
          .isEqualTo(t.activeFiles(v).stream().map(OracleFile::path).sorted().toList());
    }
    Throwable early =
        catchThrowable(
            () ->
                DirectoryListing.list(
                    name,
                    r,
                    ReadOptions.parse(
                        name, Map.of("timestampAsOf", "2001-01-01T00:00:00Z"), ZoneOffset.UTC),
                    latest[0],
                    List.of(latest[1].split(",")),
                    null));
    assertThat(early)
        .isInstanceOf(DeltaSharingReadException.class)
        .hasMessageContaining("Delta Sharing table " + name)
        .hasMessageContaining("timestampAsOf 2001-01-01T00:00:00Z");
  }

  private static JsonPredicate eq(String column, ValueType type, String value) {
    return new JsonPredicate.Comparison(
        ComparisonOp.EQUAL,
        new JsonPredicate.Column(column, type),
        new JsonPredicate.Literal(value, type));
  }

  private List<String> listedWith(FixtureTable t, DirectoryRefresher r, JsonPredicate hint) {
    String[] m = metadataAt(t, t.latestVersion());
    return DirectoryListing.list(
            t.name(),
            r,
            ReadOptions.parse(t.name(), Map.of(), ZoneOffset.UTC),
            m[0],
            List.of(m[1].split(",")),
            hint)
        .files()
        .stream()
        .map(PlannedFile::id)
        .sorted()
        .toList();
  }

  private static List<String> oracleWhere(
      FixtureTable t, java.util.function.Predicate<Map<String, String>> partitionValues) {
    return t.activeFiles(t.latestVersion()).stream()
        .filter(f -> partitionValues.test(f.partitionValues()))
        .map(OracleFile::path)
        .sorted()
        .toList();
  }

  @org.junit.jupiter.api.Test
  void filterHintsSkipFilesByPartitionValueAsTheServerDoes() {
    FixtureTable part = FixtureTables.get().table(FixtureTables.T_PART);
    DirectoryRefresher r = access(part);
    List<String> all = oracleWhere(part, pv -> true);
    assertThat(all).hasSize(6);
    // date = 2021-04-28: the two files of that day
    assertThat(listedWith(part, r, eq("date", ValueType.DATE, "2021-04-28")))
        .isEqualTo(oracleWhere(part, pv -> "2021-04-28".equals(pv.get("date"))))
        .hasSize(2);
    // a range, with the literal on the left
    JsonPredicate from30 =
        new JsonPredicate.Comparison(
            ComparisonOp.LESS_THAN_OR_EQUAL,
            new JsonPredicate.Literal("2021-04-30", ValueType.DATE),
            new JsonPredicate.Column("DATE", ValueType.DATE));
    assertThat(listedWith(part, r, from30))
        .isEqualTo(
            oracleWhere(
                part, pv -> pv.get("date") != null && pv.get("date").compareTo("2021-04-30") >= 0))
        .hasSize(2);
    JsonPredicate either =
        new JsonPredicate.Or(
            List.of(
                eq("date", ValueType.DATE, "2021-04-29"),
                eq("date", ValueType.DATE, "2021-05-01")));
    assertThat(listedWith(part, r, either)).hasSize(2);
    // a conjunct that cannot be used (unknown column) leaves the others in force
    JsonPredicate unknown = eq("no_such_column", ValueType.INT, "1");
    assertThat(
            listedWith(
                part,
                r,
                new JsonPredicate.And(List.of(eq("date", ValueType.DATE, "2021-04-28"), unknown))))
        .hasSize(2);
    // but an OR or a NOT with such a part skips nothing
    assertThat(
            listedWith(
                part,
                r,
                new JsonPredicate.Or(List.of(eq("date", ValueType.DATE, "2021-04-28"), unknown))))
        .isEqualTo(all);
    assertThat(listedWith(part, r, new JsonPredicate.Not(unknown))).isEqualTo(all);
    // a literal that is not a date is not guessed at
    assertThat(listedWith(part, r, eq("date", ValueType.DATE, "yesterday"))).isEqualTo(all);

    FixtureTable types = FixtureTables.get().table(FixtureTables.T_TYPES_PART);
    DirectoryRefresher rt = access(types);
    assertThat(listedWith(types, rt, eq("p_int", ValueType.INT, "-2")))
        .isEqualTo(oracleWhere(types, pv -> "-2".equals(pv.get("p_int"))))
        .hasSize(1);
    assertThat(listedWith(types, rt, eq("p_str", ValueType.STRING, "b c/d=e")))
        .isEqualTo(oracleWhere(types, pv -> "b c/d=e".equals(pv.get("p_str"))))
        .hasSize(1);
  }
}
