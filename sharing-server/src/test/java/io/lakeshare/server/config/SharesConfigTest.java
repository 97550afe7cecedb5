package io.lakeshare.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SharesConfigTest {

  private static ServerConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", key -> {});
  }

  private static String errorOf(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }

  private static String firstTableId(String yaml) {
    return parse(yaml).shares().get(0).schemas().get(0).tables().get(0).id();
  }

  /** A config with one share 'sales', schema 'q1' and the given table entries. */
  private static String withTables(String... tables) {
    StringBuilder yaml =
        new StringBuilder(
            "version: 1\nshares:\n- name: sales\n  schemas:\n  - name: q1\n    tables:\n");
    for (String table : tables) {
      yaml.append("    - ").append(table).append('\n');
    }
    return yaml.toString();
  }

  @Test
  void tableKeysAreReadAndLocationKeptAsWritten() {
    ServerConfig config =
        parse(
            withTables(
                "{name: orders, location: 's3a://bucket/a/../orders/', id: abc,"
                    + " historyShared: true, startVersion: 7}"));

    assertThat(config.shares().get(0).schemas().get(0).tables())
        .containsExactly(new TableConfig("orders", "s3a://bucket/a/../orders/", "abc", true, 7));
  }

  @Test
  void parquetTablesAreDeclaredAndTheirSettingsChecked() {
    TableConfig t =
        parse(
                withTables(
                    "{name: logs, location: /data/logs, format: PARQUET,"
                        + " partitionColumnTypes: {day: DATE, code: string},"
                        + " listingRefreshSeconds: 5}"))
            .shares()
            .get(0)
            .schemas()
            .get(0)
            .tables()
            .get(0);
    assertThat(t.isParquet()).isTrue();
    assertThat(t.partitionColumnTypes())
        .containsEntry("day", "date")
        .containsEntry("code", "string");
    assertThat(t.listingRefreshSeconds()).isEqualTo(5);
    assertThat(
            parse(withTables("{name: d, location: /d}"))
                .shares()
                .get(0)
                .schemas()
                .get(0)
                .tables()
                .get(0)
                .format())
        .isEqualTo(TableConfig.DELTA);

    assertThat(errorOf(withTables("{name: p, location: /p, format: orc}")))
        .contains("'format' must be 'delta' (the default) or 'parquet', got 'orc'");
    assertThat(errorOf(withTables("{name: p, location: /p, format: parquet, historyShared: true}")))
        .contains("'historyShared' cannot be true for a Parquet table");
    assertThat(errorOf(withTables("{name: p, location: /p, format: parquet, startVersion: 1}")))
        .contains("'startVersion' does not apply to a Parquet table");
    assertThat(
            errorOf(
                withTables(
                    "{name: p, location: /p, format: parquet, partitionColumnTypes: {d: map}}")))
        .contains("gives column 'd' the type 'map'");
    assertThat(errorOf(withTables("{name: p, location: /p, partitionColumnTypes: {d: int}}")))
        .contains("applies only to tables with 'format: parquet'");
    assertThat(errorOf(withTables("{name: p, location: /p, listingRefreshSeconds: 3}")))
        .contains("applies only to tables with 'format: parquet'");
  }

  @Test
  void shareIdIsOptional() {
    ServerConfig config = parse("version: 1\nshares:\n- name: a\n  id: share-a\n- name: b\n");

    assertThat(config.shares())
        .containsExactly(
            new ShareConfig("a", List.of(), "share-a"), new ShareConfig("b", List.of(), null));
  }

  @Test
  void missingShareNameIsReportedByPosition() {
    assertThat(errorOf("version: 1\nshares:\n- name: a\n- schemas: []\n"))
        .isEqualTo("test.yaml: share #2: 'name' in a share must be provided");
  }

  @Test
  void missingSchemaNameIsReportedUnderItsShare() {
    assertThat(errorOf("version: 1\nshares:\n- name: sales\n  schemas:\n  - tables: []\n"))
        .isEqualTo("test.yaml: share 'sales' > schema #1: 'name' in a schema must be provided");
  }

  @Test
  void missingTableNameIsReported() {
    assertThat(errorOf(withTables("{name: a, location: s3a://b/a}", "{location: s3a://b/x}")))
        .isEqualTo(
            "test.yaml: share 'sales' > schema 'q1' > table #2: 'name' in a table must be"
                + " provided");
  }

  @Test
  void missingLocationNamesTheTable() {
    assertThat(errorOf(withTables("{name: a, location: s3a://b/a}", "{name: b}")))
        .isEqualTo(
            "test.yaml: share 'sales' > schema 'q1' > table 'b': 'location' in a table must be"
                + " provided");
  }

  @Test
  void blankLocationIsRefused() {
    assertThat(errorOf(withTables("{name: a, location: '  '}")))
        .endsWith("table 'a': 'location' in a table must be provided");
  }

  @Test
  void nonMappingListItemIsRefused() {
    assertThat(errorOf(withTables("just-a-string")))
        .isEqualTo(
            "test.yaml: share 'sales' > schema 'q1' > table #1: each item of 'tables' must be a"
                + " mapping of keys to values, got 'just-a-string'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'my table'", "'a/b'", "\"a\\tb\"", "\"a\\x7Fb\""})
  void forbiddenCharactersInShareNamesAreRefused(String name) {
    assertThat(errorOf("version: 1\nshares:\n- name: " + name + "\n"))
        .startsWith("test.yaml: share #1: 'name' in a share is invalid: ");
  }

  @Test
  void controlCharactersAreNamedAndEscapedInTheMessage() {
    assertThat(errorOf("version: 1\nshares:\n- name: \"a\\tb\"\n"))
        .isEqualTo(
            "test.yaml: share #1: 'name' in a share is invalid: 'a\\u0009b' contains the control"
                + " character U+0009");
  }

  @Test
  void shareNamesMayContainDots() {
    assertThat(parse("version: 1\nshares:\n- name: acme.sales\n").shares().get(0).name())
        .isEqualTo("acme.sales");
  }

  @Test
  void dotInASchemaNameIsRefused() {
    assertThat(errorOf("version: 1\nshares:\n- name: s\n  schemas:\n  - name: a.b\n"))
        .isEqualTo(
            "test.yaml: share 's' > schema #1: 'name' in a schema is invalid: 'a.b' contains '.',"
                + " which schema and table names may not contain");
  }

  @Test
  void dotOrSpaceInATableNameIsRefused() {
    assertThat(errorOf(withTables("{name: t.v, location: s3a://b/t}")))
        .isEqualTo(
            "test.yaml: share 'sales' > schema 'q1' > table #1: 'name' in a table is invalid:"
                + " 't.v' contains '.', which schema and table names may not contain");
    assertThat(errorOf(withTables("{name: 't v', location: s3a://b/t}")))
        .isEqualTo(
            "test.yaml: share 'sales' > schema 'q1' > table #1: 'name' in a table is invalid:"
                + " 't v' contains a space");
  }

  @Test
  void namesOfExactly255CharactersAreAcceptedAndLongerOnesRefused() {
    String longest = "n".repeat(255);

    assertThat(parse("version: 1\nshares:\n- name: " + longest).shares().get(0).name())
        .isEqualTo(longest);
    assertThat(errorOf("version: 1\nshares:\n- name: " + longest + "n"))
        .isEqualTo(
            "test.yaml: share #1: 'name' in a share is invalid: it is longer than 255 characters");
  }

  @Test
  void sharesDifferingOnlyByCaseAreRefused() {
    assertThat(errorOf("version: 1\nshares:\n- name: Sales\n- name: other\n- name: sALES\n"))
        .isEqualTo(
            "test.yaml: share 'sALES': the name duplicates share 'Sales' (names are"
                + " case-insensitive)");
  }

  @Test
  void schemasDifferingOnlyByCaseInOneShareAreRefused() {
    assertThat(errorOf("version: 1\nshares:\n- name: s\n  schemas:\n  - name: Q1\n  - name: q1\n"))
        .isEqualTo(
            "test.yaml: share 's' > schema 'q1': the name duplicates schema 'Q1' in the same share"
                + " (names are case-insensitive)");
  }

  @Test
  void tablesDifferingOnlyByCaseInOneSchemaAreRefused() {
    assertThat(
            errorOf(
                withTables(
                    "{name: Orders, location: s3a://b/1}", "{name: ORDERS, location: s3a://b/2}")))
        .isEqualTo(
            "test.yaml: share 'sales' > schema 'q1' > table 'ORDERS': the name duplicates table"
                + " 'Orders' in the same schema (names are case-insensitive)");
  }

  @Test
  void sameNamesUnderDifferentParentsAreFine() {
    ServerConfig config =
        parse(
            """
            version: 1
            shares:
            - name: a
              schemas:
              - name: s
                tables: [{name: t, location: s3a://b/1}]
            - name: b
              schemas:
              - name: s
                tables: [{name: t, location: s3a://b/1}]
              - name: other
                tables: [{name: t, location: s3a://b/1}]
            """);

    assertThat(config.shares()).hasSize(2);
    assertThat(config.shares().get(1).schemas()).hasSize(2);
  }

  @Test
  void omittedTableIdIsDerivedFromTheLowerCasedNames() {
    String id = firstTableId(withTables("{name: Orders, location: s3a://b/o}"));

    // Pinned literally: a change here would invalidate every token already handed out.
    assertThat(id)
        .isEqualTo(
            UUID.nameUUIDFromBytes("sales.q1.orders".getBytes(StandardCharsets.UTF_8)).toString())
        .isEqualTo("f1af30cf-a0f0-3c09-b5fb-ae721179fe0d");
  }

  @Test
  void derivedTableIdIsStableAcrossLoadsAndCaseChanges() {
    String first = firstTableId(withTables("{name: orders, location: s3a://b/o}"));
    String again = firstTableId(withTables("{name: orders, location: s3a://elsewhere/o}"));
    String recased =
        firstTableId(
            "version: 1\nshares:\n- name: SALES\n  schemas:\n  - name: Q1\n    tables:\n"
                + "    - {name: ORDERS, location: s3a://b/o}\n");
    String otherTable = firstTableId(withTables("{name: returns, location: s3a://b/o}"));

    assertThat(again).isEqualTo(first);
    assertThat(recased).isEqualTo(first);
    assertThat(otherTable).isNotEqualTo(first);
    assertThat(UUID.fromString(first).version()).isEqualTo(3);
  }

  @Test
  void duplicateTableIdsAreRefusedAcrossShares() {
    assertThat(
            errorOf(
                """
                version: 1
                shares:
                - name: a
                  schemas:
                  - name: s
                    tables: [{name: t, location: s3a://b/1, id: ID-1}]
                - name: b
                  schemas:
                  - name: s
                    tables: [{name: u, location: s3a://b/2, id: id-1}]
                """))
        .isEqualTo(
            "test.yaml: share 'b' > schema 's' > table 'u': 'id' 'id-1' is already used by"
                + " table 'a.s.t'; table ids must be unique");
  }

  @Test
  void explicitIdCollidingWithADerivedIdIsRefused() {
    String derived = SharesReader.derivedTableId("sales", "q1", "a");

    assertThat(
            errorOf(
                withTables(
                    "{name: a, location: s3a://b/1}",
                    "{name: b, location: s3a://b/2, id: " + derived + "}")))
        .isEqualTo(
            "test.yaml: share 'sales' > schema 'q1' > table 'b': 'id' '"
                + derived
                + "' is already used by table 'sales.q1.a'; table ids must be unique");
  }

  @Test
  void emptyTableIdIsRefused() {
    assertThat(errorOf(withTables("{name: a, location: s3a://b/1, id: ''}")))
        .endsWith("table 'a': 'id' in a table must not be empty; omit it to derive one");
  }

  @Test
  void duplicateShareIdsAreRefused() {
    assertThat(errorOf("version: 1\nshares:\n- {name: a, id: x}\n- {name: b, id: X}\n"))
        .isEqualTo("test.yaml: share 'b': 'id' 'X' is already used by share 'a'");
  }

  @Test
  void negativeStartVersionIsRefused() {
    assertThat(errorOf(withTables("{name: a, location: s3a://b/1, startVersion: -1}")))
        .isEqualTo(
            "test.yaml: share 'sales' > schema 'q1' > table 'a': 'startVersion' must not be"
                + " negative, got -1");
  }

  @Test
  void wrongTypeInATableNamesTheTable() {
    assertThat(errorOf(withTables("{name: a, location: s3a://b/1, historyShared: sometimes}")))
        .isEqualTo(
            "test.yaml: share 'sales' > schema 'q1' > table 'a': 'historyShared' must be true or"
                + " false, got 'sometimes'");
  }

  @Test
  void configuredListsAreImmutable() {
    ServerConfig config = parse(withTables("{name: a, location: s3a://b/1}"));

    assertThatThrownBy(() -> config.shares().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
