package io.lakeshare.protocol.profile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * A Delta Sharing profile (CONFORMANCE §6): where the server is and how to authenticate. Fields
 * that do not apply to {@code type} are {@code null}. Trailing {@code /} of {@code endpoint} and
 * {@code tokenEndpoint} are stripped. {@link #toString()} hides the secrets.
 */
public record Profile(
    int shareCredentialsVersion,
    String type,
    String endpoint,
    String bearerToken,
    Instant expirationTime,
    String tokenEndpoint,
    String clientId,
    String clientSecret,
    String scope,
    String username,
    String password)
    implements java.io.Serializable {

  /** Highest {@code shareCredentialsVersion} this library reads. */
  public static final int MAX_VERSION = 2;

  /** A fixed bearer token (version 1, or version 2 {@code bearer_token}). */
  public static final String TYPE_BEARER_TOKEN = "bearer_token";

  /** OAuth 2.0 client-credentials grant (version 2). */
  public static final String TYPE_OAUTH_CLIENT_CREDENTIALS = "oauth_client_credentials";

  /** HTTP Basic authentication (version 2). */
  public static final String TYPE_BASIC = "basic";

  private static final JsonFactory FACTORY = new JsonFactory();

  public Profile {
    type = type == null ? TYPE_BEARER_TOKEN : type.trim().toLowerCase(Locale.ROOT);
    endpoint = stripTrailingSlashes(endpoint);
    tokenEndpoint = stripTrailingSlashes(tokenEndpoint);
  }

  /** A version-1 bearer-token profile; {@code expirationTime} may be {@code null}. */
  public static Profile bearer(String endpoint, String bearerToken, Instant expirationTime) {
    return new Profile(
        1,
        TYPE_BEARER_TOKEN,
        endpoint,
        bearerToken,
        expirationTime,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** A version-2 OAuth client-credentials profile; {@code scope} may be {@code null}. */
  public static Profile oauthClientCredentials(
      String endpoint, String tokenEndpoint, String clientId, String clientSecret, String scope) {
    return new Profile(
        2,
        TYPE_OAUTH_CLIENT_CREDENTIALS,
        endpoint,
        null,
        null,
        tokenEndpoint,
        clientId,
        clientSecret,
        scope,
        null,
        null);
  }

  /** A version-2 HTTP Basic profile. */
  public static Profile basic(String endpoint, String username, String password) {
    return new Profile(
        2, TYPE_BASIC, endpoint, null, null, null, null, null, null, username, password);
  }

  private static String stripTrailingSlashes(String s) {
    if (s == null) {
      return null;
    }
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }

  /** Whether the bearer token's {@code expirationTime} has passed; never for profiles without. */
  public boolean isExpired(Clock clock) {
    return expirationTime != null && !clock.instant().isBefore(expirationTime);
  }

  /** The profile file's JSON text; {@link ProfileParser} reads it back to an equal profile. */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("shareCredentialsVersion", shareCredentialsVersion);
      if (shareCredentialsVersion >= 2) {
        g.writeStringField("type", type);
      }
      writeIfSet(g, "endpoint", endpoint);
      writeIfSet(g, "tokenEndpoint", tokenEndpoint);
      writeIfSet(g, "clientId", clientId);
      writeIfSet(g, "clientSecret", clientSecret);
      writeIfSet(g, "scope", scope);
      writeIfSet(g, "bearerToken", bearerToken);
      writeIfSet(g, "username", username);
      writeIfSet(g, "password", password);
      writeIfSet(g, "expirationTime", expirationTime == null ? null : expirationTime.toString());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeIfSet(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  @Override
  public String toString() {
    return "Profile[shareCredentialsVersion="
        + shareCredentialsVersion
        + ", type="
        + type
        + ", endpoint="
        + endpoint
        + ", expirationTime="
        + expirationTime
        + ", tokenEndpoint="
        + tokenEndpoint
        + ", clientId="
        + clientId
        + ", scope="
        + scope
        + ", username="
        + username
        + ", secrets hidden]";
  }
}
