package io.lakeshare.protocol.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.lakeshare.protocol.profile.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0 client-credentials grant (CONFORMANCE §6.2): exchanges the profile's client id and
 * secret for an access token and reuses it until less than the renewal threshold remains.
 */
final class OAuthClientCredentials implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(OAuthClientCredentials.class);
  private static final JsonFactory FACTORY = new JsonFactory();
  static final Duration RENEWAL_THRESHOLD = Duration.ofSeconds(600);

  private final Profile profile;
  private final Transport transport;
  private final Clock clock;
  private String accessToken;
  private Instant renewAt = Instant.MIN;

  OAuthClientCredentials(Profile profile, Transport transport) {
    this.profile = profile;
    this.transport = transport;
    this.clock = transport.clock();
  }

  @Override
  public synchronized String authorization() {
    if (accessToken == null || !clock.instant().isBefore(renewAt)) {
      fetch();
    }
    return "Bearer " + accessToken;
  }

  @Override
  public synchronized boolean invalidate() {
    accessToken = null;
    return true;
  }

  private void fetch() {
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    if (profile.scope() != null) {
      form.append("&scope=").append(RequestUrl.encode(profile.scope()));
    }
    Transport.Call call =
        new Transport.Call(
            "POST",
            URI.create(profile.tokenEndpoint()),
            Map.of(
                "Accept",
                "application/json",
                "Authorization",
                Authenticator.basic(profile.clientId(), profile.clientSecret())),
            form.toString().getBytes(StandardCharsets.US_ASCII),
            "application/x-www-form-urlencoded");
    Instant requestedAt = clock.instant();
    TokenAnswer answer;
    try (ClassicHttpResponse resp = transport.open(call, null)) {
      HttpEntity entity = resp.getEntity();
      answer =
          readToken(entity == null ? InputStream.nullInputStream() : entity.getContent(), call);
      EntityUtils.consume(entity);
    } catch (IOException e) {
      throw transport.failure(call, "could not read the token response", e);
    }
    LOG.debug("Obtained an OAuth access token from {}", call.uri().getHost());
    accessToken = answer.token();
    // Renew ahead of expiry, but not sooner than at half-life, so short-lived tokens are reused.
    Duration half = answer.expiresIn().dividedBy(2);
    Duration margin = half.compareTo(RENEWAL_THRESHOLD) < 0 ? half : RENEWAL_THRESHOLD;
    renewAt = requestedAt.plus(answer.expiresIn()).minus(margin);
  }

  private record TokenAnswer(String token, Duration expiresIn) {}

  private TokenAnswer readToken(InputStream body, Transport.Call call) throws IOException {
    String token = null;
    Long seconds = null;
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw transport.failure(call, "the token response is not a JSON object", null);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("access_token") && t == JsonToken.VALUE_STRING) {
          token = p.getText();
        } else if (field.equals("expires_in") && t.isNumeric()) {
          seconds = p.getValueAsLong();
        } else if (field.equals("expires_in") && t == JsonToken.VALUE_STRING) {
          seconds = parseSeconds(p.getText(), call);
        } else {
          p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw transport.failure(call, "the token response is not valid JSON", e);
    }
    if (token == null || token.isEmpty()) {
      throw transport.failure(call, "the token response has no 'access_token'", null);
    }
    if (seconds == null || seconds <= 0) {
      throw transport.failure(call, "the token response has no positive 'expires_in'", null);
    }
    return new TokenAnswer(token, Duration.ofSeconds(seconds));
  }

  private long parseSeconds(String text, Transport.Call call) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw transport.failure(call, "'expires_in' is not a number: " + text, null);
    }
  }
}
