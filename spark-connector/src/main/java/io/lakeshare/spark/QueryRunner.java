package io.lakeshare.spark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.protocol.client.QueryResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.ChangesRequest;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Metadata;
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
  private static final String CAPABILITIES = "responseformat=parquet";

  private QueryRunner() {}

  static FileListing run(
      DeltaSharingClient client,
      TableRef table,
      QueryTableRequest request,
      boolean paginate,
      int pageSize) {
    QueryTableRequest first = paginate ? request.toBuilder().maxFiles(pageSize).build() : request;
    return collect(
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
                new RequestOptions(CAPABILITIES, null)));
  }

  /** Runs a change data feed query (E9) through every page. */
  static FileListing runChanges(
      DeltaSharingClient client,
      TableRef table,
      ChangesRequest request,
      boolean paginate,
      int pageSize) {
    return collect(
        token ->
            client.getChanges(
                table,
                request.toBuilder().maxFiles(paginate ? pageSize : null).pageToken(token).build(),
                new RequestOptions(CAPABILITIES, null)));
  }

  private static FileListing collect(Function<String, QueryResponse> page) {
    List<PlannedFile> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Metadata metadata = null;
    List<Metadata> later = new ArrayList<>();
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
          } else if (a instanceof Metadata m) {
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
