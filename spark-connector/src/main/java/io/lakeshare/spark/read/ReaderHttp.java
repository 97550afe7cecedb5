package io.lakeshare.spark.read;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The pooled HTTP clients of this JVM for reading data files from storage: one per pool size and
 * network timeout, so a read with {@code spark.delta.sharing.network.timeout} set differently from
 * an earlier read of the JVM gets its own timeout (the timeout is a property of the pool's
 * connections), while reads with the same settings share connections.
 */
final class ReaderHttp {
  private record Key(int maxConnections, long timeoutMs) {}

  private static final Map<Key, CloseableHttpClient> CLIENTS = new ConcurrentHashMap<>();

  private ReaderHttp() {}

  /** The shared client for these settings. */
  static CloseableHttpClient client(HttpReadSettings settings, int maxConnections, long timeoutMs) {
    return CLIENTS.computeIfAbsent(
        new Key(maxConnections, timeoutMs), k -> create(k.maxConnections(), k.timeoutMs()));
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
