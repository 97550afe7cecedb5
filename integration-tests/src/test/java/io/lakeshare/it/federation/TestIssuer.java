package io.lakeshare.it.federation;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth 2.0 identity provider inside the test, on 127.0.0.1: a client-credentials token endpoint
 * that issues RS256-signed JWT access tokens, and the JWKS of its current key. {@link #rotate}
 * switches to a new key and stops publishing the old one.
 */
final class TestIssuer implements AutoCloseable {
  static final String ISSUER = "https://idp.lakeshare.test";

  private final HttpServer http;
  private final String clientId;
  private final String clientSecret;
  private final String audience;
  private volatile RSAKey key;
  private volatile RSAKey previous;
  final AtomicInteger jwksFetches = new AtomicInteger();

  TestIssuer(String clientId, String clientSecret, String audience) throws Exception {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.audience = audience;
    this.key = newKey();
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/token", this::token);
    http.createContext("/jwks", this::jwks);
    http.start();
  }

  private static RSAKey newKey() throws Exception {
    return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
  }

  String base() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  void rotate() throws Exception {
    previous = key;
    key = newKey();
  }

  /**
   * A token for {@code subject} expiring {@code ttlSeconds} from now, signed with the current key.
   */
  String mint(String subject, String aud, long ttlSeconds) throws Exception {
    return sign(key, subject, aud, ISSUER, ttlSeconds);
  }

  /** A token signed with the key used before the last rotation. */
  String mintWithPreviousKey(String subject) throws Exception {
    return sign(previous, subject, audience, ISSUER, 300);
  }

  String mintFromIssuer(String issuer, String subject) throws Exception {
    return sign(key, subject, audience, issuer, 300);
  }

  private static String sign(RSAKey k, String subject, String aud, String iss, long ttl)
      throws Exception {
    long now = System.currentTimeMillis();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(k.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            new JWTClaimsSet.Builder()
                .issuer(iss)
                .subject(subject)
                .audience(aud)
                .issueTime(new Date(now))
                .expirationTime(new Date(now + ttl * 1000))
                .build());
    jwt.sign(new RSASSASigner(k));
    return jwt.serialize();
  }

  private void token(HttpExchange ex) throws IOException {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (!"POST".equals(ex.getRequestMethod())
        || !expected.equals(ex.getRequestHeaders().getFirst("Authorization"))
        || !body.contains("grant_type=client_credentials")) {
      send(ex, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    try {
      send(
          ex,
          200,
          "{\"access_token\":\""
              + mint(clientId, audience, 600)
              + "\",\"token_type\":\"Bearer\",\"expires_in\":600}");
    } catch (Exception e) {
      send(ex, 500, "{}");
    }
  }

  private void jwks(HttpExchange ex) throws IOException {
    jwksFetches.incrementAndGet();
    send(ex, 200, new JWKSet(key.toPublicJWK()).toString());
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
