package io.lakeshare.server.storage.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import reactor.core.publisher.Mono;

/**
 * A service principal's OAuth2 client-credentials grant against Entra ID: the one call
 * azure-identity would make for a client secret, without its dependency tree.
 */
final class ClientSecretCredential implements TokenCredential {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final URI tokenUri;
  private final String clientId;
  private final String clientSecret;

  ClientSecretCredential(String authorityHost, String tenantId, String clientId, String secret) {
    String host = authorityHost == null ? "https://login.microsoftonline.com" : authorityHost;
    this.tokenUri =
        URI.create(
            host
                + "/"
                + URLEncoder.encode(tenantId, StandardCharsets.UTF_8)
                + "/oauth2/v2.0/token");
    this.clientId = clientId;
    this.clientSecret = secret;
  }

  @Override
  public Mono<AccessToken> getToken(TokenRequestContext request) {
    return Mono.fromCallable(() -> fetch(String.join(" ", request.getScopes())));
  }

  private AccessToken fetch(String scope) throws IOException, InterruptedException {
    String form =
        "grant_type=client_credentials&client_id="
            + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)
            + "&scope="
            + URLEncoder.encode(scope, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(tokenUri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    if (r.statusCode() != 200 || !body.hasNonNull("access_token")) {
      // Entra's error text names the problem (bad secret, unknown app) and holds no secret.
      throw new IOException(
          "Entra ID refused the service principal "
              + clientId
              + " (HTTP "
              + r.statusCode()
              + "): "
              + body.path("error_description").asText(body.path("error").asText()));
    }
    return new AccessToken(
        body.get("access_token").asText(),
        OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(body.path("expires_in").asLong(3600)));
  }
}
