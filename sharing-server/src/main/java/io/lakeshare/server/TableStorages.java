package io.lakeshare.server;

import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.CloudStorage;
import io.lakeshare.server.storage.ObjectStore;
import io.lakeshare.server.storage.azure.AzureStorage;
import io.lakeshare.server.storage.gcs.GcsStorage;
import io.lakeshare.server.storage.s3.S3Storage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which object store reads and signs each cloud table. Built once at start-up for every configured
 * table, so that a storage entry that cannot work (bad endpoint, no region) stops the server with
 * the table's name instead of failing a recipient later. Tables that share a storage entry (or, for
 * tables without one, a bucket or account) share one client.
 */
final class TableStorages implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TableStorages.class);

  /** Normalized table location → its storage. */
  private final Map<String, CloudStorage> byLocation = new HashMap<>();

  private final List<CloudStorage> all = new ArrayList<>();

  /** Client key (storage entry or bucket/account) → its client and the entry it was built from. */
  private final Map<String, CloudStorage> byKey = new HashMap<>();

  private final Map<String, StorageConfig> entryByKey = new HashMap<>();

  /** Clients this instance built (not taken over from a previous one). */
  private final List<CloudStorage> created = new ArrayList<>();

  TableStorages(List<SharedTable> tables, List<StorageConfig> entries, Configuration hadoopConf) {
    this(tables, entries, hadoopConf, null);
  }

  /**
   * As above, taking over the clients of {@code previous} (the storages before a config reload)
   * whose storage entry is unchanged, so that a reload keeps their connections and the tables'
   * cached snapshots stay valid.
   */
  TableStorages(
      List<SharedTable> tables,
      List<StorageConfig> entries,
      Configuration hadoopConf,
      TableStorages previous) {
    Map<String, CloudStorage> shared = byKey;
    try {
      for (SharedTable t : tables) {
        String location = DeltaTables.normalizeLocation(t.config().location());
        String scheme = scheme(location);
        if (scheme.equals("file") || !isCloudScheme(scheme)) {
          continue;
        }
        String key;
        StorageConfig entry = null;
        if (t.config().storage() != null) {
          entry = find(entries, t.config().storage());
          key = "entry:" + entry.name().toLowerCase(Locale.ROOT);
        } else {
          // A GCS credential is not tied to a bucket: one client serves every gs:// table.
          key =
              AzureStorage.isAzureScheme(scheme)
                  ? "hadoop:azure:" + AzureStorage.accountOf(location)
                  : GcsStorage.isGcsScheme(scheme)
                      ? "hadoop:gs"
                      : "hadoop:" + scheme + ":" + BlobPath.parse(location).authority();
        }
        StorageConfig finalEntry = entry;
        CloudStorage storage;
        try {
          storage =
              shared.computeIfAbsent(
                  key,
                  k -> {
                    CloudStorage kept = previous == null ? null : previous.reusable(k, finalEntry);
                    if (kept != null) {
                      return kept;
                    }
                    CloudStorage made = create(finalEntry, scheme, location, hadoopConf);
                    created.add(made);
                    return made;
                  });
          entryByKey.put(key, entry);
        } catch (RuntimeException e) {
          throw new IllegalStateException(
              "Table '" + t.fullName() + "' cannot use its storage: " + e.getMessage(), e);
        }
        if (storage instanceof AzureStorage az
            && !az.account().equalsIgnoreCase(AzureStorage.accountOf(location))) {
          throw new IllegalStateException(
              "Table '"
                  + t.fullName()
                  + "' is in Azure account '"
                  + AzureStorage.accountOf(location)
                  + "' but "
                  + storage.label()
                  + " is for account '"
                  + az.account()
                  + "': use one storage entry per account");
        }
        if (storage instanceof GcsStorage gcs && !gcs.canSign()) {
          throw new IllegalStateException(
              "Table '"
                  + t.fullName()
                  + "' cannot use "
                  + storage.label()
                  + ": its credentials cannot sign URLs; use a service-account key"
                  + " ('serviceAccountKeyFile' or 'serviceAccountKey')");
        }
        if (!all.contains(storage)) {
          all.add(storage);
          LOG.info("Storage for {}: {}", t.fullName(), storage.label());
        }
        byLocation.put(location, storage);
      }
    } catch (RuntimeException e) {
      closeAll(created);
      throw e;
    }
  }

  /** This instance's client for {@code key} when it was built from the same entry, else null. */
  private CloudStorage reusable(String key, StorageConfig entry) {
    CloudStorage s = byKey.get(key);
    return s != null && java.util.Objects.equals(entryByKey.get(key), entry) ? s : null;
  }

  /** The clients of this instance that {@code next} does not use (to close after a reload). */
  List<CloudStorage> notUsedBy(TableStorages next) {
    List<CloudStorage> unused = new ArrayList<>();
    for (CloudStorage s : all) {
      if (next.all.stream().noneMatch(n -> n == s)) {
        unused.add(s);
      }
    }
    return unused;
  }

  /** The storage of a normalized table location, or null for local and Hadoop-read tables. */
  CloudStorage forLocation(String normalizedLocation) {
    return byLocation.get(normalizedLocation);
  }

  /** What {@link DeltaTables} reads a location through; null means Hadoop. */
  ObjectStore storeFor(String normalizedLocation) {
    CloudStorage s = byLocation.get(normalizedLocation);
    return s == null ? null : s.store();
  }

  static boolean isCloudScheme(String scheme) {
    return S3Storage.isS3Scheme(scheme)
        || AzureStorage.isAzureScheme(scheme)
        || GcsStorage.isGcsScheme(scheme);
  }

  static String scheme(String normalizedLocation) {
    int colon = normalizedLocation.indexOf(':');
    return colon <= 0 ? "" : normalizedLocation.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  private static CloudStorage create(
      StorageConfig entry, String scheme, String location, Configuration hadoopConf) {
    if (entry instanceof StorageConfig.S3 s3) {
      return S3Storage.of(s3);
    }
    if (entry instanceof StorageConfig.Azure az) {
      return AzureStorage.of(az, location);
    }
    if (entry instanceof StorageConfig.Gcs gcs) {
      return GcsStorage.of(gcs);
    }
    if (entry == null && GcsStorage.isGcsScheme(scheme)) {
      return GcsStorage.fromHadoop(hadoopConf);
    }
    if (entry == null && AzureStorage.isAzureScheme(scheme)) {
      return AzureStorage.fromHadoop(hadoopConf, location);
    }
    if (entry == null && S3Storage.isS3Scheme(scheme)) {
      return S3Storage.fromHadoop(hadoopConf, BlobPath.parse(location).authority());
    }
    throw new IllegalStateException("no storage can serve '" + scheme + ":' locations");
  }

  private static StorageConfig find(List<StorageConfig> entries, String name) {
    for (StorageConfig e : entries) {
      if (e.name().equalsIgnoreCase(name)) {
        return e;
      }
    }
    // ConfigLoader has checked references; a hand-built ServerConfig may not have.
    throw new IllegalStateException("there is no storage entry named '" + name + "'");
  }

  /** Closes the clients this instance built itself (a reload that is abandoned). */
  void closeCreated() {
    closeAll(created);
  }

  @Override
  public void close() {
    closeAll(all);
  }

  static void closeAll(List<CloudStorage> storages) {
    for (CloudStorage s : storages) {
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.debug("closing {} failed", s.label(), e);
      }
    }
  }
}
