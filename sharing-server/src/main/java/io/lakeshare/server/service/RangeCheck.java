package io.lakeshare.server.service;

import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.delta.CommitChanges;
import io.lakeshare.server.delta.ProtocolInfo;
import io.lakeshare.server.delta.TableSnapshot;
import io.lakeshare.server.delta.TableSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The first page of a change answer walks its whole range once, so that every refusal is a status
 * code before the first line: change data not recorded (always), what keeps the parquet format from
 * expressing the range, and what a delta-format client would have to declare. The format is then
 * chosen from what the walk found.
 */
final class RangeCheck {
  private final ChangeRules.Mode mode;
  private final SharedTable table;
  private ServiceException parquetProblem;
  private ServiceException undeclared;
  private boolean deletionVectors;
  private boolean deletionVectorUndeclared;
  private final List<CommitChanges> prefix = new ArrayList<>();
  private long prefixFiles;
  private boolean prefixOpen = true;

  private RangeCheck(ChangeRules.Mode mode, SharedTable table) {
    this.mode = mode;
    this.table = table;
  }

  /**
   * Walks the commits of {@code [start.version(), end]}, keeping the leading commits of up to
   * {@code keepFiles} file actions in all (see {@link #prefix}).
   */
  static RangeCheck walk(
      ChangeRules.Mode mode,
      SharedTable t,
      TableSource dt,
      TableSnapshot start,
      long end,
      Set<String> declaredFeatures,
      long keepFiles) {
    RangeCheck check = new RangeCheck(mode, t);
    ProtocolInfo startProtocol = start.protocolInfo();
    long s = start.version();
    String range = "[" + s + ", " + end + "]";
    String name = t.fullName();
    check.noteParquet(FeatureCheck.parquetProblem(startProtocol, start.properties(), name, ""));
    check.noteDeclared(startProtocol, start.properties(), declaredFeatures, "");
    boolean[] mayHaveDvs = {FeatureCheck.declaresDeletionVectors(startProtocol)};
    boolean dvDeclared = declaredFeatures.contains(FeatureCheck.DELETION_VECTORS);
    try {
      dt.changes(s, end, start)
          .forEach(
              c -> {
                check.keep(c, keepFiles);
                if (c.version() > s) {
                  ChangeRules.checkCdfRecorded(mode, c, range);
                  check.noteParquet(ChangeRules.parquetProblem(c, startProtocol, name));
                  String where = " at version " + c.version();
                  if (c.protocol() != null) {
                    check.noteDeclared(c.protocol(), Map.of(), declaredFeatures, where);
                  }
                  if (c.metadata() != null) {
                    check.noteDeclared(
                        new ProtocolInfo(1, 1, Set.of()),
                        c.metadata().configuration(),
                        declaredFeatures,
                        where);
                  }
                }
                if (c.protocol() != null && FeatureCheck.declaresDeletionVectors(c.protocol())) {
                  mayHaveDvs[0] = true;
                }
                if (mayHaveDvs[0] && !check.deletionVectors) {
                  c.forEachFile(
                      f -> {
                        if (f.hasDeletionVector() && ChangeRules.answers(mode, c, f)) {
                          check.deletionVectors = true;
                          check.noteParquet(FeatureCheck.deletionVectorFound(name, c.version()));
                          check.deletionVectorUndeclared = !dvDeclared;
                        }
                      });
                }
                return true;
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return check;
  }

  private void keep(CommitChanges c, long keepFiles) {
    if (!prefixOpen) {
      return;
    }
    CommitChanges d = c.detached();
    if (d == null || prefixFiles + d.heldFiles() > keepFiles) {
      prefixOpen = false;
      return;
    }
    prefix.add(d);
    prefixFiles += d.heldFiles();
  }

  /**
   * The walked range's leading commits, read in full and kept, so that the first page is written
   * from them instead of reading them from the log a second time; the rest of the range (if any)
   * starts at the version after the last one.
   */
  List<CommitChanges> prefix() {
    return prefix;
  }

  /** Whether the parquet format cannot express the range. */
  boolean needsDelta() {
    return parquetProblem != null;
  }

  /** Fails unless the range can be answered in {@code format}. */
  void requireAnswerable(ResponseFormat format) {
    if (format == ResponseFormat.PARQUET) {
      if (parquetProblem != null) {
        throw parquetProblem;
      }
      return;
    }
    if (undeclared != null) {
      throw undeclared;
    }
    if (deletionVectorUndeclared) {
      throw FeatureCheck.deletionVectorUndeclared(table.fullName());
    }
  }

  private void noteParquet(ServiceException problem) {
    if (parquetProblem == null && problem != null) {
      parquetProblem = problem;
    }
  }

  private void noteDeclared(
      ProtocolInfo p, Map<String, String> properties, Set<String> declared, String where) {
    if (undeclared != null) {
      return;
    }
    try {
      FeatureCheck.requireDeclared(p, properties, declared, table.fullName(), where);
    } catch (ServiceException e) {
      undeclared = e;
    }
  }

  ChangeRules.Mode mode() {
    return mode;
  }
}
