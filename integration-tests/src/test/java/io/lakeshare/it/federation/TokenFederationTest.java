package io.lakeshare.it.federation;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.fixtures.SparkFixture;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token federation end to end: the connector reads with an {@code oauth_client_credentials} profile
 * whose token endpoint and key set are served by an identity provider inside the test; the server
 * verifies the JWT against the provider's JWKS and maps its subject to a recipient. Key rotation
 * needs no restart; expired, foreign, mis-addressed and unsigned tokens are 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenFederationTest {
  private static final String CLIENT = "partner-client";
  private static final String SECRET = "partner-secret";
  private static final String AUDIENCE = "lakeshare-test";

  @TempDir static Path dir;

  private TestIssuer idp;
  private SharingServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    idp = new TestIssuer(CLIENT, SECRET, AUDIENCE);
    FixtureTable part = FixtureTables.get().table(FixtureTables.T_PART);
    String yaml =
        """
        version: 1
        host: 127.0.0.1
        port: 0
        shares:
        - name: s
          schemas:
          - name: d
            tables:
            - {name: part, location: "%s"}
        tokenIssuers:
        - name: idp
          issuer: %s
          jwksUrl: %s/jwks
          audience: %s
          jwksMinRefreshSeconds: 0
        recipients:
        - name: partner
          federation: {issuer: idp, subject: %s}
          grants: [{share: s}]
        """
            .formatted(part.path().toUri(), TestIssuer.ISSUER, idp.base(), AUDIENCE, CLIENT);
    server = SharingServer.start(ConfigLoader.parse(yaml, "federation.yaml"));
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
    idp.close();
  }

  private String oauthProfile() throws Exception {
    Path p = Files.createTempFile(dir, "oauth-", ".share");
    Files.writeString(
        p,
        "{\"shareCredentialsVersion\":2,\"type\":\"oauth_client_credentials\",\"endpoint\":\""
            + server.endpointUrl()
            + "\",\"tokenEndpoint\":\""
            + idp.base()
            + "/token\",\"clientId\":\""
            + CLIENT
            + "\",\"clientSecret\":\""
            + SECRET
            + "\"}");
    return p.toString();
  }

  private int status(String token) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(server.endpointUrl() + "/shares"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void theConnectorReadsWithAnOAuthProfileAcrossAKeyRotation() throws Exception {
    FixtureTable part = FixtureTables.get().table(FixtureTables.T_PART);
    Dataset<Row> expected = part.read(part.latestVersion());
    Dataset<Row> ours =
        SparkFixture.spark().read().format("deltaSharing").load(oauthProfile() + "#s.d.part");
    assertThat(sorted(ours)).isEqualTo(sorted(expected)).isNotEmpty();

    String beforeRotation = idp.mint(CLIENT, AUDIENCE, 300);
    assertThat(status(beforeRotation)).isEqualTo(200);
    int fetches = idp.jwksFetches.get();
    idp.rotate();
    // a token signed with the new key: the server fetches the key set again, no restart
    assertThat(status(idp.mint(CLIENT, AUDIENCE, 300))).isEqualTo(200);
    assertThat(idp.jwksFetches.get()).isGreaterThan(fetches);
    // the retired key is no longer published, so its tokens stop working...
    assertThat(status(beforeRotation)).isEqualTo(401);
    assertThat(status(idp.mintWithPreviousKey(CLIENT))).isEqualTo(401);
    // ...and the connector, holding such a token, gets a new one and reads on
    Dataset<Row> afterRotation =
        SparkFixture.spark().read().format("deltaSharing").load(oauthProfile() + "#s.d.part");
    assertThat(sorted(afterRotation)).isEqualTo(sorted(expected));
  }

  @Test
  void tokensThatMustNotPassAre401() throws Exception {
    assertThat(status(idp.mint(CLIENT, AUDIENCE, 300))).isEqualTo(200);
    assertThat(status(idp.mint(CLIENT, AUDIENCE, -600)))
        .as("expired beyond the skew")
        .isEqualTo(401);
    assertThat(status(idp.mint(CLIENT, "another-service", 300))).as("audience").isEqualTo(401);
    assertThat(status(idp.mint("stranger", AUDIENCE, 300))).as("unknown subject").isEqualTo(401);
    assertThat(status(idp.mintFromIssuer("https://evil.test", CLIENT))).as("issuer").isEqualTo(401);
    String[] parts = idp.mint(CLIENT, AUDIENCE, 300).split("\\.");
    String unsigned =
        java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    "{\"alg\":\"none\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            + "."
            + parts[1]
            + ".";
    assertThat(status(unsigned)).as("alg none").isEqualTo(401);
    assertThat(status(parts[0] + "." + parts[1] + "." + parts[2].substring(1) + "A"))
        .as("bad signature")
        .isEqualTo(401);
  }

  private static List<String> sorted(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }
}
