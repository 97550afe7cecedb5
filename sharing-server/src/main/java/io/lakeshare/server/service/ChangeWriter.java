package io.lakeshare.server.service;

import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.delta.ChangeFile;
import io.lakeshare.server.delta.ChangeRange;
import io.lakeshare.server.delta.CommitChanges;
import io.lakeshare.server.delta.DeltaTableException;
import io.lakeshare.server.delta.TableSnapshot;
import io.lakeshare.server.delta.TableSource;
import java.io.IOException;
import java.util.List;

/**
 * Writes the lines after the two header lines of a change answer, one commit at a time: metadata
 * lines of later versions (when the answer has them), then the commit's answered files. A page
 * holds at most {@code pageSize} file lines; the page ends at the first line that does not fit, and
 * its position (version, files of that version already sent) goes into the page token.
 */
final class ChangeWriter {
  /**
   * What the writer needs beyond the commits; {@code startSnapshot} is at {@code page.start};
   * {@code prefix} holds the first commits of the page, already read (detached), and the rest is
   * read from the log.
   */
  record Setup(
      ChangeRules.Mode mode,
      SharedTable table,
      TableSource delta,
      TableSnapshot startSnapshot,
      QueryTokens.ChangePage page,
      boolean metadataLines,
      boolean protocolLines,
      long pageSize,
      boolean endStream,
      AnswerLines lines,
      PartitionAccess access,
      QueryTokens tokens,
      String fingerprint,
      List<CommitChanges> prefix) {}

  private final Setup s;
  private ActionSink sink;
  private QueryTokens.ChangePage next;

  ChangeWriter(Setup setup) {
    this.s = setup;
  }

  void write(ActionSink out) throws IOException {
    this.sink = out;
    QueryTokens.ChangePage p = s.page();
    try {
      long from = p.version();
      boolean stopped = false;
      for (CommitChanges c : s.prefix()) {
        if (c.version() != from) {
          throw new IllegalStateException(
              "kept commit " + c.version() + " where version " + from + " was next");
        }
        if (!visit(c)) {
          stopped = true;
          break;
        }
        from++;
      }
      if (!stopped && from <= p.end()) {
        ChangeRange range =
            s.delta().changes(from, p.end(), from == p.start() ? s.startSnapshot() : null);
        range.forEach(this::visit);
      }
    } catch (DeltaTableException e) {
      throw TableErrors.map(s.table(), e);
    }
    if (s.endStream()) {
      String token =
          next == null ? null : s.tokens().changePage(s.table().id(), next, s.fingerprint());
      sink.write(new EndStreamAction(null, token, s.lines().minExpiry(), null, null));
    }
  }

  private boolean visit(CommitChanges c) throws IOException {
    long v = c.version();
    long skip = v == s.page().version() ? s.page().index() : 0;
    boolean later = skip == 0 && v > s.page().start();
    boolean protocolLine = later && s.protocolLines() && c.protocol() != null;
    boolean metadataLine = later && s.metadataLines() && c.metadata() != null;
    if ((protocolLine || metadataLine) && full()) {
      next = position(v, 0);
      return false;
    }
    if (protocolLine) {
      sink.write(s.lines().protocol(c.protocol(), v));
    }
    if (metadataLine) {
      long[] sizeAndCount =
          s.lines().format() == ResponseFormat.DELTA
              ? s.access().sizeAndFileCount(s.delta().atVersion(v))
              : null;
      sink.write(s.lines().metadata(c.metadata(), true, v, sizeAndCount));
    }
    long[] index = {0};
    try {
      c.forEachFile(
          f -> {
            if (!ChangeRules.answers(s.mode(), c, f) || !s.access().allows(f.partitionValues())) {
              return;
            }
            if (index[0] < skip) {
              index[0]++;
              return;
            }
            if (full()) {
              next = position(v, index[0]);
              throw PageFull.INSTANCE;
            }
            emit(c, f);
            index[0]++;
          });
    } catch (PageFull e) {
      return false;
    }
    return true;
  }

  private boolean full() {
    return s.lines().count() >= s.pageSize();
  }

  private QueryTokens.ChangePage position(long version, long index) {
    return s.page().at(version, index);
  }

  private void emit(CommitChanges c, ChangeFile f) {
    s.lines().change(sink, f, c.version(), c.timestamp());
  }

  /** Unwinds a commit's file walk once the page is full. */
  private static final class PageFull extends RuntimeException {
    static final PageFull INSTANCE = new PageFull();

    private PageFull() {
      super(null, null, false, false);
    }
  }
}
