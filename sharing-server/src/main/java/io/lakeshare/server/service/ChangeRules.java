package io.lakeshare.server.service;

import io.lakeshare.server.delta.ChangeFile;
import io.lakeshare.server.delta.CommitChanges;
import io.lakeshare.server.delta.ProtocolInfo;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which files of a commit a change answer lists, and which commits it cannot answer in the parquet
 * response format (CONFORMANCE §1.9.2 mode c, §1.10).
 */
final class ChangeRules {
  /** The two change answers. */
  enum Mode {
    /** E8 with {@code startingVersion}: data-change adds and removes. */
    QUERY,
    /** E9: change data files when the commit has them, else data-change adds and removes. */
    CDF
  }

  private static final String[] MERGE_METRICS = {
    "numTargetRowsInserted", "numTargetRowsUpdated", "numTargetRowsDeleted"
  };

  private ChangeRules() {}

  /** Whether {@code f} of commit {@code c} is a line of the answer. */
  static boolean answers(Mode mode, CommitChanges c, ChangeFile f) {
    if (mode == Mode.CDF && c.hasChangeDataFiles()) {
      return f.kind() == ChangeFile.Kind.CDC;
    }
    if (f.kind() == ChangeFile.Kind.CDC || !f.dataChange()) {
      return false;
    }
    return mode == Mode.QUERY || !isEmptyMerge(c);
  }

  /**
   * A MERGE that matched no row may still rewrite files with {@code dataChange=true}; its metrics
   * show that nothing changed, and change data readers skip it.
   */
  static boolean isEmptyMerge(CommitChanges c) {
    if (!"MERGE".equals(c.operation())) {
      return false;
    }
    Map<String, String> m = c.operationMetrics();
    for (String key : MERGE_METRICS) {
      if (!"0".equals(m.get(key))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Fails when a change data feed cannot answer commit {@code c} (a version after the start):
   * change data no longer recorded.
   */
  static void checkCdfRecorded(Mode mode, CommitChanges c, String range) {
    if (mode == Mode.CDF
        && c.metadata() != null
        && !ParquetMetadata.cdfEnabled(c.metadata().configuration())) {
      throw cdfNotRecorded(range, c.version());
    }
  }

  /**
   * The refusal a parquet-only client gets for commit {@code c} (a version after the start), or
   * null: a reader protocol upgrade, or column mapping.
   */
  static ServiceException parquetProblem(
      CommitChanges c, ProtocolInfo startProtocol, String fullName) {
    String where = " from version " + c.version();
    if (c.protocol() != null) {
      ServiceException upgrade =
          protocolUpgrade(startProtocol, c.protocol(), c.version(), fullName);
      if (upgrade != null) {
        return upgrade;
      }
      ServiceException p = FeatureCheck.parquetProblem(c.protocol(), Map.of(), fullName, where);
      if (p != null) {
        return p;
      }
    }
    if (c.metadata() != null) {
      return FeatureCheck.parquetProblem(
          new ProtocolInfo(1, 1, Set.of()), c.metadata().configuration(), fullName, where);
    }
    return null;
  }

  static ServiceException cdfNotRecorded(String range, long version) {
    return ServerErrors.invalidParameter(
        "Error getting change data for range "
            + range
            + " as change data was not recorded for version ["
            + version
            + "]. Change data is recorded only while the table property"
            + " delta.enableChangeDataFeed is true.");
  }

  /**
   * A reader upgrade inside the range cannot be told to a parquet reader: a higher reader version
   * than at the start, or new reader features other than those whose effect shows in the files or
   * schema themselves (judged per file or per metadata line).
   */
  private static ServiceException protocolUpgrade(
      ProtocolInfo start, ProtocolInfo p, long version, String fullName) {
    Set<String> added = new TreeSet<>();
    for (String f : p.readerFeatures()) {
      String lower = f.toLowerCase(Locale.ROOT);
      if (!lower(start.readerFeatures()).contains(lower) && !FeatureCheck.judgedElsewhere(lower)) {
        added.add(f);
      }
    }
    boolean legacyUpgrade =
        p.minReaderVersion() > start.minReaderVersion() && p.minReaderVersion() < 3;
    if (legacyUpgrade || !added.isEmpty()) {
      return ServerErrors.unsupported(
          "Delta protocol version ("
              + p.minReaderVersion()
              + ","
              + p.minWriterVersion()
              + ") of table '"
              + fullName
              + "' at version "
              + version
              + (added.isEmpty() ? "" : " (new reader features " + added + ")")
              + " is too new for the parquet response format of a change query that starts at"
              + " reader version "
              + start.minReaderVersion()
              + "; query the versions before "
              + version
              + " and from "
              + version
              + " separately, or read the delta response format.");
    }
    return null;
  }

  private static Set<String> lower(Set<String> features) {
    Set<String> out = new TreeSet<>();
    for (String f : features) {
      out.add(f.toLowerCase(Locale.ROOT));
    }
    return out;
  }
}
