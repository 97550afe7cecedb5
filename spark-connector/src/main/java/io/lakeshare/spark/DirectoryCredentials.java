package io.lakeshare.spark;

import io.lakeshare.protocol.model.TemporaryCredentials;
import io.lakeshare.spark.read.GcsDirectoryFileSystem;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Temporary credentials of a table's directory as Hadoop file system settings that apply to that
 * storage account or bucket only, and the root the connector reads the table at. {@link
 * #toString()} shows no secret.
 *
 * @param root the table's directory as a Hadoop path: {@code s3a://bucket/prefix} for any S3 scheme
 *     the server answered, {@code abfss://container@account.dfs.core.windows.net/prefix}, {@code
 *     gs://bucket/prefix}
 * @param expiresAtMillis when the credentials stop working (epoch ms)
 * @param settings the Hadoop settings that carry the credentials (secrets)
 */
record DirectoryCredentials(String root, long expiresAtMillis, Map<String, String> settings)
    implements Serializable {

  static final String S3A_TEMPORARY_PROVIDER =
      "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider";

  DirectoryCredentials {
    settings = Map.copyOf(settings);
  }

  /**
   * The settings for what the server answered.
   *
   * @throws IllegalArgumentException naming the table when the location's cloud cannot be read with
   *     the kind of credential given, or by this connector
   */
  static DirectoryCredentials of(TemporaryCredentials c, String table) {
    URI uri;
    try {
      uri = new URI(trimSlash(c.location()));
    } catch (URISyntaxException e) {
      throw unreadable(table, c.location(), "the location is not a URI");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw unreadable(table, c.location(), "the location names no bucket or account");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    Map<String, String> s = new LinkedHashMap<>();
    switch (scheme) {
      case "s3", "s3a", "s3n" -> {
        if (c.aws() == null) {
          throw unreadable(table, c.location(), "the server sent no AWS session credentials");
        }
        String bucket = "fs.s3a.bucket." + authority + ".";
        s.put(bucket + "aws.credentials.provider", S3A_TEMPORARY_PROVIDER);
        s.put(bucket + "access.key", c.aws().accessKeyId());
        s.put(bucket + "secret.key", c.aws().secretAccessKey());
        s.put(bucket + "session.token", c.aws().sessionToken());
        return new DirectoryCredentials("s3a://" + authority + path, c.expirationTime(), s);
      }
      case "abfss", "abfs" -> {
        if (c.azure() == null) {
          throw unreadable(table, c.location(), "the server sent no Azure SAS token");
        }
        String host = authority.substring(authority.indexOf('@') + 1);
        if (authority.indexOf('@') <= 0 || !host.contains(".dfs.")) {
          throw unreadable(
              table, c.location(), "expected abfss://<container>@<account>.dfs.<suffix>/<path>");
        }
        s.put("fs.azure.account.auth.type." + host, "SAS");
        s.put("fs.azure.sas.fixed.token." + host, c.azure().sasToken());
        return new DirectoryCredentials(scheme + "://" + authority + path, c.expirationTime(), s);
      }
      case "gs" -> {
        if (c.gcp() == null || c.gcp().oauthToken() == null) {
          throw unreadable(table, c.location(), "the server sent no GCP OAuth token");
        }
        // The connector's own read-only gs:// file system takes the token; a GCS Hadoop
        // connector on the classpath is not used for this read (and needs no token setup).
        s.put("fs.gs.impl", GcsDirectoryFileSystem.class.getName());
        s.put("fs.gs.impl.disable.cache", "true");
        s.put(GcsDirectoryFileSystem.tokenKey(authority), c.gcp().oauthToken());
        s.put(GcsDirectoryFileSystem.expiryKey(authority), Long.toString(c.expirationTime()));
        return new DirectoryCredentials("gs://" + authority + path, c.expirationTime(), s);
      }
      default ->
          throw unreadable(
              table,
              c.location(),
              "directory access reads s3/s3a, abfss and gs locations only (wasb accounts have"
                  + " no directory-scoped SAS)");
    }
  }

  /**
   * Whether {@code path} is the root or lies under it, compared as Hadoop paths (so {@code
   * file:///t} and {@code file:/t} are one place, and {@code ..} segments are resolved before the
   * comparison, never after).
   */
  boolean covers(String path) {
    URI r;
    URI p;
    try {
      r = new org.apache.hadoop.fs.Path(root).toUri();
      p = new org.apache.hadoop.fs.Path(path).toUri();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (r.getScheme() == null
        || !r.getScheme().equalsIgnoreCase(p.getScheme())
        || !Objects.equals(authority(r), authority(p))) {
      return false;
    }
    String rp = r.getPath() == null ? "" : r.getPath();
    while (rp.endsWith("/")) {
      rp = rp.substring(0, rp.length() - 1);
    }
    String pp = p.getPath() == null ? "" : p.getPath();
    return pp.equals(rp) || pp.startsWith(rp + "/");
  }

  private static String authority(URI u) {
    return u.getAuthority() == null ? "" : u.getAuthority();
  }

  private static String trimSlash(String s) {
    String t = s;
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  private static IllegalArgumentException unreadable(String table, String location, String why) {
    return new IllegalArgumentException(
        "Cannot read Delta Sharing table "
            + table
            + " through its directory "
            + location
            + ": "
            + why
            + ".");
  }

  @Override
  public String toString() {
    return "DirectoryCredentials[root="
        + root
        + ", expiresAtMillis="
        + expiresAtMillis
        + ", settings="
        + settings.keySet()
        + "]";
  }
}
