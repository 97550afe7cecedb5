package io.lakeshare.server.service;

import io.lakeshare.server.delta.ProtocolInfo;
import io.lakeshare.server.delta.TableSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a table version can be answered in the parquet response format (CONFORMANCE
 * §2.2): column mapping and reader features that change how data files are read need the delta
 * format; log-only features and plain types do not. Deletion vectors are judged per answered file.
 */
final class FeatureCheck {
  /** Reader features that concern only the log or a type the schema already names. */
  private static final Set<String> PARQUET_SAFE =
      Set.of(
          "timestampntz",
          "v2checkpoint",
          "vacuumprotocolcheck",
          "checkpointprotection",
          "varianttype",
          "varianttype-preview",
          "variantshredding-preview",
          "domainmetadata",
          "appendonly",
          "invariants",
          "checkconstraints",
          "generatedcolumns",
          "allowcolumndefaults",
          "icebergcompatv1",
          "icebergcompatv2",
          "incommittimestamp",
          "rowtracking",
          "clustering");

  static final String DELETION_VECTORS = "deletionvectors";

  private FeatureCheck() {}

  /** Whether files of this version may carry deletion vectors and must be checked one by one. */
  static boolean mayHaveDeletionVectors(TableSnapshot s) {
    return s.readerFeatures().stream()
        .anyMatch(f -> f.toLowerCase(Locale.ROOT).equals(DELETION_VECTORS));
  }

  /**
   * Whether an answer about this version is better given in the delta format to a client that
   * accepts both: parquet cannot express it, or some file may carry a deletion vector.
   */
  static boolean needsDelta(TableSnapshot s, String fullName) {
    return parquetProblem(s.protocolInfo(), s.properties(), fullName, "") != null
        || s.mayHaveDeletionVectors();
  }

  /** Fails with 400 UNSUPPORTED_OPERATION when the parquet format cannot express the table. */
  static void requireParquetCompatible(TableSnapshot s, String fullName) {
    requireParquetCompatible(s.protocolInfo(), s.properties(), fullName, "");
  }

  /**
   * Same check for a protocol and table properties met at some version.
   *
   * @param where appended to the description of the table's use, e.g. {@code " from version 3"}
   */
  static void requireParquetCompatible(
      ProtocolInfo protocol, Map<String, String> properties, String fullName, String where) {
    ServiceException problem = parquetProblem(protocol, properties, fullName, where);
    if (problem != null) {
      throw problem;
    }
  }

  /** The refusal a parquet-only client gets for this protocol and properties, or null. */
  static ServiceException parquetProblem(
      ProtocolInfo protocol, Map<String, String> properties, String fullName, String where) {
    List<String> reasons = new ArrayList<>();
    List<String> features = new ArrayList<>();
    String mode = properties.getOrDefault("delta.columnMapping.mode", "none");
    if (!mode.equalsIgnoreCase("none")) {
      reasons.add("column mapping (delta.columnMapping.mode=" + mode + ")");
      features.add("columnmapping");
    }
    if (protocol.minReaderVersion() > 3) {
      reasons.add("Delta reader version " + protocol.minReaderVersion());
    }
    for (String f : protocol.readerFeatures()) {
      String lower = f.toLowerCase(Locale.ROOT);
      if (lower.equals(DELETION_VECTORS) || PARQUET_SAFE.contains(lower)) {
        continue;
      }
      if (lower.equals("columnmapping")) {
        continue; // judged by the mode above: a table may declare it with mode none
      }
      reasons.add("reader feature " + f);
      features.add(lower);
    }
    return reasons.isEmpty()
        ? null
        : needsDeltaError(fullName, String.join(", ", reasons) + where, features);
  }

  /**
   * Fails when a delta-format answer would need a reader feature the client did not declare in
   * {@code readerfeatures} (CONFORMANCE §2.3): column mapping, and reader features that change how
   * data files are read. Log-only features and types the schema names need no declaration, and
   * deletion vectors are judged per answered file.
   */
  static void requireDeclared(
      ProtocolInfo protocol,
      Map<String, String> properties,
      Set<String> declared,
      String fullName,
      String where) {
    List<String> missing = new ArrayList<>();
    String mode = properties.getOrDefault("delta.columnMapping.mode", "none");
    if (!mode.equalsIgnoreCase("none") && !declared.contains("columnmapping")) {
      missing.add("columnmapping");
    }
    for (String f : protocol.readerFeatures()) {
      String lower = f.toLowerCase(Locale.ROOT);
      if (!judgedElsewhere(lower) && !declared.contains(lower)) {
        missing.add(lower);
      }
    }
    if (!missing.isEmpty()) {
      throw ServerErrors.unsupported(
          "Table '"
              + fullName
              + "'"
              + where
              + " needs the reader features "
              + missing
              + ", which the request's delta-sharing-capabilities header does not declare; send"
              + " readerfeatures="
              + String.join(",", missing)
              + " if the client supports them.");
    }
  }

  /** A file of the answer has a deletion vector but the client did not declare the feature. */
  static ServiceException deletionVectorUndeclared(String fullName) {
    return ServerErrors.unsupported(
        "Table '"
            + fullName
            + "' has deletion vectors in the files of this answer, which the request's"
            + " delta-sharing-capabilities header does not declare; send"
            + " readerfeatures=deletionvectors if the client applies them.");
  }

  /**
   * Reader features whose effect a parquet reader meets in what it is sent anyway: safe ones, and
   * those judged per file (deletion vectors) or per metadata (column mapping).
   */
  static boolean judgedElsewhere(String lowerCaseFeature) {
    return PARQUET_SAFE.contains(lowerCaseFeature)
        || lowerCaseFeature.equals(DELETION_VECTORS)
        || lowerCaseFeature.equals("columnmapping");
  }

  /** Whether a protocol's reader features include deletion vectors. */
  static boolean declaresDeletionVectors(ProtocolInfo p) {
    return p.readerFeatures().stream()
        .anyMatch(f -> f.toLowerCase(Locale.ROOT).equals(DELETION_VECTORS));
  }

  static ServiceException deletionVectorFound(String fullName) {
    return needsDeltaError(
        fullName, "deletion vectors in the files of this answer", List.of(DELETION_VECTORS));
  }

  static ServiceException deletionVectorFound(String fullName, long version) {
    return needsDeltaError(
        fullName,
        "deletion vectors in the files changed by version " + version,
        List.of(DELETION_VECTORS));
  }

  private static ServiceException needsDeltaError(
      String fullName, String what, List<String> readerFeatures) {
    return ServerErrors.unsupported(
        "Table '"
            + fullName
            + "' uses "
            + what
            + ", which the parquet response format cannot express; reading it needs"
            + " 'delta-sharing-capabilities: responseformat=delta;readerfeatures="
            + String.join(",", readerFeatures)
            + "' (a client that reads the delta response format).");
  }
}
