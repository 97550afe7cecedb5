package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.model.Capabilities;
import io.lakeshare.protocol.model.QueryTableRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bookkeeping of asynchronous queries: ownership, pinning, failures, expiry and bounds. */
class AsyncQueriesTest {
  private static final Capabilities CAPS = Capabilities.NONE;

  private final AtomicLong now = new AtomicLong(1_000_000L);
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now.get());
        }
      };
  private AsyncQueries queries = new AsyncQueries(1, 3, Duration.ofMinutes(10), clock);

  @AfterEach
  void close() {
    queries.close();
  }

  private static QueryTableRequest keyed(String key) {
    return QueryTableRequest.builder().idempotencyKey(key).build();
  }

  private static Function<QueryTableRequest, StreamedAnswer> answersVersion(long v) {
    return r -> new StreamedAnswer(v, "responseformat=parquet", null, sink -> {});
  }

  private AsyncQueries.Status await(String owner, String id) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      AsyncQueries.Status s = queries.status(owner, id);
      if (s.state() != AsyncQueries.State.PENDING) {
        return s;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("still pending");
  }

  @Test
  void aLatestSnapshotIsPinnedToTheVersionItPlannedAndPagingIsDropped() throws Exception {
    QueryTableRequest r =
        QueryTableRequest.builder()
            .idempotencyKey("k")
            .timestamp("2024-01-01T00:00:00Z")
            .maxFiles(5)
            .limitHint(10L)
            .build();
    String id = queries.submit("alice\ns.sc.t", r, CAPS, "parquet", answersVersion(7));
    AsyncQueries.Status s = await("alice\ns.sc.t", id);
    assertThat(s.state()).isEqualTo(AsyncQueries.State.DONE);
    assertThat(s.pinned().version()).isEqualTo(7L);
    assertThat(s.pinned().timestamp()).isNull();
    assertThat(s.pinned().maxFiles()).isNull();
    assertThat(s.pinned().idempotencyKey()).isNull();
    assertThat(s.pinned().limitHint()).isEqualTo(10L);
    assertThat(s.fileIdHash()).isEqualTo("parquet");
    // a change query keeps its range: its pages pin themselves
    String changes =
        queries.submit(
            "alice\ns.sc.t",
            QueryTableRequest.builder().idempotencyKey("c").startingVersion(2L).build(),
            CAPS,
            null,
            answersVersion(2));
    assertThat(await("alice\ns.sc.t", changes).pinned().version()).isNull();
  }

  @Test
  void aQueryIsOnlyItsOwnersAndExpiresAfterItsTtl() throws Exception {
    String id = queries.submit("alice\ns.sc.t", keyed("k"), CAPS, null, answersVersion(1));
    await("alice\ns.sc.t", id);
    assertThatThrownBy(() -> queries.status("bob\ns.sc.t", id))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> queries.status("alice\ns.sc.other", id))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.status()).isEqualTo(404));
    // the same key of another recipient is another query
    assertThat(queries.submit("bob\ns.sc.t", keyed("k"), CAPS, null, answersVersion(1)))
        .isNotEqualTo(id);
    now.addAndGet(Duration.ofMinutes(11).toMillis());
    assertThatThrownBy(() -> queries.status("alice\ns.sc.t", id))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.status()).isEqualTo(404));
    // after expiry the key starts a new query
    assertThat(queries.submit("alice\ns.sc.t", keyed("k"), CAPS, null, answersVersion(1)))
        .isNotEqualTo(id);
  }

  @Test
  void failuresTellClientErrorsAndHideServerErrors() throws Exception {
    String bad =
        queries.submit(
            "a\nt",
            keyed("bad"),
            CAPS,
            null,
            r -> {
              throw ServerErrors.invalidParameter("version 99 does not exist");
            });
    assertThat(await("a\nt", bad).errorMessage()).isEqualTo("version 99 does not exist");
    String broken =
        queries.submit(
            "a\nt",
            keyed("broken"),
            CAPS,
            null,
            r -> {
              throw new IllegalStateException("/secret/path/_delta_log unreadable");
            });
    AsyncQueries.Status s = await("a\nt", broken);
    assertThat(s.state()).isEqualTo(AsyncQueries.State.FAILED);
    assertThat(s.errorMessage()).doesNotContain("secret").contains("server");
  }

  @Test
  void theSameKeyRunsOnceAndOtherParametersAreRefused() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Function<QueryTableRequest, StreamedAnswer> counted =
        r -> {
          runs.incrementAndGet();
          return new StreamedAnswer(1, "", null, sink -> {});
        };
    String id = queries.submit("a\nt", keyed("k"), CAPS, null, counted);
    assertThat(queries.submit("a\nt", keyed("k"), CAPS, null, counted)).isEqualTo(id);
    await("a\nt", id);
    assertThat(runs.get()).isEqualTo(1);
    QueryTableRequest other = QueryTableRequest.builder().idempotencyKey("k").version(3L).build();
    assertThatThrownBy(() -> queries.submit("a\nt", other, CAPS, null, counted))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("'k'");
    assertThatThrownBy(() -> queries.submit("a\nt", QueryTableRequest.EMPTY, CAPS, null, counted))
        .hasMessage("idempotency_key is required for async query.");
  }

  @Test
  void queriesBeyondTheBoundAreRefusedUntilSomeExpire() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Function<QueryTableRequest, StreamedAnswer> slow =
        r -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new StreamedAnswer(1, "", null, sink -> {});
        };
    String first = queries.submit("a\nt", keyed("1"), CAPS, null, slow);
    queries.submit("a\nt", keyed("2"), CAPS, null, slow);
    queries.submit("a\nt", keyed("3"), CAPS, null, slow);
    assertThatThrownBy(() -> queries.submit("a\nt", keyed("4"), CAPS, null, slow))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.status()).isEqualTo(429));
    assertThat(queries.size()).isEqualTo(3);
    release.countDown();
    await("a\nt", first);
    now.addAndGet(Duration.ofHours(2).toMillis());
    queries.submit("a\nt", keyed("4"), CAPS, null, answersVersion(1));
    assertThat(queries.size()).isEqualTo(1);
  }
}
