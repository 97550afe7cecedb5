package io.lakeshare.spark;

import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.profile.Profile;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One REST client per profile and settings in this JVM, so that the metadata call, the query and
 * URL refreshes of many DataFrames share connections and OAuth tokens. Clients live as long as the
 * JVM; their pools hold only idle connections.
 */
final class SharingClients {
  private record Key(Profile profile, ConnectorConf conf, String callerOrg) {}

  private static final Map<Key, DeltaSharingClient> CLIENTS = new ConcurrentHashMap<>();

  private SharingClients() {}

  static DeltaSharingClient get(Profile profile, ConnectorConf conf, String callerOrg) {
    return CLIENTS.computeIfAbsent(new Key(profile, conf, callerOrg), SharingClients::create);
  }

  private static DeltaSharingClient create(Key k) {
    DeltaSharingClient.Builder b =
        DeltaSharingClient.builder(k.profile)
            .maxRetries(k.conf.numRetries())
            .maxRetryDuration(k.conf.maxRetryDuration())
            .initialBackoff(k.conf.retrySleep())
            .socketTimeout(k.conf.timeout())
            .maxConnections(k.conf.maxConnections());
    String version = SharingClients.class.getPackage().getImplementationVersion();
    String ua =
        "Lakeshare-Spark/"
            + (version == null ? "dev" : version)
            + " Java/"
            + System.getProperty("java.version");
    if (k.callerOrg != null && !k.callerOrg.isBlank()) {
      ua += " " + k.callerOrg.replaceAll("[\\r\\n]", "");
    }
    return b.userAgent(ua).build();
  }
}
