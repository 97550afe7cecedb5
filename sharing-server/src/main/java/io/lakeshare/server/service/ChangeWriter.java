package io.lakeshare.server.service;

import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.delta.ChangeFile;
import io.lakeshare.server.delta.ChangeRange;
import io.lakeshare.server.delta.CommitChanges;
import io.lakeshare.server.delta.DeltaTable;
import io.lakeshare.server.delta.DeltaTableException;
import io.lakeshare.server.delta.TableSnapshot;
import io.lakeshare.server.storage.FileAccessException;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.SignedUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the lines after the two header lines of a change answer, one commit at a time: metadata
 * lines of later versions (when the answer has them), then the commit's answered files. A page
 * holds at most {@code pageSize} file lines; the page ends at the first line that does not fit, and
 * its position (version, files of that version already sent) goes into the page token.
 */
final class ChangeWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeWriter.class);

  /** What the writer needs beyond the commits; {@code startSnapshot} is at {@code page.start}. */
  record Setup(
      ChangeRules.Mode mode,
      SharedTable table,
      DeltaTable delta,
      TableSnapshot startSnapshot,
      QueryTokens.ChangePage page,
      boolean metadataLines,
      long pageSize,
      boolean endStream,
      FileSigner signer,
      String idScheme,
      QueryTokens tokens,
      String fingerprint) {}

  private final Setup s;
  private ActionSink sink;
  private long count;
  private long minExpiry = Long.MAX_VALUE;
  private QueryTokens.ChangePage next;

  ChangeWriter(Setup setup) {
    this.s = setup;
  }

  void write(ActionSink out) throws IOException {
    this.sink = out;
    QueryTokens.ChangePage p = s.page();
    try {
      ChangeRange range =
          s.delta()
              .changes(p.version(), p.end(), p.version() == p.start() ? s.startSnapshot() : null);
      range.forEach(this::visit);
    } catch (DeltaTableException e) {
      throw TableErrors.map(s.table(), e);
    }
    if (s.endStream()) {
      String token =
          next == null ? null : s.tokens().changePage(s.table().id(), next, s.fingerprint());
      sink.write(new EndStreamAction(null, token, count == 0 ? null : minExpiry, null, null));
    }
  }

  private boolean visit(CommitChanges c) throws IOException {
    long v = c.version();
    long skip = v == s.page().version() ? s.page().index() : 0;
    if (skip == 0 && s.metadataLines() && c.metadata() != null && v > s.page().start()) {
      if (full()) {
        next = position(v, 0);
        return false;
      }
      sink.write(ParquetMetadata.of(c.metadata(), true, v));
    }
    long[] index = {0};
    try {
      c.forEachFile(
          f -> {
            if (!ChangeRules.answers(s.mode(), c, f)) {
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
    return count >= s.pageSize();
  }

  private QueryTokens.ChangePage position(long version, long index) {
    QueryTokens.ChangePage p = s.page();
    return new QueryTokens.ChangePage(p.start(), p.end(), p.latest(), version, index);
  }

  private void emit(CommitChanges c, ChangeFile f) {
    SignedUrl url;
    try {
      url = s.signer().sign(f.absolutePath());
    } catch (FileAccessException e) {
      LOG.warn("Refusing to sign a file of table {}: {}", s.table().fullName(), e.getMessage());
      throw e;
    }
    minExpiry = Math.min(minExpiry, url.expirationTimestampMillis());
    count++;
    FileAction.Kind kind =
        switch (f.kind()) {
          case ADD -> FileAction.Kind.ADD;
          case REMOVE -> FileAction.Kind.REMOVE;
          case CDC -> FileAction.Kind.CDF;
        };
    write(
        new FileAction(
            kind,
            url.url(),
            FileIds.id(s.idScheme(), f.logPath()),
            f.partitionValues(),
            f.size(),
            kind == FileAction.Kind.ADD ? f.stats() : null,
            c.version(),
            c.timestamp(),
            url.expirationTimestampMillis()));
  }

  private void write(ResponseAction a) {
    try {
      sink.write(a);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Unwinds a commit's file walk once the page is full. */
  private static final class PageFull extends RuntimeException {
    static final PageFull INSTANCE = new PageFull();

    private PageFull() {
      super(null, null, false, false);
    }
  }
}
