package io.lakeshare.it.bench.connector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Records one action with JFR's {@code profile} settings in this JVM and summarises the CPU samples
 * of the read path: per thread group (Spark tasks, the server's Jetty threads) and per subsystem of
 * the first non-JDK frame from the top (so JDK socket, copy and file work is charged to the code
 * that asked for it), plus the hottest leaf frames.
 */
final class ReadProfile {
  private static final Map<String, String> BUCKETS = new LinkedHashMap<>();

  static {
    BUCKETS.put("io.lakeshare.spark.read.", "connector range reads (HttpRangeInputStream...)");
    BUCKETS.put("io.lakeshare.server.storage.", "server file serving (LocalFileHandler...)");
    BUCKETS.put("io.lakeshare.", "other Lakeshare");
    BUCKETS.put("org.apache.hc.", "HTTP client (Apache HttpClient 5)");
    BUCKETS.put("org.eclipse.jetty.", "HTTP server (Jetty)");
    BUCKETS.put("org.xerial.snappy.", "decompression");
    BUCKETS.put("io.airlift.compress.", "decompression");
    BUCKETS.put("com.github.luben.", "decompression");
    BUCKETS.put("org.apache.spark.sql.execution.datasources.parquet.", "Parquet decoding (Spark)");
    BUCKETS.put("org.apache.spark.sql.execution.vectorized.", "Parquet decoding (Spark)");
    BUCKETS.put("org.apache.parquet.", "Parquet reading (parquet-java)");
    BUCKETS.put("shaded.parquet.", "Parquet reading (parquet-java)");
    BUCKETS.put("org.apache.hadoop.", "Hadoop FS");
    BUCKETS.put("org.apache.spark.", "Spark execution (rows, codegen, noop sink)");
  }

  private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

  private ReadProfile() {}

  /** Runs {@code action} under JFR and returns the printed summary. */
  static String profile(Runnable action, Path recordingFile, int top)
      throws IOException, ParseException {
    Files.deleteIfExists(recordingFile);
    try (Recording r = new Recording(Configuration.getConfiguration("profile"))) {
      r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
      r.start();
      action.run();
      r.stop();
      r.dump(recordingFile);
    }
    return summarise(recordingFile, top);
  }

  static String summarise(Path recordingFile, int top) throws IOException {
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> buckets = new HashMap<>();
    Map<String, Integer> leaves = new HashMap<>();
    Map<String, Integer> callers = new HashMap<>();
    Map<String, Integer> onStack = new HashMap<>();
    int samples = 0;
    int gcs = 0;
    long gcPauseMs = 0;
    try (RecordingFile in = new RecordingFile(recordingFile)) {
      while (in.hasMoreEvents()) {
        RecordedEvent e = in.readEvent();
        String type = e.getEventType().getName();
        if (type.equals("jdk.GarbageCollection")) {
          gcs++;
          gcPauseMs += e.getDuration("sumOfPauses").toMillis();
          continue;
        }
        if (!type.equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
          continue;
        }
        samples++;
        String group = threadGroup(e.getThread("sampledThread"));
        threads.merge(group, 1, Integer::sum);
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        if (!frames.isEmpty()) {
          leaves.merge(name(frames.get(0)), 1, Integer::sum);
        }
        String caller = firstNonJdk(frames);
        callers.merge(caller == null ? "(JDK only)" : caller, 1, Integer::sum);
        buckets.merge(group + ": " + bucket(caller), 1, Integer::sum);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RecordedFrame f : frames) {
          String n = name(f);
          if (n.startsWith("io.lakeshare.") && seen.add(n)) {
            onStack.merge(group + ": " + n, 1, Integer::sum);
          }
        }
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "JFR %s: %d CPU samples (10 ms period, both cores), %d GCs with %d ms of pauses%n",
            recordingFile.getFileName(),
            samples,
            gcs,
            gcPauseMs));
    print(out, "Samples by thread group", threads, samples, top);
    print(
        out, "Samples by thread group and subsystem (first non-JDK frame)", buckets, samples, top);
    print(out, "Hottest leaf frames (self time)", leaves, samples, top);
    print(out, "Hottest first non-JDK frames", callers, samples, top);
    print(out, "Lakeshare methods on the stack (inclusive)", onStack, samples, top);
    return out.toString();
  }

  private static String bucket(String caller) {
    if (caller == null) {
      return "JDK only";
    }
    for (Map.Entry<String, String> b : BUCKETS.entrySet()) {
      if (caller.startsWith(b.getKey())) {
        return b.getValue();
      }
    }
    return "other libraries";
  }

  private static String firstNonJdk(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String n = name(f);
      if (JDK.stream().noneMatch(n::startsWith)) {
        return n;
      }
    }
    return null;
  }

  private static String threadGroup(RecordedThread t) {
    String n = t == null || t.getJavaName() == null ? "?" : t.getJavaName();
    if (n.startsWith("Executor task ")) {
      return "Spark task";
    }
    if (n.matches("lakeshare-\\d+")) {
      return "server Jetty";
    }
    return n.replaceAll("-?\\d+$", "");
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    return m == null ? "?" : m.getType().getName() + "." + m.getName();
  }

  private static void print(
      StringBuilder out, String title, Map<String, Integer> counts, int total, int top) {
    out.append(title).append(":\n");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %5.1f%%  %6d  %s%n",
                        total == 0 ? 0.0 : 100.0 * e.getValue() / total,
                        e.getValue(),
                        e.getKey())));
  }
}
