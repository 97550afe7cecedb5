package io.lakeshare.spark;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The recipient's own file system settings that a directory read keeps (an S3-compatible endpoint,
 * region, path-style access, timeouts): the {@code fs.*} entries of the session's Hadoop
 * configuration that differ from Hadoop's defaults, without anything that looks like a credential,
 * since they travel to executors with the scan and the table's own credentials replace them.
 */
final class DirectorySettings {
  private static final String[] SECRET_WORDS = {
    "secret",
    "access.key",
    "account.key",
    "session.token",
    "token",
    "password",
    "credential",
    "sas",
    "oauth",
    "keyfile",
    "private"
  };

  private DirectorySettings() {}

  static Map<String, String> fromSession() {
    SparkSession spark = SparkSession.active();
    return kept(SparkInternals.hadoopConf(spark), new Configuration());
  }

  /** The entries of {@code conf} worth shipping, compared with {@code defaults}. */
  static Map<String, String> kept(Configuration conf, Configuration defaults) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : conf) {
      String key = e.getKey();
      if (!key.startsWith("fs.") || looksSecret(key)) {
        continue;
      }
      String v = e.getValue();
      if (v != null && !v.equals(defaults.getRaw(key))) {
        out.put(key, v);
      }
    }
    return out;
  }

  static boolean looksSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (String w : SECRET_WORDS) {
      if (k.contains(w)) {
        return true;
      }
    }
    return false;
  }
}
