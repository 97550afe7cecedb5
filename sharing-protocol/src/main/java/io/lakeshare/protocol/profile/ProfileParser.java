package io.lakeshare.protocol.profile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads profile files (CONFORMANCE §6): version 1 bearer profiles and version 2 profiles of type
 * {@code bearer_token}, {@code oauth_client_credentials} and {@code basic}. Unknown fields are
 * ignored. Every error names the profile's source (e.g. its path).
 */
public final class ProfileParser {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ProfileParser() {}

  /** Parses profile JSON text; {@code source} names it in error messages. */
  public static Profile parse(String json, String source) {
    try (JsonParser p = FACTORY.createParser(json)) {
      return read(p, source);
    } catch (JsonProcessingException e) {
      throw new ProfileException(
          "The profile " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a profile from a UTF-8 stream, which is not closed. */
  public static Profile parse(InputStream in, String source) {
    try (JsonParser p = FACTORY.createParser(in)) {
      return read(p, source);
    } catch (JsonProcessingException e) {
      throw new ProfileException(
          "The profile " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Profile read(JsonParser p, String source) throws IOException {
    p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new ProfileException("The profile " + source + " is not a JSON object");
    }
    Map<String, String> fields = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      if (!t.isScalarValue()) {
        p.skipChildren();
        if (isKnown(name)) {
          throw new ProfileException(
              "'" + name + "' in the profile " + source + " must be a string or number");
        }
        continue;
      }
      fields.put(name, p.getText());
    }
    return build(fields, source);
  }

  private static boolean isKnown(String name) {
    return switch (name) {
      case "shareCredentialsVersion",
          "type",
          "endpoint",
          "bearerToken",
          "expirationTime",
          "tokenEndpoint",
          "clientId",
          "clientSecret",
          "scope",
          "username",
          "password" ->
          true;
      default -> false;
    };
  }

  private static Profile build(Map<String, String> f, String source) {
    int version = version(f.get("shareCredentialsVersion"), source);
    String rawType = f.get("type");
    String type =
        rawType == null || rawType.isBlank()
            ? Profile.TYPE_BEARER_TOKEN
            : rawType.trim().toLowerCase(Locale.ROOT);
    String endpoint = httpUrl(required(f, "endpoint", source), "endpoint", source);
    switch (type) {
      case Profile.TYPE_BEARER_TOKEN -> {
        return new Profile(
            version,
            type,
            endpoint,
            required(f, "bearerToken", source),
            expiration(f.get("expirationTime"), source),
            null,
            null,
            null,
            null,
            null,
            null);
      }
      case Profile.TYPE_OAUTH_CLIENT_CREDENTIALS -> {
        requireVersion2(type, version, source);
        return new Profile(
            version,
            type,
            endpoint,
            null,
            null,
            httpUrl(required(f, "tokenEndpoint", source), "tokenEndpoint", source),
            required(f, "clientId", source),
            required(f, "clientSecret", source),
            blankToNull(f.get("scope")),
            null,
            null);
      }
      case Profile.TYPE_BASIC -> {
        requireVersion2(type, version, source);
        return new Profile(
            version,
            type,
            endpoint,
            null,
            null,
            null,
            null,
            null,
            null,
            required(f, "username", source),
            required(f, "password", source));
      }
      default ->
          throw new ProfileException(
              "Unsupported profile type '"
                  + rawType
                  + "' in the profile "
                  + source
                  + ". Supported types: bearer_token, oauth_client_credentials, basic");
    }
  }

  private static int version(String raw, String source) {
    if (raw == null) {
      throw missing("shareCredentialsVersion", source);
    }
    int v;
    try {
      v = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new ProfileException(
          "'shareCredentialsVersion' in the profile " + source + " is not an integer: " + raw);
    }
    if (v > Profile.MAX_VERSION) {
      throw new ProfileException(
          "'shareCredentialsVersion' in the profile is "
              + v
              + " which is too new. The current release supports version "
              + Profile.MAX_VERSION
              + " and below. Please upgrade to a newer release. (profile: "
              + source
              + ")");
    }
    if (v < 1) {
      throw new ProfileException(
          "'shareCredentialsVersion' in the profile " + source + " must be 1 or 2, got " + v);
    }
    return v;
  }

  private static void requireVersion2(String type, int version, String source) {
    if (version < 2) {
      throw new ProfileException(
          "The profile "
              + source
              + " has type '"
              + type
              + "', which needs 'shareCredentialsVersion' 2, but it says "
              + version);
    }
  }

  private static String required(Map<String, String> f, String field, String source) {
    String v = f.get(field);
    if (v == null || v.isBlank()) {
      throw missing(field, source);
    }
    return v;
  }

  private static ProfileException missing(String field, String source) {
    return new ProfileException("Cannot find the '" + field + "' field in the profile " + source);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String httpUrl(String url, String field, String source) {
    try {
      URI uri = new URI(url.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return url.trim();
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new ProfileException(
        "'" + field + "' in the profile " + source + " is not an http(s) URL: " + url);
  }

  /** ISO-8601 instant or offset date-time; a date-time without offset is read as UTC. */
  private static Instant expiration(String raw, String source) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String s = raw.trim();
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new ProfileException(
          "Invalid 'expirationTime' in the profile "
              + source
              + ": '"
              + raw
              + "' is not an ISO-8601 timestamp such as 2021-11-12T00:12:29.0Z");
    }
  }
}
