package io.lakeshare.it.faults;

import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.profile.ProfileParser;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real server (every fixture table in {@code s1.default}, plus any extra tables) behind a
 * {@link FaultProxy}: its {@code publicBaseUrl} is the proxy, so query answers and the signed URLs
 * of local files both go through it. A fixed {@code fileSigningKey} lets URLs survive {@link
 * #restart}, which binds the same port again.
 */
final class ProxiedServer implements AutoCloseable {
  /** A fixed 32-byte key, so a restarted server accepts the URLs its predecessor signed. */
  static final String SIGNING_KEY =
      Base64.getEncoder().encodeToString("lakeshare-fault-tests-signing-k!".getBytes());

  private final FaultProxy proxy;
  private final String yaml;
  private final AtomicInteger starts = new AtomicInteger();
  private volatile SharingServer server;
  private volatile int port;

  private ProxiedServer(FaultProxy proxy, String yaml) {
    this.proxy = proxy;
    this.yaml = yaml;
  }

  static ProxiedServer start(TestServer.Options options) throws Exception {
    FaultProxy proxy = FaultProxy.start();
    String yaml =
        options
            .with("publicBaseUrl: http://127.0.0.1:" + proxy.port())
            .with("fileSigningKey: " + SIGNING_KEY)
            .yaml();
    ProxiedServer s = new ProxiedServer(proxy, yaml);
    s.startServer(0);
    return s;
  }

  private synchronized void startServer(int bindPort) throws Exception {
    String config =
        bindPort == 0 ? yaml : yaml.replace("\nport: 0\n", "\nport: " + bindPort + "\n");
    server = SharingServer.start(ConfigLoader.parse(config, "fault-test-config.yaml"));
    port = server.port();
    starts.incrementAndGet();
    proxy.upstream(port);
  }

  FaultProxy proxy() {
    return proxy;
  }

  /** How many times a server instance was started. */
  int starts() {
    return starts.get();
  }

  /** Stops the server; the proxy answers every request with a reset until {@link #startAgain}. */
  synchronized void stop() throws Exception {
    server.close();
  }

  /** Starts a new server instance on the port of the last one, with the same signing key. */
  synchronized void startAgain() throws Exception {
    startServer(port);
  }

  /** Stops the server now and starts it again on the same port after {@code downtime}. */
  void restartInBackground(Duration downtime) {
    try {
      stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the server", e);
    }
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(downtime.toMillis());
                startAgain();
              } catch (Exception e) {
                throw new IllegalStateException("cannot restart the server", e);
              }
            },
            "fault-test-restart");
    t.setDaemon(true);
    t.start();
  }

  /** The endpoint recipients use: the proxy's. */
  String endpoint() {
    return "http://127.0.0.1:" + proxy.port() + "/delta-sharing";
  }

  /** A profile file for the proxy endpoint. */
  String profileFile() {
    try {
      Path p = Files.createTempFile("lakeshare-faults-", ".share");
      p.toFile().deleteOnExit();
      Files.writeString(
          p,
          "{\"shareCredentialsVersion\":1,\"endpoint\":\""
              + endpoint()
              + "\",\"bearerToken\":\""
              + TestServer.TOKEN
              + "\"}");
      return p.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code <profile>#s1.default.<table>} through the proxy. */
  String url(String table) {
    return profileFile() + "#s1.default." + table;
  }

  /** A protocol client through the proxy. */
  DeltaSharingClient client(int retries, Duration timeout) {
    return DeltaSharingClient.builder(
            ProfileParser.parse(
                "{\"shareCredentialsVersion\":1,\"endpoint\":\""
                    + endpoint()
                    + "\",\"bearerToken\":\""
                    + TestServer.TOKEN
                    + "\"}",
                "fault test profile"))
        .maxRetries(retries)
        .initialBackoff(Duration.ofMillis(50))
        .socketTimeout(timeout)
        .build();
  }

  @Override
  public void close() throws Exception {
    proxy.close();
    server.close();
  }
}
