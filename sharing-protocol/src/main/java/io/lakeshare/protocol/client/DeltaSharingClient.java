package io.lakeshare.protocol.client;

import static io.lakeshare.protocol.model.ProtocolConstants.HEADER_CAPABILITIES;
import static io.lakeshare.protocol.model.ProtocolConstants.HEADER_FILE_ID_HASH;

import io.lakeshare.protocol.json.NdjsonReader;
import io.lakeshare.protocol.json.WireFormatException;
import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.ChangesRequest;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.MetadataLine;
import io.lakeshare.protocol.model.Page;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.ProtocolConstants;
import io.lakeshare.protocol.model.ProtocolLine;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.protocol.model.Schema;
import io.lakeshare.protocol.model.Share;
import io.lakeshare.protocol.model.Table;
import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.protocol.profile.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.util.Timeout;

/**
 * Client of the Delta Sharing REST protocol (CONFORMANCE §1) on Apache HttpClient 5 with a pooled
 * connection manager. Thread-safe; create one per profile and close it when done.
 *
 * <p>Every call is retried with exponential backoff on 429, 5xx and transient I/O errors, never on
 * other 4xx. Failures surface as {@link DeltaSharingException} naming the method and path.
 */
public final class DeltaSharingClient implements AutoCloseable {
  private static final String JSON = "application/json; charset=utf-8";

  private final Profile profile;
  private final Transport transport;
  private final Authenticator auth;

  private DeltaSharingClient(Builder b) {
    this.profile = b.profile;
    ConnectionConfig connections =
        ConnectionConfig.custom()
            .setConnectTimeout(Timeout.of(b.connectTimeout))
            .setSocketTimeout(Timeout.of(b.socketTimeout))
            .build();
    RequestConfig requests =
        RequestConfig.custom()
            .setConnectionRequestTimeout(Timeout.of(b.connectTimeout))
            .setResponseTimeout(Timeout.of(b.socketTimeout))
            .setRedirectsEnabled(false)
            .build();
    this.transport =
        new Transport(
            HttpClients.custom()
                .setConnectionManager(
                    PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(connections)
                        .setMaxConnTotal(b.maxConnections)
                        .setMaxConnPerRoute(b.maxConnections)
                        .build())
                .setDefaultRequestConfig(requests)
                .setUserAgent(b.userAgent)
                // Retries are ours (RetryPolicy); redirects could carry credentials elsewhere.
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .build(),
            new RetryPolicy(b.maxRetries, b.maxRetryDuration, b.initialBackoff, b.maxBackoff),
            b.clock,
            b.profile);
    this.auth = Authenticator.forProfile(profile, transport);
  }

  /** Starts configuring a client for {@code profile}. */
  public static Builder builder(Profile profile) {
    return new Builder(profile);
  }

  /** The profile this client talks to. */
  public Profile profile() {
    return profile;
  }

  // ---- listing -------------------------------------------------------------------------------

  /** One page of shares (E1). */
  public Page<Share> listShares(Integer maxResults, String pageToken) {
    RequestUrl url = url().path(ProtocolConstants.PATH_SHARES);
    return getJson(paged(url, maxResults, pageToken), WireJson::readSharesPage);
  }

  /** All shares, following page tokens. */
  public List<Share> listAllShares() {
    return collect(token -> listShares(null, token));
  }

  /** One share (E2). */
  public Share getShare(String share) {
    RequestUrl url = url().path(ProtocolConstants.PATH_SHARES).segment(share);
    return getJson(url, WireJson::readShareResponse);
  }

  /** One page of a share's schemas (E3). */
  public Page<Schema> listSchemas(String share, Integer maxResults, String pageToken) {
    RequestUrl url =
        url()
            .path(ProtocolConstants.PATH_SHARES)
            .segment(share)
            .path(ProtocolConstants.PATH_SCHEMAS);
    return getJson(paged(url, maxResults, pageToken), WireJson::readSchemasPage);
  }

  /** All schemas of a share. */
  public List<Schema> listAllSchemas(String share) {
    return collect(token -> listSchemas(share, null, token));
  }

