package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Metadata;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamPlannerTest {
  private static final String ID = "table-id";

  /** A table: version → its change files; snapshots are the adds minus the removes so far. */
  private static final class FakeServer implements StreamPlanner.Server {
    final Map<Long, List<PlannedFile>> commits = new HashMap<>();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Calls of these windows ("from..to") fail, each once. */
    final java.util.Set<String> failOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Calls of these windows always fail. */
    final java.util.Set<String> failAlways = java.util.concurrent.ConcurrentHashMap.newKeySet();

    volatile long latest;

    void commit(long v, String... files) {
      List<PlannedFile> list = new ArrayList<>();
      for (String f : files) {
        boolean remove = f.startsWith("-");
        String id = remove ? f.substring(1) : f;
        list.add(file(id, remove ? FileAction.Kind.REMOVE : FileAction.Kind.ADD, v, 10));
      }
      commits.put(v, list);
      latest = Math.max(latest, v);
    }

    @Override
    public long latestVersion() {
      return latest;
    }

    @Override
    public long versionAtOrAfter(String timestamp) {
      return 2;
    }

    @Override
    public FileListing snapshot(long version) {
      calls.add("snapshot " + version);
      Map<String, PlannedFile> live = new HashMap<>();
      for (long v = 0; v <= version; v++) {
        for (PlannedFile f : commits.getOrDefault(v, List.of())) {
          if (f.kind() == FileAction.Kind.REMOVE) {
            live.remove(f.id());
          } else {
            live.put(f.id(), file(f.id(), FileAction.Kind.FILE, -1, f.size()));
          }
        }
      }
      return listing(version, new ArrayList<>(live.values()));
    }

    @Override
    public FileListing changes(long from, long to) {
      calls.add("changes " + from + ".." + to);
      String window = from + ".." + to;
      if (failOnce.remove(window) || failAlways.contains(window)) {
        throw new DeltaSharingReadException("server down while listing " + window, null);
      }
      List<PlannedFile> out = new ArrayList<>();
      for (long v = from; v <= to; v++) {
        out.addAll(commits.getOrDefault(v, List.of()));
      }
      return listing(from, out);
    }
  }

  private static PlannedFile file(String id, FileAction.Kind kind, long version, long size) {
    return new PlannedFile(
        id, "http://h/" + id, Long.MAX_VALUE, size, Map.of(), 1, kind, version, 7);
  }

  private static FileListing listing(long version, List<PlannedFile> files) {
    Metadata m = new Metadata(ID, null, null, null, "{}", null, null, version, null, null);
    return new FileListing(version, m, List.of(), files, null);
  }

  private static ReadOptions options(Map<String, String> o) {
    return ReadOptions.parse("s.sc.t", o, ZoneId.of("UTC"));
  }

  private static StreamPlanner planner(FakeServer s, Map<String, String> o) {
    return new StreamPlanner(s, "s.sc.t", ID, options(o), (v, m) -> {});
  }

  private static List<String> ids(List<PlannedFile> files) {
    return files.stream().map(f -> f.id() + "@" + f.version()).toList();
  }

  /** Runs the stream to the end with a file limit; returns the files of each batch. */
  private static List<List<String>> drain(
      StreamPlanner p, SharingOffset start, long latest, int n) {
    List<List<String>> batches = new ArrayList<>();
    SharingOffset pos = start;
    while (true) {
      SharingOffset end = p.advance(pos, latest, n, Long.MAX_VALUE);
      if (end.samePosition(pos)) {
        return batches;
      }
      batches.add(ids(p.files(pos, end)));
      p.committed(end);
      pos = end;
    }
  }

  @Test
  void initialSnapshotThenChangesInFileIdOrderWithinTheFileLimit() {
    FakeServer s = new FakeServer();
    s.commit(0, "b", "a");
    s.commit(1, "c");
    s.commit(2, "e", "d");
    StreamPlanner p = planner(s, Map.of());
    SharingOffset start = p.initial(s.latest);
    assertThat(start.isStartingVersion).isTrue();
    assertThat(start.tableVersion).isEqualTo(2);
    assertThat(drain(p, start, 2, 2))
        .containsExactly(List.of("a@2", "b@2"), List.of("c@2", "d@2"), List.of("e@2"));
    s.commit(3, "g", "f");
    SharingOffset after = SharingOffset.startOfChanges(ID, 3);
    assertThat(drain(p, after, 3, 5)).containsExactly(List.of("f@3", "g@3"));
  }

  @Test
  void startingVersionReadsChangesOnlyAndNothingBeyondTheLatest() {
    FakeServer s = new FakeServer();
    s.commit(0, "a");
    s.commit(1, "b");
    s.commit(2, "c", "d");
    StreamPlanner p = planner(s, Map.of("startingVersion", "1"));
    SharingOffset start = p.initial(s.latest);
    assertThat(drain(p, start, 2, 1000)).containsExactly(List.of("b@1", "c@2", "d@2"));
    assertThat(s.calls).containsExactly("changes 1..2");
    StreamPlanner latest = planner(s, Map.of("startingVersion", "latest"));
    SharingOffset l = latest.initial(s.latest);
    assertThat(l.tableVersion).isEqualTo(3);
    assertThat(latest.advance(l, 2, 10, Long.MAX_VALUE).samePosition(l)).isTrue();
  }

  @Test
  void byteLimitIsSoftAndAdmitsAtLeastOneFile() {
    FakeServer s = new FakeServer();
    s.commit(0, "a", "b", "c");
    StreamPlanner p = planner(s, Map.of("startingVersion", "0", "maxBytesPerTrigger", "15"));
    SharingOffset start = p.initial(0);
    SharingOffset first = p.advance(start, 0, Long.MAX_VALUE, 15);
    assertThat(ids(p.files(start, first))).containsExactly("a@0");
    SharingOffset two = p.advance(start, 0, Long.MAX_VALUE, 25);
    assertThat(ids(p.files(start, two))).containsExactly("a@0", "b@0");
  }

  @Test
  void removesFailUnlessAnOptionSaysWhatToDo() {
    FakeServer s = new FakeServer();
    s.commit(0, "a", "b");
    s.commit(1, "-a"); // delete only
    s.commit(2, "-b", "b2"); // update: rewrite b
    s.commit(3, "c");
    assertThatThrownBy(() -> drain(planner(s, Map.of("startingVersion", "0")), start(0), 3, 100))
        .hasMessageContaining("deleted data at version 1")
        .hasMessageContaining("ignoreDeletes");
    assertThatThrownBy(
            () ->
                drain(
                    planner(s, Map.of("startingVersion", "0", "ignoreDeletes", "true")),
                    start(0),
                    3,
                    100))
        .hasMessageContaining("updated existing data at version 2")
        .hasMessageContaining("skipChangeCommits");
    assertThat(
            drain(
                planner(s, Map.of("startingVersion", "0", "ignoreChanges", "true")),
                start(0),
                3,
                100))
        .containsExactly(List.of("a@0", "b@0", "b2@2", "c@3"));
    assertThat(
            drain(
                planner(s, Map.of("startingVersion", "0", "skipChangeCommits", "true")),
                start(0),
                3,
                100))
        .containsExactly(List.of("a@0", "b@0", "c@3"));
  }

  @Test
  void restartingFromAnyCommittedOffsetGivesTheRemainingFilesExactlyOnce() {
    FakeServer s = new FakeServer();
    s.commit(0, "a", "b", "c");
    s.commit(1, "d");
    s.commit(2);
    s.commit(3, "f", "e");
    List<String> all = new ArrayList<>();
    drain(planner(s, Map.of()), planner(s, Map.of()).initial(3), 3, 1000).forEach(all::addAll);
    assertThat(all).containsExactly("a@3", "b@3", "c@3", "d@3", "e@3", "f@3");
    // batches of 2, restarting with a fresh planner after every batch, as after a crash
    List<String> resumed = new ArrayList<>();
    SharingOffset pos = planner(s, Map.of("startingVersion", "0")).initial(3);
    while (true) {
      StreamPlanner fresh = planner(s, Map.of("startingVersion", "0"));
      SharingOffset end = fresh.advance(pos, 3, 2, Long.MAX_VALUE);
      if (end.samePosition(pos)) {
        break;
      }
      StreamPlanner other = planner(s, Map.of("startingVersion", "0"));
      resumed.addAll(ids(other.files(pos, end)));
      pos = SharingOffset.parse(end.json(), ID, "s.sc.t");
    }
    assertThat(resumed).containsExactly("a@0", "b@0", "c@0", "d@1", "e@3", "f@3");
  }

  @Test
  void versionsAreFetchedInWindowsAndForgottenAfterCommit() {
    FakeServer s = new FakeServer();
    for (long v = 0; v < 10; v++) {
      s.commit(v, "f" + v);
    }
    StreamPlanner p = planner(s, Map.of("startingVersion", "0", "maxVersionsPerRpc", "4"));
    SharingOffset end = p.advance(start(0), 9, 1000, Long.MAX_VALUE);
    assertThat(end.tableVersion).isEqualTo(10);
    assertThat(s.calls).containsExactly("changes 0..3", "changes 4..7", "changes 8..9");
    p.committed(end);
    assertThat(p.cachedVersions()).isZero();
  }

  @Test
  void theNextChangeWindowIsAskedForWhileTheCurrentBatchRuns() {
    FakeServer s = new FakeServer();
    for (long v = 0; v < 10; v++) {
      s.commit(v, "f" + v + "a", "f" + v + "b");
    }
    Map<String, String> o = Map.of("startingVersion", "0", "maxVersionsPerRpc", "4");
    List<List<String>> expected = drain(planner(s, o), start(0), 9, 8);
    s.calls.clear();
    // a direct executor runs the prefetch at once, so the order of calls is fixed
    StreamPlanner p = new StreamPlanner(s, "s.sc.t", ID, options(o), (v, m) -> {}, Runnable::run);
    SharingOffset first = p.advance(start(0), 9, 8, Long.MAX_VALUE);
    // 0..3 fill the batch and 4..7 was needed to see where it ends; 8..9 was asked for ahead, so
    // the next batch's planning finds it ready
    assertThat(first.tableVersion).isEqualTo(4);
    assertThat(s.calls).containsExactly("changes 0..3", "changes 4..7", "changes 8..9");
    List<List<String>> batches = new ArrayList<>();
    batches.add(ids(p.files(start(0), first)));
    p.committed(first);
    batches.addAll(drain(p, first, 9, 8));
    assertThat(batches).isEqualTo(expected);
    // no window was asked for twice, nothing beyond the latest version
    assertThat(s.calls).containsExactly("changes 0..3", "changes 4..7", "changes 8..9");
    // a stream that has caught up asks for nothing ahead, and sees new commits when they come
    s.commit(10, "g");
    SharingOffset caughtUp = SharingOffset.startOfChanges(ID, 10);
    assertThat(drain(p, caughtUp, 10, 8)).containsExactly(List.of("g@10"));
    assertThat(s.calls).last().isEqualTo("changes 10..10");
  }

  @Test
  void prefetchingOnThreadsReadsTheSameFilesWithOneCallPerWindow() throws Exception {
    FakeServer s = new FakeServer();
    for (long v = 0; v < 50; v++) {
      s.commit(v, "f" + v + "x", "f" + v + "y", "f" + v + "z");
    }
    Map<String, String> o = Map.of("startingVersion", "3", "maxVersionsPerRpc", "7");
    List<List<String>> expected = drain(planner(s, o), start(3), 49, 10);
    int plainCalls = s.calls.size();
    s.calls.clear();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      StreamPlanner p = new StreamPlanner(s, "s.sc.t", ID, options(o), (v, m) -> {}, pool);
      assertThat(drain(p, start(3), 49, 10)).isEqualTo(expected);
    } finally {
      pool.shutdown();
    }
    assertThat(s.calls).hasSize(plainCalls).doesNotHaveDuplicates();
    assertThat(expected.stream().mapToInt(List::size).sum()).isEqualTo(47 * 3);
  }

  @Test
  void aFailedPrefetchIsAskedAgainAndALastingFailureSurfacesWhenNeeded() {
    FakeServer s = new FakeServer();
    for (long v = 0; v < 6; v++) {
      s.commit(v, "f" + v);
    }
    Map<String, String> o = Map.of("startingVersion", "0", "maxVersionsPerRpc", "2");
    s.failOnce.add("4..5");
    StreamPlanner p = new StreamPlanner(s, "s.sc.t", ID, options(o), (v, m) -> {}, Runnable::run);
    assertThat(drain(p, start(0), 5, 2))
        .containsExactly(List.of("f0@0", "f1@1"), List.of("f2@2", "f3@3"), List.of("f4@4", "f5@5"));
    // 4..5 failed in the background and was asked again when the second batch needed it
    assertThat(s.calls)
        .containsExactly("changes 0..1", "changes 2..3", "changes 4..5", "changes 4..5");

    s.calls.clear();
    s.failAlways.add("4..5");
    StreamPlanner q = new StreamPlanner(s, "s.sc.t", ID, options(o), (v, m) -> {}, Runnable::run);
    SharingOffset first = q.advance(start(0), 5, 2, Long.MAX_VALUE);
    assertThat(ids(q.files(start(0), first))).containsExactly("f0@0", "f1@1");
    q.committed(first);
    assertThatThrownBy(() -> q.advance(first, 5, 2, Long.MAX_VALUE))
        .hasMessageContaining("server down while listing 4..5");
    assertThat(s.calls)
        .containsExactly("changes 0..1", "changes 2..3", "changes 4..5", "changes 4..5");
  }

  @Test
  void aPrefetchForAnotherPositionIsNotUsed() {
    FakeServer s = new FakeServer();
    for (long v = 0; v < 8; v++) {
      s.commit(v, "f" + v);
    }
    Map<String, String> o = Map.of("startingVersion", "0", "maxVersionsPerRpc", "2");
    StreamPlanner p = new StreamPlanner(s, "s.sc.t", ID, options(o), (v, m) -> {}, Runnable::run);
    p.advance(start(0), 7, 2, Long.MAX_VALUE); // 0..1 and 2..3 needed, 4..5 prefetched
    // the stream goes on from elsewhere (say, a checkpoint of another run): 5..6 is asked anew
    SharingOffset other = p.advance(start(5), 7, 2, Long.MAX_VALUE);
    assertThat(ids(p.files(start(5), other))).containsExactly("f5@5", "f6@6");
    assertThat(s.calls)
        .containsExactly(
            "changes 0..1", "changes 2..3", "changes 4..5", "changes 5..6", "changes 7..7");
    p.stop();
  }

  @Test
  void offsetsRoundTripAndRefuseAnotherTable() {
    SharingOffset o = new SharingOffset(ID, 12, 3, true);
    assertThat(o.json())
        .isEqualTo(
            "{\"sourceVersion\":1,\"tableId\":\"table-id\",\"tableVersion\":12,\"index\":3,"
                + "\"isStartingVersion\":true}");
    assertThat(SharingOffset.parse(o.json(), ID, "t").samePosition(o)).isTrue();
    assertThatThrownBy(() -> SharingOffset.parse(o.json(), "other-id", "s.sc.t"))
        .hasMessageContaining("belongs to another table")
        .hasMessageContaining("s.sc.t");
    assertThatThrownBy(
            () ->
                SharingOffset.parse(
                    o.json().replace("\"sourceVersion\":1", "\"sourceVersion\":9"), ID, "t"))
        .hasMessageContaining("newer connector");
    assertThatThrownBy(() -> SharingOffset.parse("{oops", ID, "t"))
        .hasMessageContaining("cannot read");
  }

  private static SharingOffset start(long v) {
    return SharingOffset.startOfChanges(ID, v);
  }
}
