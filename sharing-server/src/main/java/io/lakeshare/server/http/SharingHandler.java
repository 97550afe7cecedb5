package io.lakeshare.server.http;

import io.lakeshare.protocol.json.WireFormatException;
import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.Capabilities;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.ErrorResponse;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.ProtocolConstants;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.server.auth.Authenticator;
import io.lakeshare.server.service.ActionSink;
import io.lakeshare.server.service.ChangesParams;
import io.lakeshare.server.service.ServerErrors;
import io.lakeshare.server.service.ServiceException;
import io.lakeshare.server.service.SharingServices;
import io.lakeshare.server.service.StreamedAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin HTTP binding of the protocol: routing, bearer authentication, parameter extraction, error
 * envelopes and NDJSON streaming. Protocol semantics live in the service package.
 */
public final class SharingHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(SharingHandler.class);
  private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  /** The request attribute naming the recipient a request was authenticated as. */
  public static final String RECIPIENT_ATTRIBUTE = "io.lakeshare.recipient";

  /** Who tokens are and what each recipient sees; replaced whole when recipients are reloaded. */
  private record Access(Authenticator authenticator, Map<String, SharingServices> services) {}

  private final String prefix;
  private final java.util.concurrent.atomic.AtomicReference<Access> access;
  private final io.lakeshare.server.service.AsyncQueries asyncQueries =
      io.lakeshare.server.service.AsyncQueries.defaults(java.time.Clock.systemUTC());
  private final java.util.concurrent.atomic.LongAdder clientDisconnects =
      new java.util.concurrent.atomic.LongAdder();

  /**
   * @param prefix the endpoint prefix, e.g. {@code /delta-sharing}
   * @param authenticator who a bearer token is
   * @param servicesByRecipient the services over what each recipient may see, by lower-cased name
   */
  public SharingHandler(
      String prefix,
      Authenticator authenticator,
      Map<String, SharingServices> servicesByRecipient) {
    this.prefix = prefix;
    this.access =
        new java.util.concurrent.atomic.AtomicReference<>(
            new Access(authenticator, Map.copyOf(servicesByRecipient)));
  }

  private volatile io.lakeshare.server.auth.LastUse lastUse;
  private volatile io.lakeshare.server.ops.RateLimiter rateLimiter;
  private volatile java.util.function.Consumer<String> onRateLimited;

  /** The error code of a request refused by the rate limit. */
  public static final String RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED";

  /**
   * Limits each recipient's request rate; a request over it gets 429 with {@code Retry-After} and
   * is reported to {@code onRateLimited}.
   */
  public void rateLimit(
      io.lakeshare.server.ops.RateLimiter limiter, java.util.function.Consumer<String> onLimited) {
    this.rateLimiter = limiter;
    this.onRateLimited = onLimited;
  }

  /** Where authenticated requests are noted for {@code recipients list}. */
  public void recordLastUse(io.lakeshare.server.auth.LastUse lastUse) {
    this.lastUse = lastUse;
  }

  /**
   * Replaces who tokens are and what each recipient sees, at once: a request uses the one it read
   * when it was authenticated, so requests in flight finish as they started.
   */
  public void replaceAccess(
      Authenticator authenticator, Map<String, SharingServices> servicesByRecipient) {
    access.set(new Access(authenticator, Map.copyOf(servicesByRecipient)));
  }

  /**
   * Answers that could not be written because the client went away (closed the connection, reset
   * it, or stopped reading until the write deadline closed it). A normal event: logged at DEBUG.
   */
  public long clientDisconnects() {
    return clientDisconnects.sum();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    boolean head = "HEAD".equals(method);
    try {
      if (!"POST".equals(method)) {
        // no route reads a body here; what a client sent anyway must not stay on the connection
        RequestBodies.drain(request, response);
      }
      Route route;
      try {
        route = Route.parse(request.getHttpURI().getPath(), prefix);
      } catch (IllegalArgumentException e) {
        throw ServerErrors.malformedRequest("The request path has " + e.getMessage() + ".");
      }
      if (route == null) {
        throw ServerErrors.notFound("No such endpoint.");
      }
      RequestRecord record = RequestRecord.of(request);
      if (record != null && route.size() >= 2) {
        record.table(
            route.get(1),
            route.size() >= 4 ? route.get(3) : null,
            route.size() >= 6 ? route.get(5) : null);
      }
      SharingServices services = authenticate(request);
      io.lakeshare.server.ops.RateLimiter limiter = rateLimiter;
      if (limiter != null) {
        String who = (String) request.getAttribute(RECIPIENT_ATTRIBUTE);
        long wait = limiter.acquire(who);
        if (wait > 0) {
          java.util.function.Consumer<String> hook = onRateLimited;
          if (hook != null) {
            hook.accept(who);
          }
          noteError(request, RESOURCE_EXHAUSTED);
          response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(wait));
          sendError(
              response,
              callback,
              429,
              RESOURCE_EXHAUSTED,
              "Too many requests; retry in " + wait + " s.",
              head);
          return true;
        }
      }
      dispatch(services, route, method, request, response, callback);
    } catch (NotAllowed e) {
      RequestBodies.drain(request, response);
      response.getHeaders().put(HttpHeader.ALLOW, e.allow);
      ServiceException se = ServerErrors.methodNotAllowed(method);
      noteError(request, se.errorCode());
      sendError(response, callback, se.status(), se.errorCode(), se.getMessage(), head);
    } catch (ServiceException e) {
      RequestBodies.drain(request, response);
      // a client error: one DEBUG line at most, never a stack trace
      LOG.debug(
          "{} {} -> {} {}", method, request.getHttpURI().getPath(), e.status(), e.errorCode());
      noteError(request, e.errorCode());
      sendError(response, callback, e.status(), e.errorCode(), e.getMessage(), head);
    } catch (WireFormatException e) {
      RequestBodies.drain(request, response);
      LOG.debug("{} {} -> 400 malformed body", method, request.getHttpURI().getPath());
      noteError(request, ErrorResponse.MALFORMED_REQUEST);
      sendError(response, callback, 400, ErrorResponse.MALFORMED_REQUEST, e.getMessage(), head);
    } catch (Exception e) {
      if (isClientGone(e)) {
        clientGone(method, request, e);
        callback.failed(e);
        return true;
      }
      LOG.error("Unexpected failure on {} {}", method, request.getHttpURI().getPath(), e);
      ServiceException internal = ServerErrors.internal();
      noteError(request, internal.errorCode());
      sendError(response, callback, 500, internal.errorCode(), internal.getMessage(), head);
    }
    return true;
  }

  private static void noteError(Request request, String errorCode) {
    RequestRecord record = RequestRecord.of(request);
    if (record != null) {
      record.errorCode(errorCode);
    }
  }

  private void clientGone(String method, Request request, Throwable e) {
    clientDisconnects.increment();
    LOG.debug(
        "Client went away during {} {}: {}", method, request.getHttpURI().getPath(), e.toString());
  }

  /**
   * Whether a failure only means the client is gone: Jetty's end-of-stream or closed-channel
   * exceptions, a reset or broken connection, or a write the slow-client deadline cut off.
   */
  static boolean isClientGone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.eclipse.jetty.io.EofException
          || t instanceof java.nio.channels.ClosedChannelException
          || t instanceof java.util.concurrent.TimeoutException
          || t instanceof java.util.concurrent.CancellationException) {
        return true;
      }
      if (t instanceof IOException && t.getMessage() != null) {
        String m = t.getMessage();
        if (m.contains("Broken pipe") || m.contains("Connection reset")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** A method the route does not serve; {@code allow} lists those it does. */
  private static final class NotAllowed extends RuntimeException {
    final String allow;

    NotAllowed(String allow) {
      super(null, null, false, false);
      this.allow = allow;
    }
  }

  private static java.net.InetAddress peerAddress(Request request) {
    java.net.SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
    return a instanceof java.net.InetSocketAddress i ? i.getAddress() : null;
  }

  /** The services over what the request's recipient may see; 401 for a bad credential. */
  private SharingServices authenticate(Request request) {
    Access current = access.get();
    Authenticator authenticator = current.authenticator();
    String recipient;
    if (authenticator.open()) {
      recipient = Authenticator.BEARER_TOKEN_RECIPIENT;
    } else {
      List<String> values = request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
      if (values.size() > 1) {
        // never pick one of several credentials by their order
        throw ServerErrors.malformedRequest("The request has more than one Authorization header.");
      }
      String header = values.isEmpty() ? null : values.get(0);
      String token =
          header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
              ? header.substring(7).trim()
              : null;
      Authenticator.Match match =
          token == null
              ? null
              : authenticator.authenticate(
                  token,
                  peerAddress(request),
                  request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
      if (match == null) {
        throw ServerErrors.unauthenticated();
      }
      if (match.expired()) {
        throw ServerErrors.tokenExpired();
      }
      if (!match.addressAllowed()) {
        throw ServerErrors.addressNotAllowed();
      }
      recipient = match.recipient();
    }
    request.setAttribute(RECIPIENT_ATTRIBUTE, recipient);
    RequestRecord record = RequestRecord.of(request);
    if (record != null) {
      record.recipient(recipient);
    }
    io.lakeshare.server.auth.LastUse uses = lastUse;
    if (uses != null) {
      uses.record(recipient);
    }
    SharingServices services = current.services().get(recipient.toLowerCase(Locale.ROOT));
    if (services == null) {
      throw new IllegalStateException("no services for recipient " + recipient);
    }
    return services;
  }

  private void dispatch(
      SharingServices services,
      Route r,
      String method,
      Request request,
      Response response,
      Callback callback)
      throws IOException {
    if (r.size() == 0 || !r.is(0, ProtocolConstants.PATH_SHARES)) {
      throw ServerErrors.notFound("No such endpoint.");
    }
    Fields params = PercentDecoding.queryParameters(request.getHttpURI().getQuery());
    switch (r.size()) {
      case 1 -> {
        requireGet(method);
        sendJson(
            response,
            callback,
            WireJson.writeSharesPage(
                services
                    .listing()
                    .listShares(
                        params.getValue(ProtocolConstants.PARAM_MAX_RESULTS),
                        params.getValue(ProtocolConstants.PARAM_PAGE_TOKEN))));
      }
      case 2 -> {
        requireGet(method);
        sendJson(
            response, callback, WireJson.writeShareResponse(services.listing().getShare(r.get(1))));
      }
      case 3 -> {
        requireGet(method);
        if (r.is(2, ProtocolConstants.PATH_SCHEMAS)) {
          sendJson(
              response,
              callback,
              WireJson.writeSchemasPage(
                  services
                      .listing()
                      .listSchemas(
                          r.get(1),
                          params.getValue(ProtocolConstants.PARAM_MAX_RESULTS),
                          params.getValue(ProtocolConstants.PARAM_PAGE_TOKEN))));
        } else if (r.is(2, ProtocolConstants.PATH_ALL_TABLES)) {
          sendJson(
              response,
              callback,
              WireJson.writeTablesPage(
                  services
                      .listing()
                      .listAllTables(
                          r.get(1),
                          params.getValue(ProtocolConstants.PARAM_MAX_RESULTS),
                          params.getValue(ProtocolConstants.PARAM_PAGE_TOKEN))));
        } else {
          throw ServerErrors.notFound("No such endpoint.");
        }
      }
      case 5 -> {
        requireGet(method);
        if (!r.is(2, ProtocolConstants.PATH_SCHEMAS) || !r.is(4, ProtocolConstants.PATH_TABLES)) {
          throw ServerErrors.notFound("No such endpoint.");
        }
        sendJson(
            response,
            callback,
            WireJson.writeTablesPage(
                services
                    .listing()
                    .listTables(
                        r.get(1),
                        r.get(3),
                        params.getValue(ProtocolConstants.PARAM_MAX_RESULTS),
                        params.getValue(ProtocolConstants.PARAM_PAGE_TOKEN))));
      }
      case 6 -> {
        // The deprecated HEAD form of the table-version call is the only method on this path.
        if (!isTablePath(r)) {
          throw ServerErrors.notFound("No such endpoint.");
        }
        if (!"HEAD".equals(method)) {
          throw new NotAllowed("HEAD");
        }
        long v =
            services
                .tables()
                .tableVersion(
                    r.get(1),
                    r.get(3),
                    r.get(5),
                    params.getValue(ProtocolConstants.PARAM_STARTING_TIMESTAMP));
        response.setStatus(200);
        response.getHeaders().put(ProtocolConstants.HEADER_TABLE_VERSION, Long.toString(v));
        response.write(true, null, callback);
      }
      case 7 -> tableAction(services, r, method, params, request, response, callback);
      case 8 -> {
        if (!isTablePath(r) || !r.is(6, ASYNC_QUERIES)) {
          throw ServerErrors.notFound("No such endpoint.");
        }
        if (!"POST".equals(method)) {
          throw new NotAllowed("POST");
        }
        pollAsync(services, request, response, callback, r.get(1), r.get(3), r.get(5), r.get(7));
      }
      default -> throw ServerErrors.notFound("No such endpoint.");
    }
  }

  private void tableAction(
      SharingServices services,
      Route r,
      String method,
      Fields params,
      Request request,
      Response response,
      Callback cb)
      throws IOException {
    if (!isTablePath(r)) {
      throw ServerErrors.notFound("No such endpoint.");
    }
    String share = r.get(1);
    String schema = r.get(3);
    String table = r.get(5);
    Capabilities caps =
        Capabilities.parse(request.getHeaders().get(ProtocolConstants.HEADER_CAPABILITIES));
    String fileIdHash = request.getHeaders().get(ProtocolConstants.HEADER_FILE_ID_HASH);
    switch (r.get(6)) {
      case ProtocolConstants.PATH_VERSION -> {
        requireGet(method);
        long v =
            services
                .tables()
                .tableVersion(
                    share,
                    schema,
                    table,
                    params.getValue(ProtocolConstants.PARAM_STARTING_TIMESTAMP));
        response.setStatus(200);
        response.getHeaders().put(ProtocolConstants.HEADER_TABLE_VERSION, Long.toString(v));
        response.write(true, null, cb);
      }
      case ProtocolConstants.PATH_METADATA -> {
        requireGet(method);
        versions(
            request,
            "version",
            params.getValue(ProtocolConstants.PARAM_VERSION),
            "timestamp",
            params.getValue(ProtocolConstants.PARAM_TIMESTAMP));
        stream(
            request,
            response,
            cb,
            services
                .tables()
                .metadata(
                    share,
                    schema,
                    table,
                    params.getValue(ProtocolConstants.PARAM_VERSION),
                    params.getValue(ProtocolConstants.PARAM_TIMESTAMP),
                    caps,
                    fileIdHash));
      }
      case ProtocolConstants.PATH_QUERY -> {
        if (!"POST".equals(method)) {
          throw new NotAllowed("POST");
        }
        QueryTableRequest body = readQuery(request);
        RequestBodies.drain(request, response);
        versions(
            request,
            "version",
            body.version(),
            "timestamp",
            body.timestamp(),
            "startingVersion",
            body.startingVersion(),
            "endingVersion",
            body.endingVersion());
        if (caps.asyncQuery()) {
          submitAsync(
              services, request, response, cb, share, schema, table, body, caps, fileIdHash);
          return;
        }
        stream(
            request,
            response,
            cb,
            services.tables().query(share, schema, table, body, caps, fileIdHash));
      }
      case ProtocolConstants.PATH_CHANGES -> {
        requireGet(method);
        ChangesParams p =
            new ChangesParams(
                params.getValue(ProtocolConstants.PARAM_STARTING_VERSION),
                params.getValue(ProtocolConstants.PARAM_STARTING_TIMESTAMP),
                params.getValue(ProtocolConstants.PARAM_ENDING_VERSION),
                params.getValue(ProtocolConstants.PARAM_ENDING_TIMESTAMP),
                params.getValue(ProtocolConstants.PARAM_INCLUDE_HISTORICAL_METADATA),
                params.getValue(ProtocolConstants.PARAM_MAX_FILES),
                params.getValue(ProtocolConstants.PARAM_PAGE_TOKEN));
        versions(
            request,
            "startingVersion",
            params.getValue(ProtocolConstants.PARAM_STARTING_VERSION),
            "startingTimestamp",
            params.getValue(ProtocolConstants.PARAM_STARTING_TIMESTAMP),
            "endingVersion",
            params.getValue(ProtocolConstants.PARAM_ENDING_VERSION),
            "endingTimestamp",
            params.getValue(ProtocolConstants.PARAM_ENDING_TIMESTAMP));
        stream(
            request,
            response,
            cb,
            services.tables().changes(share, schema, table, p, caps, fileIdHash));
      }
      case ProtocolConstants.PATH_TEMPORARY_CREDENTIALS -> {
        if (!"POST".equals(method)) {
          throw new NotAllowed("POST");
        }
        String location = readCredentialsLocation(request);
        RequestBodies.drain(request, response);
        io.lakeshare.protocol.model.TemporaryCredentials c =
            services.tables().temporaryCredentials(share, schema, table, location);
        // operators see every issuance (never the secrets)
        LOG.info(
            "Issued temporary credentials for table {}.{}.{}, location {}, expiring {}",
            share,
            schema,
            table,
            c.location(),
            java.time.Instant.ofEpochMilli(c.expirationTime()));
        sendJson(response, cb, WireJson.writeCredentialsResponse(c));
      }
      default -> throw ServerErrors.notFound("No such endpoint.");
    }
  }

  /** E10's path segment: {@code .../tables/{table}/queries/{queryId}}. */
  private static final String ASYNC_QUERIES = "queries";

  /** Who owns an asynchronous query: the recipient and the table, as the request names them. */
  private static String asyncOwner(Request request, String share, String schema, String table) {
    return request.getAttribute(RECIPIENT_ATTRIBUTE)
        + "\n"
        + share.toLowerCase(Locale.ROOT)
        + "."
        + schema.toLowerCase(Locale.ROOT)
        + "."
        + table.toLowerCase(Locale.ROOT);
  }

  /** E8 with {@code asyncquery=true}: starts the query's planning and answers its id at once. */
  private void submitAsync(
      SharingServices services,
      Request request,
      Response response,
      Callback cb,
      String share,
      String schema,
      String table,
      QueryTableRequest body,
      Capabilities caps,
      String fileIdHash) {
    Capabilities sync = caps.withAsyncQuery(false);
    String id =
        asyncQueries.submit(
            asyncOwner(request, share, schema, table),
            body,
            sync,
            fileIdHash,
            asked -> services.tables().query(share, schema, table, asked, sync, fileIdHash));
    sendQueryStatus(response, cb, caps.toHeaderValue(), id, "pending", null);
  }

  /** E10: a pending or failed query's status, or a page of its answer. */
  private void pollAsync(
      SharingServices services,
      Request request,
      Response response,
      Callback cb,
      String share,
      String schema,
      String table,
      String queryId)
      throws IOException {
    QueryTableRequest paging = readQuery(request);
    RequestBodies.drain(request, response);
    io.lakeshare.server.service.AsyncQueries.Status s =
        asyncQueries.status(asyncOwner(request, share, schema, table), queryId);
    String header = s.capabilities().withAsyncQuery(true).toHeaderValue();
    switch (s.state()) {
      case PENDING -> sendQueryStatus(response, cb, header, queryId, "pending", null);
      case FAILED -> sendQueryStatus(response, cb, header, queryId, "failed", s.errorMessage());
      case DONE -> {
        QueryTableRequest page =
            s.pinned().toBuilder()
                .maxFiles(paging.maxFiles())
                .pageToken(paging.pageToken())
                .build();
        // the recipient's access is checked again on every page
        stream(
            request,
            response,
            cb,
            services.tables().query(share, schema, table, page, s.capabilities(), s.fileIdHash()));
      }
    }
  }

  private static void sendQueryStatus(
      Response response,
      Callback cb,
      String capabilities,
      String queryId,
      String status,
      String errorMessage) {
    com.fasterxml.jackson.databind.node.ObjectNode line =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    com.fasterxml.jackson.databind.node.ObjectNode qs = line.putObject("queryStatus");
    qs.put("queryId", queryId);
    qs.put("status", status);
    if (errorMessage != null) {
      qs.put("errorMessage", errorMessage);
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProtocolConstants.CONTENT_TYPE_NDJSON);
    response.getHeaders().put(ProtocolConstants.HEADER_CAPABILITIES, capabilities);
    response.write(
        true,
        ByteBuffer.wrap((line.toString() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        cb);
  }

  /** The {@code location} of a temporary-credentials body, read leniently (null: the root). */
  private static String readCredentialsLocation(Request request) throws IOException {
    long length = request.getLength();
    if (length > MAX_BODY_BYTES) {
      throw ServerErrors.malformedRequest("The request body is larger than 4 MiB.");
    }
    try (InputStream in =
        new BoundedInputStream(Content.Source.asInputStream(request), MAX_BODY_BYTES)) {
      return WireJson.readCredentialsRequestLocation(in);
    }
  }

  private static boolean isTablePath(Route r) {
    return r.is(2, ProtocolConstants.PATH_SCHEMAS) && r.is(4, ProtocolConstants.PATH_TABLES);
  }

  private static void requireGet(String method) {
    if (!"GET".equals(method)) {
      throw new NotAllowed("GET");
    }
  }

  private static QueryTableRequest readQuery(Request request) throws IOException {
    long length = request.getLength();
    if (length > MAX_BODY_BYTES) {
      throw ServerErrors.malformedRequest("The request body is larger than 4 MiB.");
    }
    try (InputStream in =
        new BoundedInputStream(Content.Source.asInputStream(request), MAX_BODY_BYTES)) {
      return WireJson.readQueryRequest(in);
    }
  }

  /** Notes the versions a request asked for ({@code name=value} pairs, nulls left out). */
  private static void versions(Request request, Object... namesAndValues) {
    RequestRecord record = RequestRecord.of(request);
    if (record == null) {
      return;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      if (v != null) {
        String text = v.toString();
        if (text.length() > 64) {
          text = text.substring(0, 64);
        }
        b.append(b.length() == 0 ? "" : ",").append(namesAndValues[i]).append('=').append(text);
      }
    }
    record.versions(b.length() == 0 ? null : b.toString());
  }

  private void stream(Request request, Response response, Callback callback, StreamedAnswer answer)
      throws IOException {
    RequestRecord record = RequestRecord.of(request);
    if (record != null) {
      String caps = answer.capabilities();
      record.answer(
          answer.tableVersion(),
          caps != null && caps.toLowerCase(Locale.ROOT).contains("responseformat=delta")
              ? "delta"
              : "parquet");
    }
    NdjsonWriter writer =
        new NdjsonWriter(
            () -> {
              response.setStatus(200);
              response
                  .getHeaders()
                  .put(HttpHeader.CONTENT_TYPE, ProtocolConstants.CONTENT_TYPE_NDJSON);
              response
                  .getHeaders()
                  .put(
                      ProtocolConstants.HEADER_TABLE_VERSION, Long.toString(answer.tableVersion()));
              response
                  .getHeaders()
                  .put(ProtocolConstants.HEADER_CAPABILITIES, answer.capabilities());
              if (answer.fileIdHash() != null) {
                response
                    .getHeaders()
                    .put(ProtocolConstants.HEADER_FILE_ID_HASH, answer.fileIdHash());
              }
              return Content.Sink.asOutputStream(response);
            });
    ActionSink sink =
        record == null
            ? writer
            : new ActionSink() {
              @Override
              public void write(ResponseAction action) throws IOException {
                if (action instanceof FileAction f) {
                  record.addFile(f.size());
                } else if (action instanceof DeltaFileAction d) {
                  record.addFile(d.size());
                }
                writer.write(action);
              }

              @Override
              public void writeFileLine(byte[] line, int length, long fileSize) throws IOException {
                record.addFile(fileSize);
                writer.writeFileLine(line, length, fileSize);
              }
            };
    try {
      answer.writeTo(sink);
    } catch (RuntimeException | IOException e) {
      if (!writer.committed()) {
        writer.discard();
        throw e;
      }
      if (isClientGone(e)) {
        // nobody left to tell; a normal event, not an error
        clientDisconnects.increment();
        LOG.debug("Client went away during a streamed answer: {}", e.toString());
        callback.failed(e);
        return;
      }
      // Too late for a status code: the protocol's way is an endStreamAction with the error.
      ServiceException se = e instanceof ServiceException s ? s : ServerErrors.internal();
      if (record != null) {
        record.errorCode(se.errorCode());
      }
      if (!(e instanceof ServiceException)) {
        LOG.error("Answer failed after it started streaming", e);
      }
      try {
        writer.write(new EndStreamAction(null, null, null, se.getMessage(), se.status()));
        writer.finish();
      } catch (IOException ignored) {
        // the client went away; nothing more to tell it
      }
      callback.succeeded();
      return;
    }
    writer.finish();
    callback.succeeded();
  }

  private static void sendJson(Response response, Callback callback, byte[] body) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProtocolConstants.CONTENT_TYPE_JSON);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static void sendError(
      Response response,
      Callback callback,
      int status,
      String errorCode,
      String message,
      boolean head) {
    if (response.isCommitted()) {
      callback.failed(new IOException("response already committed"));
      return;
    }
    response.setStatus(status);
    if (status == 401) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
    }
    if (head) {
      response.write(true, null, callback);
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProtocolConstants.CONTENT_TYPE_JSON);
    byte[] body = WireJson.writeError(new ErrorResponse(errorCode, message));
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