  /** One page of a schema's tables (E4). */
  public Page<Table> listTables(String share, String schema, Integer maxResults, String pageToken) {
    RequestUrl url =
        url()
            .path(ProtocolConstants.PATH_SHARES)
            .segment(share)
            .path(ProtocolConstants.PATH_SCHEMAS)
            .segment(schema)
            .path(ProtocolConstants.PATH_TABLES);
    return getJson(paged(url, maxResults, pageToken), WireJson::readTablesPage);
  }

  /** All tables of a schema. */
  public List<Table> listAllTablesInSchema(String share, String schema) {
    return collect(token -> listTables(share, schema, null, token));
  }

  /** One page of all tables in a share (E5). */
  public Page<Table> listAllTables(String share, Integer maxResults, String pageToken) {
    RequestUrl url =
        url()
            .path(ProtocolConstants.PATH_SHARES)
            .segment(share)
            .path(ProtocolConstants.PATH_ALL_TABLES);
    return getJson(paged(url, maxResults, pageToken), WireJson::readTablesPage);
  }

  /** All tables of a share, across schemas. */
  public List<Table> listAllTablesInShare(String share) {
    return collect(token -> listAllTables(share, null, token));
  }

  // ---- table calls ---------------------------------------------------------------------------

  /**
   * The table's current version (E6), or with {@code startingTimestamp} the first version committed
   * at or after it.
   */
  public long getTableVersion(TableRef t, String startingTimestamp) {
    RequestUrl url =
        table(t)
            .path(ProtocolConstants.PATH_VERSION)
            .param(ProtocolConstants.PARAM_STARTING_TIMESTAMP, startingTimestamp);
    Transport.Call call = call("GET", url, Map.of(), null);
    ClassicHttpResponse resp = transport.open(call, auth);
    try {
      return AnswerChecks.tableVersion(resp, transport, call);
    } finally {
      Transport.release(resp);
    }
  }

  /** The table's current version through the deprecated {@code HEAD} call (E6h). */
  public long getTableVersionHead(TableRef t) {
    Transport.Call call = call("HEAD", table(t), Map.of(), null);
    ClassicHttpResponse resp = transport.open(call, auth);
    try {
      return AnswerChecks.tableVersion(resp, transport, call);
    } finally {
      Transport.release(resp);
    }
  }

  /**
   * The table's protocol and metadata (E7), at the latest version or at {@code version} / {@code
   * timestamp} (at most one). The answer is in the parquet or, when {@code options} accept it, the
   * delta response format ({@link MetadataResponse#respondedFormat()}); only a parquet {@link
   * Protocol} line is checked against this client's sharing-protocol reader version, a {@code
   * DeltaProtocol}'s reader version being Delta's.
   */
  public MetadataResponse getMetadata(
      TableRef t, Long version, String timestamp, RequestOptions options) {
    RequestUrl url =
        table(t)
            .path(ProtocolConstants.PATH_METADATA)
            .param(ProtocolConstants.PARAM_VERSION, version)
            .param(ProtocolConstants.PARAM_TIMESTAMP, timestamp);
    Transport.Call call = call("GET", url, optionHeaders(options), null);
    ClassicHttpResponse resp = transport.open(call, auth);
    try {
      long v = AnswerChecks.tableVersion(resp, transport, call);
      AnswerChecks.checkFormatAndFileIds(resp, transport, call, options);
      ProtocolLine protocol = null;
      MetadataLine metadata = null;
      try (NdjsonReader reader = new NdjsonReader(AnswerChecks.content(resp))) {
        while (reader.hasNext()) {
          ResponseAction a = reader.next();
          if (a instanceof ProtocolLine p && protocol == null) {
            protocol = p;
          } else if (a instanceof MetadataLine m && metadata == null) {
            metadata = m;
          } else if (a instanceof EndStreamAction e && e.errorMessage() != null) {
            throw transport.failure(call, "the server failed: " + e.errorMessage(), null);
          } else if (!(a instanceof EndStreamAction)) {
            throw transport.failure(call, "unexpected line in a metadata answer: " + a, null);
          }
        }
      } catch (WireFormatException e) {
        throw transport.failure(call, "malformed answer: " + e.getMessage(), e);
      } catch (UncheckedIOException | IOException e) {
        throw transport.failure(call, "the answer stream broke", e);
      }
      if (protocol == null || metadata == null) {
        throw transport.failure(call, "the answer lacks its protocol or metaData line", null);
      }
      String problem = protocol instanceof Protocol p ? AnswerChecks.readerVersionProblem(p) : null;
      if (problem != null) {
        throw transport.failure(call, problem, null);
      }
      return new MetadataResponse(v, protocol, metadata, AnswerChecks.headers(resp));
    } finally {
      Transport.release(resp);
    }
  }

