package io.lakeshare.spark;

import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.MetadataLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Decides, without Spark, which files each micro-batch of a stream reads: the initial snapshot
 * (when the stream has no starting point), then the data changes of each later version, files of a
 * version in file-id order, admitted under the file and byte limits. Commits that remove data fail
 * the stream unless {@code ignoreDeletes}, {@code ignoreChanges} or {@code skipChangeCommits} says
 * what to do, as in the reference connector. Only a window of versions is kept in memory.
 *
 * <p>With an executor, the change window after the one just fetched is asked for in the background
 * when the table already has versions beyond it, so that the next batch's planning does not wait
 * for the server while the current batch reads its files. A stream that has caught up (the window
 * ends at the latest version) prefetches nothing, and a failed prefetch is simply asked again.
 */
final class StreamPlanner {

  /** What the planner needs from the sharing server. */
  interface Server {
    long latestVersion();

    /** The first version committed at or after {@code timestamp}. */
    long versionAtOrAfter(String timestamp);

    /** The files of the snapshot at {@code version}. */
    FileListing snapshot(long version);

    /** The changes of versions {@code from..to} (inclusive). */
    FileListing changes(long from, long to);
  }

  private static final Comparator<PlannedFile> ORDER =
      Comparator.comparing((PlannedFile f) -> f.kind().ordinal()).thenComparing(PlannedFile::id);

  private final Server server;
  private final String tableName;
  private final String tableId;
  private final ReadOptions options;
  private final BiConsumer<Long, MetadataLine> checkMetadata;
  private final TreeMap<Long, List<PlannedFile>> versions = new TreeMap<>();
  private final Executor prefetcher;
  private long snapshotVersion = -1;
  private List<PlannedFile> snapshot;
  private volatile Prefetch pending;

  /** A change window asked for ahead of need. */
  private record Prefetch(long from, long to, CompletableFuture<FileListing> listing) {}

  /**
   * @param checkMetadata called with each metadata line met in a change window and its version;
   *     throws when the stream cannot go on with that schema
   */
  StreamPlanner(
      Server server,
      String tableName,
      String tableId,
      ReadOptions options,
      BiConsumer<Long, MetadataLine> checkMetadata) {
    this(server, tableName, tableId, options, checkMetadata, null);
  }

  /**
   * @param prefetcher runs the server call for the next change window ahead of need; null asks for
   *     every window when it is needed
   */
  StreamPlanner(
      Server server,
      String tableName,
      String tableId,
      ReadOptions options,
      BiConsumer<Long, MetadataLine> checkMetadata,
      Executor prefetcher) {
    this.server = server;
    this.tableName = tableName;
    this.tableId = tableId;
    this.options = options;
    this.checkMetadata = checkMetadata;
    this.prefetcher = prefetcher;
  }

  /** Where a new stream starts. */
  SharingOffset initial(long latest) {
    if (options.startingLatest()) {
      return SharingOffset.startOfChanges(tableId, latest + 1);
    }
    if (options.startingVersion() != null) {
      return SharingOffset.startOfChanges(tableId, options.startingVersion());
    }
    if (options.startingTimestamp() != null) {
      return SharingOffset.startOfChanges(
          tableId, server.versionAtOrAfter(options.startingTimestamp()));
    }
    return new SharingOffset(tableId, latest, -1, true);
  }

  /** The end of the next batch from {@code start}: as many files as the limits admit. */
  SharingOffset advance(SharingOffset start, long latest, long maxFiles, long maxBytes) {
    Budget budget = new Budget(maxFiles, maxBytes);
    SharingOffset pos = start;
    if (pos.isStartingVersion) {
      List<PlannedFile> snap = snapshot(pos.tableVersion);
      for (int i = (int) pos.index + 1; i < snap.size(); i++) {
        if (!budget.admit(snap.get(i))) {
          return pos;
        }
        pos = new SharingOffset(tableId, pos.tableVersion, i, true);
      }
      pos = SharingOffset.startOfChanges(tableId, pos.tableVersion + 1);
    }
    while (pos.tableVersion <= latest) {
      List<PlannedFile> list = changes(pos.tableVersion, latest);
      for (int i = (int) pos.index + 1; i < list.size(); i++) {
        if (!budget.admit(list.get(i))) {
          return pos;
        }
        pos = new SharingOffset(tableId, pos.tableVersion, i, false);
      }
      pos = SharingOffset.startOfChanges(tableId, pos.tableVersion + 1);
    }
    return pos;
  }

  /** The files after {@code start} up to and including {@code end}. */
  List<PlannedFile> files(SharingOffset start, SharingOffset end) {
    List<PlannedFile> out = new ArrayList<>();
    SharingOffset pos = start;
    if (pos.isStartingVersion) {
      List<PlannedFile> snap = snapshot(pos.tableVersion);
      boolean endsHere = end.isStartingVersion && end.tableVersion == pos.tableVersion;
      long to = endsHere ? end.index : snap.size() - 1;
      for (long i = pos.index + 1; i <= to; i++) {
        out.add(snap.get((int) i));
      }
      if (endsHere) {
        return out;
      }
      pos = SharingOffset.startOfChanges(tableId, pos.tableVersion + 1);
    }
    while (pos.tableVersion <= end.tableVersion) {
      long v = pos.tableVersion;
      if (v == end.tableVersion && end.index < 0) {
        break;
      }
      List<PlannedFile> list = changes(v, end.tableVersion);
      long to = v == end.tableVersion ? end.index : list.size() - 1;
      for (long i = pos.index + 1; i <= to; i++) {
        out.add(list.get((int) i));
      }
      pos = SharingOffset.startOfChanges(tableId, v + 1);
    }
    return out;
  }

