package io.lakeshare.spark;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Lets connector tests read a local fixture table through its directory (accessMode dir): the
 * sharing server vends directory credentials for cloud tables only, so a test hands the connector
 * credentials for a {@code file:} root itself, as if the server had issued them. Everything after
 * the issuance is the connector's real path: the scoped file system, Delta Kernel's log reads, and
 * Spark's reads of the files.
 */
public final class DirectoryGrants {
  private DirectoryGrants() {}

  /**
   * Credentials valid for an hour for the table at {@code tablePath} ({@code <profile>#s.sc.t}),
   * scoped to {@code root}.
   */
  public static void grant(String tablePath, Path root) {
    DirectoryRefresher.remember(location(tablePath), null, credentials(root));
  }

  /** Takes the credentials of {@link #grant} back. */
  public static void revoke(String tablePath) {
    DirectoryRefresher.forget(location(tablePath), null);
  }

  private static TableLocation location(String tablePath) {
    return TableLocation.resolve(tablePath, Map.of(), new Configuration(), Clock.systemUTC());
  }

  private static DirectoryCredentials credentials(Path root) {
    String uri = root.toUri().toString();
    if (uri.endsWith("/")) {
      uri = uri.substring(0, uri.length() - 1);
    }
    return new DirectoryCredentials(uri, System.currentTimeMillis() + 3_600_000L, Map.of());
  }
}
