package io.lakeshare.spark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.client.AsyncAnswer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.protocol.client.QueryResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.ChangesRequest;
import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.MetadataLine;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Runs a snapshot query through every page and collects the files; no Spark types involved. */
final class QueryRunner {
  /** Assumed life of a URL whose expiry the server does not say (the reference's default). */
  static final long DEFAULT_URL_LIFE_MS = 60 * 60 * 1000L;

  private static final JsonFactory JSON = new JsonFactory();

  private QueryRunner() {}

  static FileListing run(
      DeltaSharingClient client,
      TableRef table,
      QueryTableRequest request,
      boolean paginate,
      int pageSize,
      AnswerFormat format) {
    QueryTableRequest first = paginate ? request.toBuilder().maxFiles(pageSize).build() : request;
    boolean snapshot = request.startingVersion() == null;
    return collect(
        snapshot,
        token ->
            client.queryTable(
                table,
                token == null
                    ? first
                    // the server accepts refresh-token fields on the first page only
                    : request.toBuilder()
                        .refreshToken(null)
                        .includeRefreshToken(null)
                        .maxFiles(paginate ? pageSize : null)
                        .pageToken(token)
                        .build(),
                new RequestOptions(format.answerCapabilities(), null)));
  }

  /**
   * Runs a snapshot query as an asynchronous query (CONFORMANCE §1.11): submits it, polls until the
   * server has planned it (waits start at 100 ms and double up to {@code maxInterval}), fails at
   * once when it failed, and reads its pages like a synchronous answer's. A server without
   * asynchronous queries answers the submission at once, which is read as it is.
   *
   * @param timeout how long the query may stay pending
   */
  static FileListing runAsync(
      DeltaSharingClient client,
      TableRef table,
      QueryTableRequest request,
      boolean paginate,
      int pageSize,
      AnswerFormat format,
      java.time.Duration maxInterval,
      java.time.Duration timeout) {
    RequestOptions options = new RequestOptions(format.answerCapabilities(), null);
    QueryTableRequest submitted = request.toBuilder().maxFiles(null).pageToken(null).build();
    Integer maxFiles = paginate ? pageSize : null;
    String[] queryId = {null};
    return collect(
        request.startingVersion() == null,
        token -> {
          if (token != null) {
            return ready(client.pollQuery(table, queryId[0], maxFiles, token, options), queryId[0]);
          }
          long deadline = System.nanoTime() + timeout.toNanos();
          long waitMs = Math.min(100, maxInterval.toMillis());
          AsyncAnswer a = client.submitQuery(table, submitted, options);
          while (a instanceof AsyncAnswer.Pending p) {
            queryId[0] = p.queryId();
            if (System.nanoTime() - deadline > 0) {
              throw new DeltaSharingException(
                  "the asynchronous query "
                      + p.queryId()
                      + " is still pending after "
                      + timeout.toSeconds()
                      + " s (spark.delta.sharing.network.asyncQueryTimeout)",
                  0,
                  null,
                  null,
                  null);
            }
            try {
              Thread.sleep(waitMs);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new DeltaSharingException(
                  "interrupted while waiting for asynchronous query " + p.queryId(),
                  0,
                  null,
                  null,
                  e);
            }
            waitMs = Math.min(waitMs * 2, maxInterval.toMillis());
            a = client.pollQuery(table, p.queryId(), maxFiles, null, options);
          }
          if (a instanceof AsyncAnswer.Ready r && r.queryId() != null) {
            queryId[0] = r.queryId();
          }
          return ready(a, queryId[0]);
        });
  }

  private static QueryResponse ready(AsyncAnswer a, String queryId) {
    if (a instanceof AsyncAnswer.Ready r) {
      return r.response();
    }
    if (a instanceof AsyncAnswer.Failed f) {
      throw new DeltaSharingException(
          "the asynchronous query " + f.queryId() + " failed on the server: " + f.message(),
          0,
          null,
          null,
          null);
    }
    throw new DeltaSharingException(
        "the asynchronous query " + queryId + " was pending again for a later page",
        0,
        null,
        null,
        null);
  }

  /**
   * Runs a change data feed query (E9) through every page; a file whose deletion vector changed in
   * a commit becomes the reads of its deleted and restored rows ({@link ChangePairs}).
   */
  static FileListing runChanges(
      DeltaSharingClient client,
      TableRef table,
      ChangesRequest request,
      boolean paginate,
      int pageSize,
      AnswerFormat format) {
    FileListing l =
        collect(
            false,
            token ->
                client.getChanges(
                    table,
                    request.toBuilder()
                        .maxFiles(paginate ? pageSize : null)
                        .pageToken(token)
                        .build(),
                    new RequestOptions(format.answerCapabilities(), null)));
    return new FileListing(
        l.version(),
        l.metadata(),
        l.laterMetadata(),
        ChangePairs.resolve(l.files()),
        l.refreshToken());
  }

