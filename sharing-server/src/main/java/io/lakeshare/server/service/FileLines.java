package io.lakeshare.server.service;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.server.delta.FileExtras;
import io.lakeshare.server.delta.ScanFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Snapshot file lines put together from bytes serialized once per file: everything but the URL, its
 * expiry and the time-travel version and timestamp. The parts come from the same codec as every
 * other line and are joined so that the line is byte for byte the one the codec writes for the
 * whole action. Files the file-list cache keeps carry their parts from query to query, which spares
 * the re-escaping of the stats JSON and the file id hash each time.
 *
 * <p>Files with deletion vectors (whose vector URL is signed inside the line) take the codec's
 * path.
 */
final class FileLines {
  private static final byte[] PARQUET_START = ascii("{\"file\":{\"url\":\"");
  private static final byte[] DELTA_PATH = ascii(",\"deltaSingleAction\":{\"add\":{\"path\":\"");
  private static final byte[] END = ascii("}}");
  private static final byte[] NOTHING = new byte[0];
  private static final byte[] VERSION = ascii(",\"version\":");
  private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
  private static final byte[] EXPIRATION = ascii(",\"expirationTimestamp\":");
  private static final byte[] STATS_FIELD = ascii("\"stats\":\"");

  /**
   * What the parts are rendered with in place of the stats (plain ASCII, so its JSON form is
   * itself); each line then gets the file's own stats bytes there.
   */
  static final String STATS_MARK = "lakeshare:stats-go-here";

  private static final byte[] MARKED_FIELD = ascii("\"stats\":\"" + STATS_MARK + "\"");
  private static final byte[] QUOTE = ascii("\"");

  /**
   * The serialized parts of one file's line: {@code head} comes before the variable fields and
   * {@code tail} after the URL's closing quote. When {@code afterStats} is set, the tail stops
   * where the stats JSON string's body goes: the line continues with the file's {@link
   * ScanFile#statsJson()} and then {@code afterStats}, so that the stats are kept once per file.
   */
  record Parts(
      ResponseFormat format, String idScheme, byte[] head, byte[] tail, byte[] afterStats) {
    boolean fits(ResponseFormat f, String scheme) {
      return format == f && idScheme.equals(scheme);
    }

    long bytes() {
      return 56L + head.length + tail.length + (afterStats == null ? 0 : afterStats.length);
    }
  }

  private byte[] buf = new byte[4096];
  private int len;

  /**
   * The parts of {@code f}'s line, kept on the file; {@code null} when the file takes the codec's
   * path.
   */
  static Parts parts(ScanFile f, ResponseFormat format, String idScheme) {
    if (f.rendered() instanceof Parts p && p.fits(format, idScheme)) {
      return p;
    }
    Parts p = format == ResponseFormat.PARQUET ? parquet(f, idScheme) : delta(f, idScheme);
    if (p != null) {
      f.rendered(p);
    }
    return p;
  }

  private static Parts parquet(ScanFile f, String idScheme) {
    byte[] whole =
        WireJson.actionBytes(
            new FileAction(
                FileAction.Kind.FILE,
                "",
                FileIds.id(idScheme, f.logPath()),
                f.partitionValues(),
                f.size(),
                f.statsJson() == null ? null : STATS_MARK,
                null,
                null,
                null));
    // {"file":{"url":"" ... }}: the tail starts at the URL's closing quote
    if (!startsWith(whole, PARQUET_START) || !endsWith(whole, END)) {
      return null;
    }
    return split(
        ResponseFormat.PARQUET,
        idScheme,
        f,
        whole,
        NOTHING,
        PARQUET_START.length,
        whole.length - END.length);
  }

  private static Parts delta(ScanFile f, String idScheme) {
    if (f.hasDeletionVector()) {
      return null;
    }
    FileExtras x = f.extras();
    byte[] whole =
        WireJson.actionBytes(
            new DeltaFileAction(
                DeltaFileAction.Kind.ADD,
                FileIds.id(idScheme, f.logPath()),
                null,
                null,
                null,
                null,
                "",
                f.partitionValues(),
                f.size(),
                f.modificationTime(),
                x.dataChange(),
                f.statsJson() == null ? null : STATS_MARK,
                x.tags(),
                null,
                x.baseRowId(),
                x.defaultRowCommitVersion(),
                null,
                null));
    // {"file":{"id":"..." | ,"deltaSingleAction":{"add":{"path":"" | ...}}}}: the id is hex, so
    // the first occurrence of the marker is the field
    int at = indexOf(whole, DELTA_PATH);
    if (at < 0) {
      return null;
    }
    return split(
        ResponseFormat.DELTA,
        idScheme,
        f,
        whole,
        Arrays.copyOfRange(whole, 0, at),
        at + DELTA_PATH.length,
        whole.length);
  }