  /**
   * Runs a query (E8) and returns the streamed answer, which the caller must close. A {@code null}
   * request sends {@code {}}. The lines are delta-format ones when {@code options} accept delta and
   * the server chose it ({@link QueryResponse#respondedFormat()}).
   */
  public QueryResponse queryTable(TableRef t, QueryTableRequest request, RequestOptions options) {
    byte[] body = WireJson.writeQueryRequest(request == null ? QueryTableRequest.EMPTY : request);
    Transport.Call call =
        call("POST", table(t).path(ProtocolConstants.PATH_QUERY), optionHeaders(options), body);
    return openStream(call, options);
  }

  /**
   * Submits a query to run asynchronously (E8 with {@code asyncquery=true}, CONFORMANCE §1.11),
   * with a new idempotency key when the request has none. A server that supports it answers {@link
   * AsyncAnswer.Pending} (or {@link AsyncAnswer.Failed}); one that does not answers the query at
   * once ({@link AsyncAnswer.Ready} without a query id).
   */
  public AsyncAnswer submitQuery(TableRef t, QueryTableRequest request, RequestOptions options) {
    QueryTableRequest r = request == null ? QueryTableRequest.EMPTY : request;
    if (r.idempotencyKey() == null) {
      r = r.toBuilder().idempotencyKey(java.util.UUID.randomUUID().toString()).build();
    }
    String caps = options == null ? null : options.capabilities();
    String asyncCaps =
        (caps == null || caps.isBlank() ? "" : caps + ";")
            + io.lakeshare.protocol.model.Capabilities.KEY_ASYNC_QUERY
            + "=true";
    RequestOptions withAsync =
        new RequestOptions(asyncCaps, options == null ? null : options.fileIdHash());
    Transport.Call call =
        call(
            "POST",
            table(t).path(ProtocolConstants.PATH_QUERY),
            optionHeaders(withAsync),
            WireJson.writeQueryRequest(r));
    return openAsync(call, options, null);
  }

  /**
   * Polls an asynchronous query (E10): pending, failed, or a page of its answer ({@code maxFiles}
   * and {@code pageToken} page it as they page a synchronous query). An unknown or expired id is a
   * {@link DeltaSharingException} with status 404.
   */
  public AsyncAnswer pollQuery(
      TableRef t, String queryId, Integer maxFiles, String pageToken, RequestOptions options) {
    Objects.requireNonNull(queryId, "queryId");
    Transport.Call call =
        call(
            "POST",
            table(t).path(ASYNC_QUERIES).segment(queryId),
            optionHeaders(options),
            WireJson.writeQueryRequest(
                QueryTableRequest.builder().maxFiles(maxFiles).pageToken(pageToken).build()));
    return openAsync(call, options, queryId);
  }

  private static final String ASYNC_QUERIES = "queries";

