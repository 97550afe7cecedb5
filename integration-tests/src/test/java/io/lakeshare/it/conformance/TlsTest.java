package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** The optional TLS listener: a self-signed server answers the protocol over HTTPS only. */
class TlsTest {

  @Test
  void selfSignedServerAnswersOverHttps() throws Exception {
    TestServer tls = TestServer.get(new TestServer.Options().with("ssl:\n  selfSigned: true"));
    assertThat(tls.endpoint()).startsWith("https://127.0.0.1:");
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    HttpClient https = HttpClient.newBuilder().sslContext(trustAll).build();
    HttpResponse<String> r =
        https.send(
            HttpRequest.newBuilder(URI.create(tls.endpoint() + "/shares"))
                .header("Authorization", "Bearer " + TestServer.TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"s1\"");
    HttpClient plain = HttpClient.newHttpClient();
    String httpUrl = tls.endpoint().replace("https://", "http://") + "/shares";
    boolean refused;
    try {
      HttpResponse<String> p =
          plain.send(HttpRequest.newBuilder(URI.create(httpUrl)).build(),
              HttpResponse.BodyHandlers.ofString());
      refused = p.statusCode() >= 400;
    } catch (java.io.IOException e) {
      refused = true;
    }
    assertThat(refused).isTrue();
  }
}
