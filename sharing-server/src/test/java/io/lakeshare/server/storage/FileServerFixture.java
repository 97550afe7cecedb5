package io.lakeshare.server.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real Jetty server on 127.0.0.1 and a free port, hosting only a {@link LocalFileHandler}. */
final class FileServerFixture implements AutoCloseable {

  static final String ENDPOINT = "/delta-sharing";

  final List<Path> allowedRoots = new CopyOnWriteArrayList<>();
  private final Server server;
  private final ServerConnector connector;

  /**
   * Starts the server. {@code uriCompliance} lets a test switch off Jetty's own rejection of
   * ambiguous URIs so that the handler's defences are exercised on their own.
   */
  FileServerFixture(byte[] key, Clock clock, UriCompliance uriCompliance) throws Exception {
    server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.setUriCompliance(uriCompliance);
    connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new LocalFileHandler(key, ENDPOINT + "/files/", () -> allowedRoots, clock));
    server.start();
  }

  /** The base URL a signer for this server is configured with. */
  String baseUrl() {
    return "http://127.0.0.1:" + connector.getLocalPort() + ENDPOINT;
  }

  /** The server's origin, for hand-built URLs. */
  String origin() {
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
