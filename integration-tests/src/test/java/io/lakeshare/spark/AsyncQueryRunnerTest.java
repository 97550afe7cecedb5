package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.client.AsyncAnswer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.QueryTableRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The connector's asynchronous query runner against the real server: it waits out pending polls,
 * reads every page, and ends at once on a failed query with the server's reason.
 */
class AsyncQueryRunnerTest {
  private static final TableRef T_PART = new TableRef("s1", "default", "t_part");

  @Test
  void listsWhatASynchronousQueryListsPageByPage() {
    FixtureTable t = FixtureTables.get().table(FixtureTables.T_PART);
    try (DeltaSharingClient client = TestServer.get().client()) {
      FileListing sync =
          QueryRunner.run(
              client, T_PART, QueryTableRequest.EMPTY, false, 100, AnswerFormat.PARQUET);
      FileListing async =
          QueryRunner.runAsync(
              client,
              T_PART,
              QueryTableRequest.EMPTY,
              true,
              2,
              AnswerFormat.PARQUET,
              Duration.ofMillis(200),
              Duration.ofMinutes(1));
      assertThat(async.version()).isEqualTo(t.latestVersion());
      assertThat(async.files()).hasSize(t.activeFiles(t.latestVersion()).size());
      assertThat(async.files().stream().map(PlannedFile::id).sorted().toList())
          .isEqualTo(sync.files().stream().map(PlannedFile::id).sorted().toList());
      assertThat(async.metadata().schemaString()).isEqualTo(sync.metadata().schemaString());
    }
  }

  @Test
  void aFailedQueryEndsAtOnceWithTheServersReason() {
    try (DeltaSharingClient client = TestServer.get().client()) {
      AsyncAnswer submitted =
          client.submitQuery(
              T_PART, QueryTableRequest.builder().version(99L).build(), RequestOptions.NONE);
      assertThat(submitted).isInstanceOf(AsyncAnswer.Pending.class);
      long start = System.nanoTime();
      Throwable e =
          catchThrowable(
              () ->
                  QueryRunner.runAsync(
                      client,
                      T_PART,
                      QueryTableRequest.builder().version(99L).build(),
                      false,
                      100,
                      AnswerFormat.PARQUET,
                      Duration.ofSeconds(10),
                      Duration.ofMinutes(10)));
      assertThat(e)
          .isInstanceOf(DeltaSharingException.class)
          .hasMessageContaining("asynchronous query")
          .hasMessageContaining("failed on the server")
          .hasMessageContaining("99");
      // failed is terminal: the runner neither waits for the timeout nor polls at the 10 s cap
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
      // an unknown query id is the server's 404
      Throwable unknown =
          catchThrowable(() -> client.pollQuery(T_PART, "nope", null, null, RequestOptions.NONE));
      assertThat(unknown).isInstanceOf(DeltaSharingException.class);
      assertThat(((DeltaSharingException) unknown).status()).isEqualTo(404);
    }
  }
}