  /** Forgets versions a committed batch no longer needs. */
  void committed(SharingOffset end) {
    versions.headMap(end.tableVersion).clear();
    if (!end.isStartingVersion && end.tableVersion > snapshotVersion) {
      snapshot = null;
      snapshotVersion = -1;
    }
  }

  /** Drops a change window asked for ahead of need (the stream stops). */
  void stop() {
    Prefetch p = pending;
    pending = null;
    if (p != null) {
      p.listing().cancel(false);
    }
  }

  /** Versions held in memory (tests). */
  int cachedVersions() {
    return versions.size();
  }

  private List<PlannedFile> snapshot(long version) {
    if (snapshot == null || snapshotVersion != version) {
      List<PlannedFile> files = new ArrayList<>();
      for (PlannedFile f : server.snapshot(version).files()) {
        // the initial snapshot reads as inserts committed at its version
        files.add(f.as(FileAction.Kind.FILE, version));
      }
      files.sort(ORDER);
      snapshot = files;
      snapshotVersion = version;
    }
    return snapshot;
  }

  private List<PlannedFile> changes(long version, long latest) {
    List<PlannedFile> cached = versions.get(version);
    if (cached != null) {
      return cached;
    }
    long to = window(version, latest);
    FileListing listing = null;
    Prefetch p = pending;
    pending = null;
    if (p != null && p.from() == version && p.to() <= to) {
      try {
        listing = p.listing().join();
        to = p.to();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        // asked again below, where a lasting failure surfaces with its own message
      }
    }
    if (listing == null) {
      listing = server.changes(version, to);
    }
    prefetch(to + 1, latest);
    if (listing.metadata().version() != null) {
      checkMetadata.accept(listing.metadata().version(), listing.metadata());
    }
    for (MetadataLine m : listing.laterMetadata()) {
      checkMetadata.accept(m.version() == null ? version : m.version(), m);
    }
    Map<Long, List<PlannedFile>> byVersion = new TreeMap<>();
    for (long v = version; v <= to; v++) {
      byVersion.put(v, new ArrayList<>());
    }
    for (PlannedFile f : listing.files()) {
      List<PlannedFile> list = byVersion.get(f.version());
      if (list != null) {
        list.add(f);
      }
    }
    for (Map.Entry<Long, List<PlannedFile>> e : byVersion.entrySet()) {
      List<PlannedFile> emitted = options.readChangeFeed() ? e.getValue() : dataChanges(e);
      emitted.sort(ORDER);
      versions.put(e.getKey(), emitted);
    }
    return versions.get(version);
  }

  /** The versions of one change query from {@code version}: at most {@code maxVersionsPerRpc}. */
  private long window(long version, long latest) {
    return Math.min(Math.max(latest, version), version + options.maxVersionsPerRpc() - 1);
  }

  /** Asks for the window from {@code from} in the background when the table has that version. */
  private void prefetch(long from, long latest) {
    if (prefetcher == null || from > latest) {
      return;
    }
    long to = window(from, latest);
    try {
      pending =
          new Prefetch(
              from, to, CompletableFuture.supplyAsync(() -> server.changes(from, to), prefetcher));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      pending = null; // asked for when needed
    }
  }

  /** The files a non-change-feed stream reads from one commit. */
  private List<PlannedFile> dataChanges(Map.Entry<Long, List<PlannedFile>> commit) {
    List<PlannedFile> adds = new ArrayList<>();
    boolean removes = false;
    for (PlannedFile f : commit.getValue()) {
      if (f.kind() == FileAction.Kind.REMOVE) {
        removes = true;
      } else if (f.kind() == FileAction.Kind.ADD) {
        adds.add(f);
      }
    }
    if (!removes) {
      return adds;
    }
    if (options.skipChangeCommits()) {
      return new ArrayList<>();
    }
    if (!adds.isEmpty()) {
      if (options.ignoreChanges()) {
        return adds;
      }
      throw new DeltaSharingReadException(
          "Delta Sharing table "
              + tableName
              + " has a commit that updated existing data at version "
              + commit.getKey()
              + "; a stream cannot express that. Set option skipChangeCommits=true to skip such"
              + " commits, ignoreChanges=true to read their new files again (rows may repeat), or"
              + " read the change data feed (readChangeFeed=true).",
          null);
    }
    if (options.ignoreDeletes() || options.ignoreChanges()) {
      return adds;
    }
    throw new DeltaSharingReadException(
        "Delta Sharing table "
            + tableName
            + " has a commit that deleted data at version "
            + commit.getKey()
            + "; a stream cannot express that. Set option ignoreDeletes=true to skip deletions,"
            + " or skipChangeCommits=true to skip every commit that removes data.",
        null);
  }

  /** The limits of one batch; the first file is always admitted. */
  private static final class Budget {
    private final long maxFiles;
    private final long maxBytes;
    private long files;
    private long bytes;

    Budget(long maxFiles, long maxBytes) {
      this.maxFiles = maxFiles;
      this.maxBytes = maxBytes;
    }

    boolean admit(PlannedFile f) {
      if (files > 0 && (files + 1 > maxFiles || bytes + f.size() > maxBytes)) {
        return false;
      }
      files++;
      bytes += f.size();
      return true;
    }
  }
}