  /** A status line (no table version) or an answer. */
  private AsyncAnswer openAsync(Transport.Call call, RequestOptions options, String polledId) {
    ClassicHttpResponse resp = transport.open(call, auth);
    if (AnswerChecks.header(resp, ProtocolConstants.HEADER_TABLE_VERSION) != null) {
      try {
        long v = AnswerChecks.tableVersion(resp, transport, call);
        AnswerChecks.checkFormatAndFileIds(resp, transport, call, options);
        return new AsyncAnswer.Ready(
            polledId, new QueryResponse(resp, AnswerChecks.content(resp), transport, call, v));
      } catch (IOException e) {
        Transport.abort(resp);
        throw transport.failure(call, "could not open the answer stream", e);
      } catch (RuntimeException e) {
        Transport.abort(resp);
        throw e;
      }
    }
    try (InputStream in = AnswerChecks.content(resp)) {
      String[] status = WireJson.readQueryStatus(in);
      if (status == null || status[0] == null) {
        throw transport.failure(
            call, "the answer has neither a table version nor a queryStatus line", null);
      }
      if (polledId != null && !polledId.equals(status[0])) {
        throw transport.failure(
            call, "the server answered for query " + status[0] + " instead of " + polledId, null);
      }
      return "failed".equalsIgnoreCase(status[1])
          ? new AsyncAnswer.Failed(status[0], status[2] == null ? "(no message)" : status[2])
          : new AsyncAnswer.Pending(status[0]);
    } catch (IOException e) {
      throw transport.failure(call, "could not read the query status", e);
    } finally {
      try {
        resp.close();
      } catch (IOException e) {
        // the status was read; nothing left to release
      }
    }
  }

  /**
   * Reads the change data feed (E9) and returns the streamed answer, which the caller must close:
   * protocol, metaData, then {@code add}/{@code cdf}/{@code remove} file lines (and {@code
   * metaData} lines with {@code includeHistoricalMetadata}). {@link QueryResponse#tableVersion()}
   * is the resolved start version.
   */
  public QueryResponse getChanges(TableRef t, ChangesRequest request, RequestOptions options) {
    Objects.requireNonNull(request, "request");
    RequestUrl url =
        table(t)
            .path(ProtocolConstants.PATH_CHANGES)
            .param(ProtocolConstants.PARAM_STARTING_VERSION, request.startingVersion())
            .param(ProtocolConstants.PARAM_STARTING_TIMESTAMP, request.startingTimestamp())
            .param(ProtocolConstants.PARAM_ENDING_VERSION, request.endingVersion())
            .param(ProtocolConstants.PARAM_ENDING_TIMESTAMP, request.endingTimestamp())
            .param(
                ProtocolConstants.PARAM_INCLUDE_HISTORICAL_METADATA,
                request.includeHistoricalMetadata())
            .param(ProtocolConstants.PARAM_MAX_FILES, request.maxFiles())
            .param(ProtocolConstants.PARAM_PAGE_TOKEN, request.pageToken());
    Transport.Call call = call("GET", url, optionHeaders(options), null);
    return openStream(call, options);
  }

  /**
   * Asks for temporary read credentials of a table's directory (E11, directory access): for the
   * table root when {@code location} is null, else for that location under it.
   */
  public TemporaryCredentials generateTemporaryTableCredential(TableRef t, String location) {
    Transport.Call call =
        call(
            "POST",
            table(t).path(ProtocolConstants.PATH_TEMPORARY_CREDENTIALS),
            Map.of("Accept", "application/json"),
            WireJson.writeCredentialsRequest(location));
    return readJson(call, WireJson::readCredentialsResponse);
  }