  /**
   * The parts of a line whose tail is {@code whole[from, to)}, a line rendered with {@link
   * #STATS_MARK} for stats: the tail is cut around the mark, where each line gets the file's kept
   * stats bytes; {@code null} (the codec's path) in the unlikely case that a partition value or tag
   * repeats the marked field.
   */
  private static Parts split(
      ResponseFormat format,
      String idScheme,
      ScanFile f,
      byte[] whole,
      byte[] head,
      int from,
      int to) {
    if (f.statsJson() == null) {
      return new Parts(format, idScheme, head, Arrays.copyOfRange(whole, from, to), null);
    }
    int at = indexOf(whole, MARKED_FIELD, 0);
    if (at < from || at + MARKED_FIELD.length > to || indexOf(whole, MARKED_FIELD, at + 1) >= 0) {
      return null;
    }
    int body = at + STATS_FIELD.length;
    return new Parts(
        format,
        idScheme,
        head,
        Arrays.copyOfRange(whole, from, body),
        after(whole, body + STATS_MARK.length(), to));
  }

  /** {@code whole[from, to)}; the parquet format's (a closing quote) is one shared array. */
  private static byte[] after(byte[] whole, int from, int to) {
    return to - from == 1 && whole[from] == '"' ? QUOTE : Arrays.copyOfRange(whole, from, to);
  }

  /**
   * Puts the line together in this writer's buffer; {@link #buffer} and {@link #length} hold it
   * until the next call.
   */
  void join(Parts p, ScanFile f, String url, Long version, Long timestamp, long expiration) {
    len = 0;
    if (p.format() == ResponseFormat.PARQUET) {
      append(PARQUET_START);
      appendJsonStringBody(url);
      appendTail(p, f);
      versionFields(version, timestamp, expiration);
      append(END);
    } else {
      append(p.head());
      versionFields(version, timestamp, expiration);
      append(DELTA_PATH);
      appendJsonStringBody(url);
      appendTail(p, f);
    }
  }

  private void appendTail(Parts p, ScanFile f) {
    append(p.tail());
    if (p.afterStats() != null) {
      append(f.statsJson());
      append(p.afterStats());
    }
  }

  byte[] buffer() {
    return buf;
  }

  int length() {
    return len;
  }

  private void versionFields(Long version, Long timestamp, long expiration) {
    if (version != null) {
      append(VERSION);
      appendLong(version);
    }
    if (timestamp != null) {
      append(TIMESTAMP);
      appendLong(timestamp);
    }
    append(EXPIRATION);
    appendLong(expiration);
  }

  /**
   * The string's JSON form between its quotes (the parts hold the closing quote: they were cut from
   * a line with an empty string there).
   */
  private void appendJsonStringBody(String s) {
    // an ASCII string encodes to as many bytes as it has chars (and the JDK's encoder has a fast
    // path for it); then only quotes, backslashes and control characters need escapes
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    boolean plain = b.length == s.length();
    for (int i = 0; plain && i < b.length; i++) {
      byte c = b[i];
      plain = c >= 0x20 && c != '"' && c != '\\';
    }
    append(plain ? b : JsonStringEncoder.getInstance().quoteAsUTF8(s));
  }

  private void appendLong(long v) {
    String s = Long.toString(v);
    ensure(s.length());
    s.getBytes(0, s.length(), buf, len);
    len += s.length();
  }

  private void append(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length
        && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static boolean endsWith(byte[] a, byte[] suffix) {
    return a.length >= suffix.length
        && Arrays.equals(a, a.length - suffix.length, a.length, suffix, 0, suffix.length);
  }

  private static int indexOf(byte[] a, byte[] m) {
    return indexOf(a, m, 0);
  }

  static int indexOf(byte[] a, byte[] m, int from) {
    outer:
    for (int i = from; i + m.length <= a.length; i++) {
      for (int j = 0; j < m.length; j++) {
        if (a[i + j] != m[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
