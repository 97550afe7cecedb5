package io.lakeshare.server;

import io.lakeshare.server.config.ServerConfig;
import io.lakeshare.server.config.SslConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Builds the listening connector: plain HTTP, or HTTPS from PEM files or a self-signed key. */
final class Tls {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");
  private static final char[] STORE_PASSWORD = "lakeshare".toCharArray();

  private Tls() {}

  static ServerConnector connector(Server jetty, ServerConfig config) throws Exception {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    SslConfig ssl = config.ssl();
    if (ssl == null) {
      return new ServerConnector(jetty, new HttpConnectionFactory(http));
    }
    http.addCustomizer(new SecureRequestCustomizer(false));
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setKeyStore(ssl.selfSigned() ? selfSigned(config.host()) : fromPem(ssl));
    factory.setKeyStorePassword(new String(STORE_PASSWORD));
    return new ServerConnector(
        jetty, new SslConnectionFactory(factory, "http/1.1"), new HttpConnectionFactory(http));
  }

  private static KeyStore fromPem(SslConfig ssl) throws Exception {
    List<Certificate> chain = new ArrayList<>();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    for (byte[] der : blocks(Path.of(ssl.certificateFile()), "CERTIFICATE")) {
      chain.add(cf.generateCertificate(new ByteArrayInputStream(der)));
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "'certificateFile' holds no PEM certificate: " + ssl.certificateFile());
    }
    Path keyFile = Path.of(ssl.certificateKeyFile());
    String password =
        ssl.certificatePasswordFile() == null
            ? null
            : Files.readString(Path.of(ssl.certificatePasswordFile())).trim();
    PrivateKey key = privateKey(keyFile, password, chain.get(0).getPublicKey().getAlgorithm());
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("lakeshare", key, STORE_PASSWORD, chain.toArray(new Certificate[0]));
    return store;
  }

  private static PrivateKey privateKey(Path file, String password, String algorithm)
      throws Exception {
    List<byte[]> plain = blocks(file, "PRIVATE KEY");
    byte[] der;
    if (!plain.isEmpty()) {
      der = plain.get(0);
    } else {
      List<byte[]> encrypted = blocks(file, "ENCRYPTED PRIVATE KEY");
      if (encrypted.isEmpty()) {
        throw new IllegalArgumentException(
            "'certificateKeyFile' must hold a PKCS#8 key (BEGIN PRIVATE KEY or BEGIN ENCRYPTED"
                + " PRIVATE KEY): "
                + file);
      }
      if (password == null) {
        throw new IllegalArgumentException(
            "'certificateKeyFile' is encrypted; set 'certificatePasswordFile'");
      }
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(encrypted.get(0));
      String pbe = info.getAlgName();
      if (pbe.equals("PBES2") || pbe.equals("1.2.840.113549.1.5.13")) {
        // PBES2 keys name their real scheme in the parameters, e.g. PBEWithHmacSHA256AndAES_256.
        pbe = info.getAlgParameters().toString();
      }
      SecretKeyFactory skf = SecretKeyFactory.getInstance(pbe);
      Cipher cipher = Cipher.getInstance(pbe);
      cipher.init(
          Cipher.DECRYPT_MODE,
          skf.generateSecret(new PBEKeySpec(password.toCharArray())),
          info.getAlgParameters());
      der = info.getKeySpec(cipher).getEncoded();
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("Cannot read the private key in " + file, e);
    }
  }

  private static List<byte[]> blocks(Path file, String type) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    List<byte[]> out = new ArrayList<>();
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        out.add(Base64.getMimeDecoder().decode(m.group(2)));
      }
    }
    return out;
  }

  /** A throw-away key pair and certificate made by the JDK's keytool, for tests and demos. */
  private static KeyStore selfSigned(String host) throws Exception {
    Path dir = Files.createTempDirectory("lakeshare-tls");
    Path store = dir.resolve("self-signed.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    String name = host == null || host.isEmpty() ? "localhost" : host;
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "lakeshare",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "365",
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(STORE_PASSWORD),
                "-keypass",
                new String(STORE_PASSWORD))
            .redirectErrorStream(true)
            .start();
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "keytool could not make a self-signed certificate: "
              + new String(output, StandardCharsets.UTF_8));
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, STORE_PASSWORD);
    }
    Files.deleteIfExists(store);
    Files.deleteIfExists(dir);
    return ks;
  }
}