  /**
   * @param snapshot whether the answer lists a snapshot's files (delta-format {@code add} actions
   *     are then snapshot files) rather than changes
   */
  private static FileListing collect(boolean snapshot, Function<String, QueryResponse> page) {
    List<PlannedFile> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    MetadataLine metadata = null;
    List<MetadataLine> later = new ArrayList<>();
    String refreshToken = null;
    Long version = null;
    String token = null;
    int pages = 0;
    do {
      String next = null;
      long now = System.currentTimeMillis();
      try (QueryResponse answer = page.apply(token)) {
        if (version == null) {
          version = answer.tableVersion();
        }
        while (answer.hasNext()) {
          ResponseAction a = answer.next();
          if (a instanceof FileAction f) {
            // a file may be listed again on a later page after a retry; and a change range may
            // hold an add and a remove of one file id in different versions
            String key = f.kind() + "/" + f.version() + "/" + f.id();
            if (seen.add(key)) {
              long expires =
                  f.expirationTimestamp() != null
                      ? f.expirationTimestamp()
                      : now + DEFAULT_URL_LIFE_MS;
              files.add(
                  new PlannedFile(
                      f.id(),
                      f.url(),
                      expires,
                      f.size(),
                      f.partitionValues(),
                      numRecords(f.stats()),
                      f.kind(),
                      f.version() == null ? -1 : f.version(),
                      f.timestamp() == null ? -1 : f.timestamp()));
            }
          } else if (a instanceof DeltaFileAction f) {
            String key = f.kind() + "/" + f.version() + "/" + f.id();
            if (seen.add(key)) {
              files.add(planned(f, snapshot, now));
            }
          } else if (a instanceof MetadataLine m) {
            if (metadata == null) {
              metadata = m;
            } else if (pages == 0 || !m.equals(metadata)) {
              later.add(m);
            }
          } else if (a instanceof EndStreamAction e) {
            next = e.nextPageToken();
            if (e.refreshToken() != null) {
              refreshToken = e.refreshToken();
            }
          }
        }
      }
      pages++;
      if (pages > 1_000_000) {
        throw new DeltaSharingException("the server keeps returning pages", 0, null, null, null);
      }
      token = next == null || next.isEmpty() ? null : next;
    } while (token != null);
    if (metadata == null) {
      throw new DeltaSharingException("the answer has no metaData line", 0, null, null, null);
    }
    return new FileListing(version == null ? -1 : version, metadata, later, files, refreshToken);
  }

  /** A delta-format file line as a planned file; its deletion vector is the rows to skip. */
  private static PlannedFile planned(DeltaFileAction f, boolean snapshot, long now) {
    long expires =
        f.expirationTimestamp() != null ? f.expirationTimestamp() : now + DEFAULT_URL_LIFE_MS;
    FileAction.Kind kind =
        switch (f.kind()) {
          case ADD -> snapshot ? FileAction.Kind.FILE : FileAction.Kind.ADD;
          case REMOVE -> FileAction.Kind.REMOVE;
          case CDC -> FileAction.Kind.CDF;
        };
    DeletionVector dv = f.deletionVector();
    String dvId = null;
    if (dv != null && !dv.isInline()) {
      // a stable id keeps refreshed vector URLs matched to the files that use them
      dvId =
          f.deletionVectorFileId() != null
              ? "dv:" + f.deletionVectorFileId()
              : "dv:" + f.id() + "@" + f.version() + "/" + f.kind().wireName();
    }
    long rows = numRecords(f.stats());
    if (rows >= 0 && dv != null) {
      rows = Math.max(0, rows - dv.cardinality()); // stats count the rows before deletion
    }
    return new PlannedFile(
        f.id(),
        f.path(),
        expires,
        f.size(),
        f.partitionValues(),
        rows,
        kind,
        f.version() == null ? -1 : f.version(),
        f.timestamp() == null ? -1 : f.timestamp(),
        dv,
        dvId,
        null,
        null);
  }

  /** {@code numRecords} of a stats JSON object, or -1. */
  static long numRecords(String stats) {
    if (stats == null || stats.isEmpty()) {
      return -1;
    }
    try (JsonParser p = JSON.createParser(stats)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return -1;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if ("numRecords".equals(name) && v == JsonToken.VALUE_NUMBER_INT) {
          return p.getLongValue();
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
