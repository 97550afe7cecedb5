package io.lakeshare.server.storage.gcs;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;

/**
 * Sends the downscoped-token exchange to another Security Token Service root than Google's (a
 * private endpoint, or an emulator in tests). The auth library fixes the exchange URL to {@code
 * https://sts.<universe>/v1/token}; this transport keeps its path and query and replaces the
 * scheme, host and port, so every other part of the request stays the library's.
 */
final class StsTransport {
  private StsTransport() {}

  /**
   * @param root an http or https URL without a path, e.g. {@code http://127.0.0.1:8080}
   */
  static HttpTransportFactory at(String root) {
    URI base = URI.create(root);
    NetHttpTransport transport =
        new NetHttpTransport.Builder()
            .setConnectionFactory(url -> (HttpURLConnection) redirected(base, url).openConnection())
            .build();
    return () -> transport;
  }

  static URL redirected(URI base, URL url) throws java.net.MalformedURLException {
    String file = url.getFile(); // path and query
    return new URL(base.getScheme() + "://" + base.getRawAuthority() + file);
  }
}
