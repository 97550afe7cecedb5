package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The optional TLS listener: a self-signed server answers the protocol over HTTPS only. */
class TlsTest {

  @Test
  void pemCertificateAndEncryptedKeyAreServed() throws Exception {
    Assumptions.assumeTrue(
        new java.io.File("/usr/bin/openssl").canExecute(), "openssl is needed to make PEM files");
    Path dir = Files.createTempDirectory("lakeshare-pem");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Path pass = dir.resolve("key.pass");
    Files.writeString(pass, "s3cret\n");
    Path plain = dir.resolve("plain-key.pem");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        plain.toString(),
        "-out",
        cert.toString(),
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost");
    openssl(
        "pkcs8",
        "-topk8",
        "-in",
        plain.toString(),
        "-out",
        key.toString(),
        "-v2",
        "aes-256-cbc",
        "-v2prf",
        "hmacWithSHA256",
        "-passout",
        "file:" + pass);
    assertThat(Files.readString(key)).contains("BEGIN ENCRYPTED PRIVATE KEY");
    TestServer tls =
        TestServer.get(
            new TestServer.Options()
                .with(
                    "ssl:\n  certificateFile: \""
                        + cert
                        + "\"\n  certificateKeyFile: \""
                        + key
                        + "\"\n  certificatePasswordFile: \""
                        + pass
                        + "\""));
    HttpResponse<String> r = getShares(tls);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.sslSession()).isPresent();
    assertThat(r.sslSession().get().getPeerCertificates()[0].toString()).contains("CN=localhost");
  }

  private static void openssl(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  private static HttpResponse<String> getShares(TestServer tls) throws Exception {
    HttpClient https = HttpClient.newBuilder().sslContext(trustAll()).build();
    return https.send(
        HttpRequest.newBuilder(URI.create(tls.endpoint() + "/shares"))
            .header("Authorization", "Bearer " + TestServer.TOKEN)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static SSLContext trustAll() throws Exception {
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
    return trustAll;
  }

  @Test
  void selfSignedServerAnswersOverHttps() throws Exception {
    TestServer tls = TestServer.get(new TestServer.Options().with("ssl:\n  selfSigned: true"));
    assertThat(tls.endpoint()).startsWith("https://127.0.0.1:");
    HttpResponse<String> r = getShares(tls);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"s1\"");
    HttpClient plain = HttpClient.newHttpClient();
    String httpUrl = tls.endpoint().replace("https://", "http://") + "/shares";
    boolean refused;
    try {
      HttpResponse<String> p =
          plain.send(
              HttpRequest.newBuilder(URI.create(httpUrl)).build(),
              HttpResponse.BodyHandlers.ofString());
      refused = p.statusCode() >= 400;
    } catch (java.io.IOException e) {
      refused = true;
    }
    assertThat(refused).isTrue();
  }
}
