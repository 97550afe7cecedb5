package io.lakeshare.spark.read;

import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/** The one pooled HTTP client of this JVM for reading data files from storage. */
final class ReaderHttp {
  private static volatile CloseableHttpClient client;

  private ReaderHttp() {}

  /** The shared client; the first caller's settings size the pool. */
  static CloseableHttpClient client(HttpReadSettings settings, int maxConnections, long timeoutMs) {
    CloseableHttpClient c = client;
    if (c == null) {
      synchronized (ReaderHttp.class) {
        c = client;
        if (c == null) {
          c = create(maxConnections, timeoutMs);
          client = c;
        }
      }
    }
    return c;
  }

  private static CloseableHttpClient create(int maxConnections, long timeoutMs) {
    PoolingHttpClientConnectionManager pool =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(maxConnections)
            .setMaxConnPerRoute(maxConnections)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.ofSeconds(30))
                    .setSocketTimeout(Timeout.of(timeoutMs, TimeUnit.MILLISECONDS))
                    .setValidateAfterInactivity(Timeout.ofSeconds(2))
                    .build())
            .build();
    return HttpClients.custom()
        .setConnectionManager(pool)
        .setDefaultRequestConfig(
            RequestConfig.custom()
                .setResponseTimeout(Timeout.of(timeoutMs, TimeUnit.MILLISECONDS))
                .build())
        .disableContentCompression()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .evictIdleConnections(Timeout.ofSeconds(30))
        .build();
  }
}
