package io.lakeshare.server.service;

import io.lakeshare.protocol.model.Capabilities;
import io.lakeshare.protocol.model.QueryTableRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous queries (CONFORMANCE §1.11, E8 with {@code asyncquery=true} and E10). A submission
 * runs the query's planning (validation, the snapshot and its version) in a bounded pool and
 * answers at once with a query id; a poll reports it pending or failed, or hands back the request
 * pinned to the version it resolved, which the caller then answers page by page like a synchronous
 * query. Results are never held: each page is computed when asked for (the table's snapshot cache
 * makes that cheap), so memory per query is its request.
 *
 * <p>Queries belong to the recipient and table they were submitted for: a poll by anyone else, or
 * for another table, finds nothing (404), as does a poll after the query expired. The same
 * idempotency key with the same request gives the same query; with another request it is refused.
 */
public final class AsyncQueries implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncQueries.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a poll finds. */
  public enum State {
    PENDING,
    FAILED,
    DONE
  }

  /**
   * A query's state; {@code pinned} (when done) is the request to answer, with the version it
   * resolved in place of "latest" or a timestamp.
   */
  public record Status(
      String queryId,
      State state,
      String errorMessage,
      QueryTableRequest pinned,
      Capabilities capabilities,
      String fileIdHash) {}

  private final class Query {
    final String id;
    final String owner;
    final QueryTableRequest fingerprint;
    final Capabilities capabilities;
    final String fileIdHash;
    final long createdAt;
    volatile State state = State.PENDING;
    volatile String error;
    volatile QueryTableRequest pinned;
    volatile long doneAt;

    Query(
        String id,
        String owner,
        QueryTableRequest fingerprint,
        Capabilities capabilities,
        String fileIdHash) {
      this.id = id;
      this.owner = owner;
      this.fingerprint = fingerprint;
      this.capabilities = capabilities;
      this.fileIdHash = fileIdHash;
      this.createdAt = clock.millis();
    }

    boolean expired(long now) {
      return state != State.PENDING ? now - doneAt > ttl.toMillis() : now - createdAt > maxRun;
    }
  }

  private final Clock clock;
  private final Duration ttl;
  private final long maxRun;
  private final int maxQueries;
  private final ExecutorService pool;
  private final Map<String, Query> byId = new ConcurrentHashMap<>();
  private final Map<String, Query> byKey = new ConcurrentHashMap<>();

  /**
   * @param threads queries planned at once
   * @param maxQueries queries known at once (pending, or finished and not yet expired); more
   *     submissions are refused with 429 until some expire
   * @param ttl how long a finished query can be polled
   */
  public AsyncQueries(int threads, int maxQueries, Duration ttl, Clock clock) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxRun = Math.max(ttl.toMillis(), Duration.ofHours(1).toMillis());
    this.maxQueries = maxQueries;
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(maxQueries),
            r -> {
              Thread t = new Thread(r, "lakeshare-async-query");
              t.setDaemon(true);
              return t;
            });
    ((ThreadPoolExecutor) pool).allowCoreThreadTimeOut(true);
  }

  /** Defaults: 2 planning threads, 1,000 queries, polled for up to an hour after they finish. */
  public static AsyncQueries defaults(Clock clock) {
    return new AsyncQueries(2, 1000, Duration.ofHours(1), clock);
  }

  /**
   * Submits a query (or finds the one submitted with the same key).
   *
   * @param owner the recipient and table the query is for; polls must name the same
   * @param capabilities what the client asked for (without {@code asyncquery}), for every page
   * @param fileIdHash the submission's file-id header, for every page
   * @param plan runs the query's planning on the request without its key and paging; the answer's
   *     version pins the pages
   * @return the query's id
   */
  public String submit(
      String owner,
      QueryTableRequest request,
      Capabilities capabilities,
      String fileIdHash,
      java.util.function.Function<QueryTableRequest, StreamedAnswer> plan) {
    String key = request.idempotencyKey();
    if (key == null || key.isBlank()) {
      throw ServerErrors.invalidParameter("idempotency_key is required for async query.");
    }
    QueryTableRequest asked =
        request.toBuilder().idempotencyKey(null).maxFiles(null).pageToken(null).build();
    purge();
    String ownerKey = owner + "\n" + key;
    Query fresh = new Query(newId(), owner, asked, capabilities, fileIdHash);
    Query q = byKey.putIfAbsent(ownerKey, fresh);
    if (q != null && !q.expired(clock.millis())) {
      if (!q.fingerprint.equals(asked)
          || !q.capabilities.equals(capabilities)
          || !java.util.Objects.equals(q.fileIdHash, fileIdHash)) {
        throw ServerErrors.invalidParameter(
            "The idempotency key '"
                + key
                + "' was used for another query of this table; use a new key for new parameters.");
      }
      return q.id;
    }
    if (q != null) {
      byKey.put(ownerKey, fresh);
      byId.remove(q.id);
    }
    if (byId.size() >= maxQueries) {
      byKey.remove(ownerKey, fresh);
      throw new ServiceException(
          429,
          "RESOURCE_EXHAUSTED",
          "Too many asynchronous queries are pending or kept; retry later.");
    }
    byId.put(fresh.id, fresh);
    try {
      pool.execute(() -> run(fresh, asked, plan));
    } catch (RejectedExecutionException e) {
      byId.remove(fresh.id);
      byKey.remove(ownerKey, fresh);
      throw new ServiceException(
          429, "RESOURCE_EXHAUSTED", "Too many asynchronous queries are waiting; retry later.");
    }
    return fresh.id;
  }

  private void run(
      Query q,
      QueryTableRequest asked,
      java.util.function.Function<QueryTableRequest, StreamedAnswer> plan) {
    try {
      StreamedAnswer a = plan.apply(asked);
      QueryTableRequest pinned = asked;
      if (asked.startingVersion() == null) {
        // a snapshot: every page answers the version planned now, whatever the table does later
        // (refresh tokens are for "latest" queries only: the client pins the version to refresh)
        pinned =
            asked.toBuilder()
                .version(a.tableVersion())
                .timestamp(null)
                .includeRefreshToken(null)
                .refreshToken(null)
                .build();
      }
      q.pinned = pinned;
      q.state = State.DONE;
    } catch (ServiceException e) {
      q.error = e.getMessage();
      q.state = State.FAILED;
    } catch (RuntimeException | Error e) {
      LOG.warn("Asynchronous query {} failed", q.id, e);
      q.error = "The query failed on the server; its log has the details.";
      q.state = State.FAILED;
    } finally {
      q.doneAt = clock.millis();
    }
  }

  /** The query's state; 404 for an unknown or expired id, or one of another owner. */
  public Status status(String owner, String queryId) {
    Query q = byId.get(queryId);
    if (q == null || !q.owner.equals(owner) || q.expired(clock.millis())) {
      throw ServerErrors.notFound(
          "No asynchronous query '" + queryId + "' for this table (unknown or expired).");
    }
    return new Status(q.id, q.state, q.error, q.pinned, q.capabilities, q.fileIdHash);
  }

  /** Queries known now (tests, metrics). */
  public int size() {
    return byId.size();
  }

  private void purge() {
    long now = clock.millis();
    byId.values().removeIf(q -> q.expired(now));
    byKey.values().removeIf(q -> q.expired(now));
  }

  private static String newId() {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
