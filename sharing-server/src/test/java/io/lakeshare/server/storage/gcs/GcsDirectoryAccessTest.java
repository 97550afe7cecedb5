package io.lakeshare.server.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.api.client.testing.http.MockHttpTransport;
import com.google.api.client.testing.http.MockLowLevelHttpRequest;
import com.google.api.client.testing.http.MockLowLevelHttpResponse;
import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.server.config.StorageConfig;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Downscoped tokens for directory access: the service account's token comes from {@link
 * JsonApiFake}'s token endpoint over real HTTP; the exchange at Google's Security Token Service is
 * answered by a recording transport, which checks the request the library sends, with the access
 * boundary document exactly.
 */
class GcsDirectoryAccessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonApiFake fake;
  private final List<String> urls = new ArrayList<>();
  private final List<Map<String, String>> forms = new ArrayList<>();

  GcsDirectoryAccessTest() throws java.io.IOException {
    fake = new JsonApiFake("lake");
  }

  private GcsStorage storage(boolean directoryAccess) {
    String key =
        GcsUrlSignerTest.keyJson()
            .replace("https://oauth2.googleapis.com/token", fake.endpoint() + "/token");
    GcsStorage gcs =
        GcsStorage.of(
            new StorageConfig.Gcs(
                "g", null, key, fake.endpoint(), null, null, null, directoryAccess));
    gcs.stsTransport(
        () ->
            new MockHttpTransport() {
              @Override
              public LowLevelHttpRequest buildRequest(String method, String url) {
                return new MockLowLevelHttpRequest(url) {
                  @Override
                  public LowLevelHttpResponse execute() throws java.io.IOException {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    getStreamingContent().writeTo(body);
                    urls.add(method + " " + url);
                    forms.add(form(body.toString(StandardCharsets.UTF_8)));
                    return new MockLowLevelHttpResponse()
                        .setContentType("application/json")
                        .setContent(
                            "{\"access_token\":\"downscoped-token\",\"issued_token_type\":"
                                + "\"urn:ietf:params:oauth:token-type:access_token\","
                                + "\"token_type\":\"Bearer\",\"expires_in\":1800}");
                  }
                };
              }
            });
    return gcs;
  }

  private static Map<String, String> form(String body) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      m.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return m;
  }

  @AfterEach
  void close() {
    fake.close();
  }

  @Test
  void aTokenForTheDirectoryIsExchangedWithTheBoundaryOfThatDirectoryOnly() throws Exception {
    try (GcsStorage gcs = storage(true)) {
      assertThat(gcs.vendsCredentials("gs://lake/warehouse/sales")).isTrue();
      long before = System.currentTimeMillis();
      TemporaryCredentials c =
          gcs.temporaryCredentials("gs://lake/warehouse/sales/", Duration.ofHours(2));
      assertThat(c.location()).isEqualTo("gs://lake/warehouse/sales/");
      assertThat(c.gcp().oauthToken()).isEqualTo("downscoped-token");
      assertThat(c.aws()).isNull();
      assertThat(c.expirationTime()).isBetween(before + 1_790_000, before + 1_810_000 + 60_000);

      assertThat(urls).containsExactly("POST https://sts.googleapis.com/v1/token");
      Map<String, String> f = forms.get(0);
      assertThat(f.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:token-exchange");
      assertThat(f.get("subject_token_type"))
          .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
      // the service account's own token, from the fake's token endpoint
      assertThat(f.get("subject_token")).isEqualTo("fake-token");
      JsonNode options = JSON.readTree(f.get("options"));
      assertThat(options)
          .isEqualTo(
              JSON.readTree(
                  "{\"accessBoundary\":{\"accessBoundaryRules\":[{"
                      + "\"availableResource\":"
                      + "\"//storage.googleapis.com/projects/_/buckets/lake\","
                      + "\"availablePermissions\":[\"inRole:roles/storage.objectViewer\"],"
                      + "\"availabilityCondition\":{\"title\":\"Lakeshare table directory\","
                      + "\"expression\":\"resource.name.startsWith("
                      + "'projects/_/buckets/lake/objects/warehouse/sales/') || "
                      + "api.getAttribute('storage.googleapis.com/objectListPrefix', '')"
                      + ".startsWith('warehouse/sales/')\"}}]}}"));
    }
  }

  /**
   * With {@code stsEndpoint}, the exchange goes over real HTTP to that root (here the fake's
   * Security Token Service), and the token it gives reads that directory only.
   */
  @Test
  void theExchangeGoesToTheConfiguredSecurityTokenService() throws Exception {
    fake.objects.put("warehouse/sales/_delta_log/00000000000000000000.json", new byte[] {1, 2});
    fake.objects.put("warehouse/other/_delta_log/00000000000000000000.json", new byte[] {3});
    fake.enforceTokens();
    String key =
        GcsUrlSignerTest.keyJson()
            .replace("https://oauth2.googleapis.com/token", fake.endpoint() + "/token");
    try (GcsStorage gcs =
        GcsStorage.of(
            new StorageConfig.Gcs(
                "g", null, key, fake.endpoint(), null, null, null, true, fake.endpoint()))) {
      TemporaryCredentials c =
          gcs.temporaryCredentials("gs://lake/warehouse/sales", Duration.ofHours(1));
      assertThat(c.gcp().oauthToken()).isEqualTo("downscoped-1");
      assertThat(fake.downscopedTokens())
          .containsExactly(Map.entry("downscoped-1", "warehouse/sales/"));
      assertThat(fake.requests()).contains("POST /token", "POST /v1/token");
      assertThat(get(c.gcp().oauthToken(), "warehouse/sales/_delta_log/00000000000000000000.json"))
          .isEqualTo(200);
      assertThat(get(c.gcp().oauthToken(), "warehouse/other/_delta_log/00000000000000000000.json"))
          .isEqualTo(403);
    }
  }

  private int get(String token, String object) throws Exception {
    java.net.http.HttpResponse<Void> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            fake.endpoint()
                                + "/storage/v1/b/lake/o/"
                                + java.net.URLEncoder.encode(object, StandardCharsets.UTF_8)
                                + "?alt=media"))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
    return r.statusCode();
  }

  @Test
  void aTableAtTheBucketRootGetsTheBucketWithoutCondition() throws Exception {
    try (GcsStorage gcs = storage(true)) {
      gcs.temporaryCredentials("gs://lake", Duration.ofMinutes(30));
      JsonNode rule =
          JSON.readTree(forms.get(0).get("options")).at("/accessBoundary/accessBoundaryRules/0");
      assertThat(rule.path("availableResource").asText())
          .isEqualTo("//storage.googleapis.com/projects/_/buckets/lake");
      assertThat(rule.has("availabilityCondition")).isFalse();
    }
  }

  @Test
  void entriesWithoutDirectoryAccessAndUnwritablePrefixesIssueNothing() {
    try (GcsStorage gcs = storage(false)) {
      assertThat(gcs.vendsCredentials("gs://lake/warehouse/sales")).isFalse();
      assertThatThrownBy(() -> gcs.temporaryCredentials("gs://lake/t", Duration.ofHours(1)))
          .isInstanceOf(UnsupportedOperationException.class);
    }
    try (GcsStorage gcs = storage(true)) {
      assertThatThrownBy(() -> gcs.temporaryCredentials("gs://lake/it's", Duration.ofHours(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("quote");
      assertThat(urls).isEmpty();
    }
  }
}
