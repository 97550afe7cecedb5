package io.lakeshare.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.model.QueryTableRequest;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Body of {@code POST .../query} (CONFORMANCE §1.9.1, §0.5). Reading follows protobuf-JSON rules as
 * the reference server does: camelCase and snake_case names, int64 as number or string, unknown
 * fields ignored.
 */
final class QueryRequestCodec {
  private static final String WHERE = "QueryTableRequest";

  private QueryRequestCodec() {}

  static void write(QueryTableRequest r, JsonGenerator g) throws IOException {
    g.writeStartObject();
    if (r.predicateHints() != null) {
      g.writeArrayFieldStart("predicateHints");
      for (String h : r.predicateHints()) {
        g.writeString(h);
      }
      g.writeEndArray();
    }
    writeString(g, "jsonPredicateHints", r.jsonPredicateHints());
    writeLong(g, "limitHint", r.limitHint());
    writeLong(g, "version", r.version());
    writeString(g, "timestamp", r.timestamp());
    writeLong(g, "startingVersion", r.startingVersion());
    writeLong(g, "endingVersion", r.endingVersion());
    writeBoolean(g, "includeHistoricalProtocol", r.includeHistoricalProtocol());
    writeString(g, "idempotencyKey", r.idempotencyKey());
    if (r.maxFiles() != null) {
      g.writeNumberField("maxFiles", r.maxFiles());
    }
    writeString(g, "pageToken", r.pageToken());
    writeBoolean(g, "includeRefreshToken", r.includeRefreshToken());
    writeString(g, "refreshToken", r.refreshToken());
    g.writeEndObject();
  }

  private static void writeString(JsonGenerator g, String name, String v) throws IOException {
    if (v != null) {
      g.writeStringField(name, v);
    }
  }

  private static void writeLong(JsonGenerator g, String name, Long v) throws IOException {
    if (v != null) {
      g.writeNumberField(name, v);
    }
  }

  private static void writeBoolean(JsonGenerator g, String name, Boolean v) throws IOException {
    if (v != null) {
      g.writeBooleanField(name, v);
    }
  }

  /** Reads the body; the parser has not been advanced yet. */
  static QueryTableRequest read(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      return QueryTableRequest.EMPTY;
    }
    if (first != JsonToken.START_OBJECT) {
      throw new WireFormatException(
          "Request body is not a JSON object: found " + JsonScalars.describe(first));
    }
    QueryTableRequest.Builder b = QueryTableRequest.builder();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      readField(p, name, b);
    }
    if (p.nextToken() != null) {
      throw new WireFormatException("Request body has content after the JSON object");
    }
    return b.build();
  }

  private static void readField(JsonParser p, String name, QueryTableRequest.Builder b)
      throws IOException {
    switch (name) {
      case "predicateHints", "predicate_hints" ->
          b.predicateHints(JsonScalars.stringArray(p, "predicateHints", WHERE));
      case "jsonPredicateHints", "json_predicate_hints" -> b.jsonPredicateHints(predicateText(p));
      case "limitHint", "limit_hint" -> b.limitHint(JsonScalars.int64(p, "limitHint", WHERE));
      case "version" -> b.version(JsonScalars.int64(p, "version", WHERE));
      case "timestamp" -> b.timestamp(JsonScalars.string(p, "timestamp", WHERE));
      case "startingVersion", "starting_version" ->
          b.startingVersion(JsonScalars.int64(p, "startingVersion", WHERE));
      case "endingVersion", "ending_version" ->
          b.endingVersion(JsonScalars.int64(p, "endingVersion", WHERE));
      case "includeHistoricalProtocol", "include_historical_protocol" ->
          b.includeHistoricalProtocol(JsonScalars.bool(p, "includeHistoricalProtocol", WHERE));
      case "idempotencyKey", "idempotency_key" ->
          b.idempotencyKey(JsonScalars.string(p, "idempotencyKey", WHERE));
      case "maxFiles", "max_files" -> b.maxFiles(JsonScalars.int32(p, "maxFiles", WHERE));
      case "pageToken", "page_token" -> b.pageToken(JsonScalars.string(p, "pageToken", WHERE));
      case "includeRefreshToken", "include_refresh_token" ->
          b.includeRefreshToken(JsonScalars.bool(p, "includeRefreshToken", WHERE));
      case "refreshToken", "refresh_token" ->
          b.refreshToken(JsonScalars.string(p, "refreshToken", WHERE));
      default -> p.skipChildren();
    }
  }

  /**
   * SPEC and the reference send the predicate tree as a string; the OpenAPI file types it as an
   * object, so an object or array is accepted too and kept as its compact JSON text.
   */
  private static String predicateText(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      StringWriter out = new StringWriter();
      try (JsonGenerator g = WireJson.FACTORY.createGenerator(out)) {
        g.copyCurrentStructure(p);
      }
      return out.toString();
    }
    return JsonScalars.string(p, "jsonPredicateHints", WHERE);
  }
}
