package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.rows;
import static io.lakeshare.it.connector.Connector.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.spark.DeltaSharingCatalog;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A profile's tables as a Spark catalog, where SQL time travel works. */
class SharingCatalogTest {
  @BeforeAll
  static void registerCatalog() {
    spark().conf().set("spark.sql.catalog.sharing", DeltaSharingCatalog.class.getName());
    spark()
        .conf()
        .set("spark.sql.catalog.sharing.profile", Connector.profileFile(TestServer.get()));
  }

  private static FixtureTable hist() {
    return FixtureTables.get().table(FixtureTables.T_HIST);
  }

  @Test
  void tablesReadLikeTheOracle() {
    assertSameData(
        spark().sql("SELECT * FROM sharing.s1.default.t_hist"),
        hist().read(hist().latestVersion()));
  }

  @Test
  void versionAsOfInSql() {
    for (long v = 1; v <= 5; v += 2) {
      assertSameData(
          spark().sql("SELECT * FROM sharing.s1.default.t_hist VERSION AS OF " + v),
          hist().read(v));
    }
  }

  @Test
  void timestampAsOfInSql() {
    Instant at = hist().commitTimestamp(3);
    assertSameData(
        spark()
            .sql(
                "SELECT * FROM sharing.s1.default.t_hist TIMESTAMP AS OF CAST('"
                    + at
                    + "' AS TIMESTAMP)"),
        hist().read(3));
  }

  @Test
  void sharesSchemasAndTablesAreListed() {
    assertThat(rows(spark().sql("SHOW NAMESPACES IN sharing"))).contains("[s1]", "[s2]", "[s3]");
    assertThat(rows(spark().sql("SHOW NAMESPACES IN sharing.s2")))
        .containsExactly("[s2.sc_a]", "[s2.sc_b]");
    assertThat(rows(spark().sql("SHOW TABLES IN sharing.s1.default").select("tableName")))
        .contains("[t_hist]", "[t_part]", "[t_plain]");
  }

  @Test
  void unknownTablesAndWritesFailClearly() {
    Throwable missing = catchThrowable(() -> spark().sql("SELECT * FROM sharing.s1.default.nope"));
    assertThat(missing).hasMessageContaining("nope");
    Throwable write =
        catchThrowable(() -> spark().sql("CREATE TABLE sharing.s1.default.x (a INT)").count());
    assertThat(write).hasMessageContaining("read-only");
  }
}
