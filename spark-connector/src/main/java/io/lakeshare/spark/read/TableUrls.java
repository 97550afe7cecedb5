package io.lakeshare.spark.read;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current URLs of one scan's files in this JVM. On the driver the registry refreshes them in
 * the background before they expire; anywhere, a reader whose URL was refused asks for a refresh,
 * and only one refresh runs at a time per scan.
 */
final class TableUrls {
  private static final Logger LOG = LoggerFactory.getLogger(TableUrls.class);

  /** A URL closer to its expiry than this is not handed out when a fresher one can be had. */
  static final long EXPIRY_MARGIN_MS = 3_000;

  private final String scanKey;
  private final String tableName;
  private final UrlRefresher refresher;
  private final HttpReadSettings settings;
  private final Map<String, FileUrl> urls = new ConcurrentHashMap<>();
  private volatile WeakReference<Object> owner;
  private volatile long lastAccessMillis = System.currentTimeMillis();
  private volatile long lastRefreshMillis = System.currentTimeMillis();
  private volatile int refreshCount;
  volatile UrlRegistry.RefreshPolicy policy;

  TableUrls(String scanKey, String tableName, UrlRefresher refresher, HttpReadSettings settings) {
    this.scanKey = scanKey;
    this.tableName = tableName;
    this.refresher = refresher;
    this.settings = settings;
  }

  String scanKey() {
    return scanKey;
  }

  String tableName() {
    return tableName;
  }

  HttpReadSettings settings() {
    return settings;
  }

  /** How many times URLs were fetched again. */
  int refreshCount() {
    return refreshCount;
  }

  /** Marks this JVM as the planner of the scan: the registry refreshes it while owner lives. */
  void ownedBy(Object scan) {
    owner = new WeakReference<>(scan);
  }

  boolean isOwned() {
    WeakReference<Object> o = owner;
    return o != null && o.get() != null;
  }

  boolean wasOwned() {
    return owner != null;
  }

  void touch() {
    lastAccessMillis = System.currentTimeMillis();
  }

  long lastAccessMillis() {
    return lastAccessMillis;
  }

  /** Adds URLs, keeping for each file whichever of the known and the given lives longer. */
  void offer(Map<String, FileUrl> given) {
    given.forEach(
        (id, u) -> urls.merge(id, u, (a, b) -> b.expiresAtMillis() > a.expiresAtMillis() ? b : a));
  }

  /** The earliest expiry among the known URLs, or {@code Long.MAX_VALUE}. */
  long earliestExpiry() {
    long min = Long.MAX_VALUE;
    for (FileUrl u : urls.values()) {
      min = Math.min(min, u.expiresAtMillis());
    }
    return min;
  }

  long lastRefreshMillis() {
    return lastRefreshMillis;
  }

  /** The best known URL of a file, refreshing first when it is missing or about to expire. */
  FileUrl current(String fileId) throws IOException {
    lastAccessMillis = System.currentTimeMillis();
    FileUrl u = urls.get(fileId);
    if (u != null && u.expiresAtMillis() - EXPIRY_MARGIN_MS > System.currentTimeMillis()) {
      return u;
    }
    return refresh(fileId, u);
  }

  /**
   * A URL different from {@code failed} for the file: the one another thread already fetched, or a
   * new one from the server.
   */
  synchronized FileUrl refresh(String fileId, FileUrl failed) throws IOException {
    lastAccessMillis = System.currentTimeMillis();
    FileUrl known = urls.get(fileId);
    if (known != null
        && (failed == null || !known.url().equals(failed.url()))
        && known.expiresAtMillis() - EXPIRY_MARGIN_MS > System.currentTimeMillis()) {
      return known;
    }
    refreshAll();
    FileUrl fresh = urls.get(fileId);
    if (fresh == null) {
      throw new IOException(
          "The sharing server no longer lists a file of table "
              + tableName
              + " (file id "
              + fileId
              + "); the table may have been vacuumed. Run the query again.");
    }
    return fresh;
  }

  /** Fetches all URLs again now. */
  synchronized void refreshAll() throws IOException {
    long start = System.currentTimeMillis();
    Map<String, FileUrl> fresh = refresher.refreshAll();
    urls.putAll(fresh);
    lastRefreshMillis = System.currentTimeMillis();
    refreshCount++;
    UrlRegistry.get().countRefresh();
    LOG.info(
        "Refreshed {} URLs of Delta Sharing table {} in {} ms",
        fresh.size(),
        tableName,
        lastRefreshMillis - start);
  }

  /** How the scan reads its files directly from their directory, or null when through URLs. */
  DirectAccess directAccess() {
    return refresher instanceof DirectAccess d ? d : null;
  }

  /** Releases what the scan holds in this JVM (a directory scan's file system). */
  void release() {
    DirectAccess d = directAccess();
    if (d != null) {
      d.release();
    }
  }

  /** A URL source for one file, for {@link HttpRangeInputStream}. */
  UrlSource sourceFor(String fileId) {
    return new UrlSource() {
      @Override
      public FileUrl current() throws IOException {
        return TableUrls.this.current(fileId);
      }

      @Override
      public FileUrl refresh(FileUrl failed, int status) throws IOException {
        return TableUrls.this.refresh(fileId, failed);
      }
    };
  }
}
