package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.spark;
import static io.lakeshare.it.connector.Connector.url;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshot reads planned with asynchronous queries ({@code
 * spark.delta.sharing.network.useAsyncQuery}): submitted, polled until planned, paged, and equal to
 * delta-spark's read. A failed query ending the read at once: {@code
 * io.lakeshare.spark.AsyncQueryRunnerTest}.
 */
class AsyncQueryReadTest {
  private static final String USE = "spark.delta.sharing.network.useAsyncQuery";
  private static final String INTERVAL = "spark.delta.sharing.network.asyncQueryRetryInterval";
  private static final String PAGINATION = "spark.delta.sharing.queryPagination.enabled";
  private static final String PAGE = "spark.delta.sharing.maxFilesPerQueryRequest";

  @BeforeEach
  void on() {
    spark().conf().set(USE, "true");
    spark().conf().set(INTERVAL, "200ms");
  }

  @AfterEach
  void off() {
    for (String k : new String[] {USE, INTERVAL, PAGINATION, PAGE}) {
      spark().conf().unset(k);
    }
  }

  @Test
  void readsEqualDeltaSparkWholeAndPaged() {
    for (String name : new String[] {FixtureTables.T_PART, FixtureTables.T_DV_HIST}) {
      FixtureTable t = FixtureTables.get().table(name);
      assertSameData(
          spark().read().format("deltaSharing").load(url(name)), t.read(t.latestVersion()));
    }
    spark().conf().set(PAGINATION, "true");
    spark().conf().set(PAGE, "2");
    FixtureTable part = FixtureTables.get().table(FixtureTables.T_PART);
    assertSameData(
        spark().read().format("deltaSharing").option("versionAsOf", 2).load(url("t_part")),
        part.read(2));
  }
}
