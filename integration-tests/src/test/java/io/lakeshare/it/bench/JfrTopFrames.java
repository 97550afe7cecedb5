package io.lakeshare.it.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples of a JFR recording of the server: which subsystem the samples fall in
 * (Kernel log replay, JSON writing, URL signing, ...), the hottest leaf methods and the Lakeshare
 * methods most often on the stack.
 *
 * <p>Usage: {@code JfrTopFrames <recording.jfr> [topN] [sinceEpochMillis]}; events before the given
 * time (server start-up, the first request) are skipped.
 */
public final class JfrTopFrames {
  /**
   * Subsystems by package prefix of the first non-JDK frame from the top of a stack, so that JDK
   * work (hashing, string building, socket writes) is charged to the code that asked for it.
   */
  private static final Map<String, String> BUCKETS = new LinkedHashMap<>();

  static {
    BUCKETS.put("io.lakeshare.server.delta.", "Kernel log replay");
    BUCKETS.put("io.delta.", "Kernel log replay");
    BUCKETS.put("org.apache.parquet.", "Kernel log replay");
    BUCKETS.put("shaded.parquet.", "Kernel log replay");
    BUCKETS.put("org.apache.hadoop.", "Kernel log replay");
    BUCKETS.put("io.lakeshare.protocol.json.", "JSON writing");
    BUCKETS.put("com.fasterxml.jackson.", "JSON writing");
    BUCKETS.put("io.lakeshare.server.http.NdjsonWriter", "JSON writing");
    BUCKETS.put("io.lakeshare.server.storage.", "URL signing");
    BUCKETS.put("io.lakeshare.server.service.FileIds", "file ids (MD5)");
    BUCKETS.put("io.lakeshare.server.filter.", "hint filter");
    BUCKETS.put("io.lakeshare.server.service.NumRecords", "hint filter");
    BUCKETS.put("org.eclipse.jetty.", "HTTP (Jetty)");
    BUCKETS.put("io.lakeshare.", "other Lakeshare");
  }

  private static final List<String> JDK_PREFIXES =
      List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

  private JfrTopFrames() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 4) {
      System.err.println(
          "Usage: JfrTopFrames <recording.jfr> [topN] [sinceEpochMillis] [untilEpochMillis]");
      System.exit(2);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Instant since = Instant.ofEpochMilli(args.length > 2 ? Long.parseLong(args[2]) : 0);
    Instant until = args.length > 3 ? Instant.ofEpochMilli(Long.parseLong(args[3])) : Instant.MAX;
    Map<String, Integer> buckets = new HashMap<>();
    Map<String, Integer> leaves = new HashMap<>();
    Map<String, Integer> callers = new HashMap<>();
    Map<String, Integer> onStack = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int samples = 0;
    int gcs = 0;
    Duration gcPauses = Duration.ZERO;
    try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        if (e.getStartTime().isBefore(since) || e.getStartTime().isAfter(until)) {
          continue;
        }
        String type = e.getEventType().getName();
        if (type.equals("jdk.GarbageCollection")) {
          gcs++;
          gcPauses = gcPauses.plus(e.getDuration("sumOfPauses"));
          continue;
        }
        if (!type.equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
          continue;
        }
        samples++;
        RecordedThread t = e.getThread("sampledThread");
        threads.merge(threadGroup(t), 1, Integer::sum);
        RecordedStackTrace stack = e.getStackTrace();
        List<RecordedFrame> frames = stack.getFrames();
        if (!frames.isEmpty()) {
          leaves.merge(name(frames.get(0)), 1, Integer::sum);
        }
        buckets.merge(bucket(frames), 1, Integer::sum);
        callers.merge(
            Objects.requireNonNullElse(firstNonJdk(frames), "(JDK only)"), 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
          String n = name(f);
          if (n.startsWith("io.lakeshare.") && seen.add(n)) {
            onStack.merge(n, 1, Integer::sum);
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "JFR %s from %s to %s: %d CPU samples, %d GCs with %d ms of pauses%n",
        args[0],
        since,
        until.equals(Instant.MAX) ? "the end" : until,
        samples,
        gcs,
        gcPauses.toMillis());
    print("Samples by subsystem (first non-JDK frame from the top)", buckets, samples, top);
    print("Samples by thread", threads, samples, top);
    print("Hottest leaf frames (self time)", leaves, samples, top);
    print(
        "Hottest first non-JDK frames (self time plus the JDK code they call)",
        callers,
        samples,
        top);
    print("Lakeshare methods on the stack (inclusive)", onStack, samples, top);
  }

  private static String bucket(List<RecordedFrame> frames) {
    String n = firstNonJdk(frames);
    if (n == null) {
      return "JDK only";
    }
    for (Map.Entry<String, String> b : BUCKETS.entrySet()) {
      if (n.startsWith(b.getKey())) {
        return b.getValue();
      }
    }
    return "other libraries";
  }

  private static String firstNonJdk(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String n = name(f);
      if (JDK_PREFIXES.stream().noneMatch(n::startsWith)) {
        return n;
      }
    }
    return null;
  }

  private static String threadGroup(RecordedThread t) {
    if (t == null || t.getJavaName() == null) {
      return "?";
    }
    // Pool threads are numbered (lakeshare-42); group them by pool.
    return t.getJavaName().replaceAll("-?\\d+$", "");
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    return m == null ? "?" : m.getType().getName() + "." + m.getName();
  }

  private static void print(String title, Map<String, Integer> counts, int total, int top) {
    System.out.println(title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "  %5.1f%%  %6d  %s%n",
                    total == 0 ? 0.0 : 100.0 * e.getValue() / total,
                    e.getValue(),
                    e.getKey()));
  }
}