  private QueryResponse openStream(Transport.Call call, RequestOptions options) {
    ClassicHttpResponse resp = transport.open(call, auth);
    try {
      long v = AnswerChecks.tableVersion(resp, transport, call);
      AnswerChecks.checkFormatAndFileIds(resp, transport, call, options);
      return new QueryResponse(resp, AnswerChecks.content(resp), transport, call, v);
    } catch (IOException e) {
      Transport.abort(resp);
      throw transport.failure(call, "could not open the answer stream", e);
    } catch (RuntimeException e) {
      Transport.abort(resp);
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      transport.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private RequestUrl url() {
    return new RequestUrl(profile.endpoint());
  }

  private RequestUrl table(TableRef t) {
    return url()
        .path(ProtocolConstants.PATH_SHARES)
        .segment(t.share())
        .path(ProtocolConstants.PATH_SCHEMAS)
        .segment(t.schema())
        .path(ProtocolConstants.PATH_TABLES)
        .segment(t.table());
  }

  private static RequestUrl paged(RequestUrl url, Integer maxResults, String pageToken) {
    return url.param(ProtocolConstants.PARAM_MAX_RESULTS, maxResults)
        .param(ProtocolConstants.PARAM_PAGE_TOKEN, pageToken);
  }

  private static Transport.Call call(
      String method, RequestUrl url, Map<String, String> headers, byte[] body) {
    return new Transport.Call(method, url.toUri(), headers, body, body == null ? null : JSON);
  }

  private static Map<String, String> optionHeaders(RequestOptions options) {
    Map<String, String> h = new LinkedHashMap<>();
    if (options != null && options.capabilities() != null) {
      h.put(HEADER_CAPABILITIES, options.capabilities());
    }
    if (options != null && options.fileIdHash() != null) {
      h.put(HEADER_FILE_ID_HASH, options.fileIdHash());
    }
    return h;
  }

  private interface BodyReader<T> {
    T read(InputStream in);
  }

  private <T> T getJson(RequestUrl url, BodyReader<T> reader) {
    return readJson(call("GET", url, Map.of("Accept", "application/json"), null), reader);
  }

  /** Sends {@code call} and reads its one-object JSON answer. */
  private <T> T readJson(Transport.Call call, BodyReader<T> reader) {
    ClassicHttpResponse resp = transport.open(call, auth);
    try {
      return reader.read(AnswerChecks.content(resp));
    } catch (WireFormatException e) {
      throw transport.failure(call, "malformed answer: " + e.getMessage(), e);
    } catch (UncheckedIOException | IOException e) {
      throw transport.failure(call, "the answer stream broke", e);
    } finally {
      Transport.release(resp);
    }
  }

  /** Follows page tokens until none is left; fails on a token that was already used. */
  private <T> List<T> collect(Function<String, Page<T>> fetch) {
    List<T> all = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String token = null;
    do {
      Page<T> page = fetch.apply(token);
      all.addAll(page.items());
      token = page.nextPageToken();
      if (token != null && !seen.add(token)) {
        throw new DeltaSharingException(
            "The server returned the page token '"
                + token
                + "' twice; stopping to avoid an endless listing",
            0,
            null,
            null,
            null);
      }
    } while (token != null);
    return all;
  }

  /** Configures a {@link DeltaSharingClient}; every setting has a production default. */
  public static final class Builder {
    private final Profile profile;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration socketTimeout = Duration.ofMinutes(5);
    private int maxRetries = 5;
    private Duration maxRetryDuration = Duration.ofMinutes(10);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private String userAgent = defaultUserAgent();
    private int maxConnections = 32;
    private Clock clock = Clock.systemUTC();

    private Builder(Profile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
    }

    /** TCP connect timeout (default 30 s). */
    public Builder connectTimeout(Duration d) {
      connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    /** Longest wait for the next bytes of an answer (default 5 min). */
    public Builder socketTimeout(Duration d) {
      socketTimeout = positive(d, "socketTimeout");
      return this;
    }

    /** Retries after the first attempt (default 5; 0 disables retrying). */
    public Builder maxRetries(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("maxRetries must be >= 0, got " + n);
      }
      maxRetries = n;
      return this;
    }

    /** Total time budget for one call including its retries (default 10 min). */
    public Builder maxRetryDuration(Duration d) {
      maxRetryDuration = positive(d, "maxRetryDuration");
      return this;
    }

    /** Wait before the first retry, doubled for each later one (default 1 s). */
    public Builder initialBackoff(Duration d) {
      initialBackoff = positive(d, "initialBackoff");
      return this;
    }

    /** {@code User-Agent} of every request. */
    public Builder userAgent(String ua) {
      userAgent = Objects.requireNonNull(ua, "userAgent");
      return this;
    }

    /** Most connections kept open to the server (default 32). */
    public Builder maxConnections(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConnections must be >= 1, got " + n);
      }
      maxConnections = n;
      return this;
    }

    /** Clock for token renewal and profile expiry (tests). */
    Builder clock(Clock c) {
      clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** Creates the client; close it to release its connections. */
    public DeltaSharingClient build() {
      return new DeltaSharingClient(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }

    private static String defaultUserAgent() {
      String v = DeltaSharingClient.class.getPackage().getImplementationVersion();
      return "Lakeshare/" + (v == null ? "dev" : v) + " Java/" + System.getProperty("java.version");
    }
  }
}
