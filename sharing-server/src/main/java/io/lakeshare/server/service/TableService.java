package io.lakeshare.server.service;

import io.lakeshare.protocol.model.Capabilities;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.server.catalog.SharedCatalog;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.config.TableConfig;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.delta.TableSnapshot;
import io.lakeshare.server.delta.TableSource;
import io.lakeshare.server.filter.FileFilter;
import io.lakeshare.server.storage.FileSigner;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Table endpoints: version, metadata and snapshot queries, on plain records (no HTTP types). */
public final class TableService {

  private final SharedCatalog catalog;
  private final DeltaTables tables;
  private final SignerProvider signers;
  private final QueryTokens tokens;
  private final QueryLimits limits;
  private final FilterFactory filters;
  private final ChangeQueries changes;
  private final java.time.Duration credentialValidity;

  TableService(
      SharedCatalog catalog,
      DeltaTables tables,
      SignerProvider signers,
      QueryTokens tokens,
      QueryLimits limits,
      FilterFactory filters,
      java.time.Duration credentialValidity) {
    this.credentialValidity = credentialValidity;
    this.catalog = catalog;
    this.tables = tables;
    this.signers = signers;
    this.tokens = tokens;
    this.limits = limits;
    this.filters = filters;
    this.changes = new ChangeQueries(tables, signers, tokens, limits);
  }

  /** E6: the latest version, or the earliest version committed at or after a timestamp. */
  public long tableVersion(String share, String schema, String table, String startingTimestamp) {
    SharedTable t = requireTable(share, schema, table);
    TableConfig cfg = t.config();
    return withDelta(
        t,
        () -> {
          TableSource dt = tables.forTable(cfg);
          if (startingTimestamp == null) {
            return dt.latest().version();
          }
          if (!cfg.historyShared()) {
            throw ServerErrors.historyNotShared(t.fullName());
          }
          long millis = Timestamps.parseMillis("startingTimestamp", startingTimestamp);
          long v = dt.versionAtOrAfter(millis);
          if (v < cfg.startVersion()) {
            throw ServerErrors.invalidParameter(
                "You can only query table data since version "
                    + cfg.startVersion()
                    + ".The provided timestamp("
                    + startingTimestamp
                    + ") corresponds to "
                    + v
                    + ".");
          }
          return v;
        });
  }

  /** E7: protocol and metadata of the latest version or of a version/timestamp. */
  public StreamedAnswer metadata(
      String share,
      String schema,
      String table,
      String versionParam,
      String timestampParam,
      Capabilities capabilities,
      String fileIdHashHeader) {
    if (versionParam != null && timestampParam != null) {
      throw ServerErrors.invalidParameter("Please only provide one of: version,timestamp");
    }
    Long version = versionParam == null ? null : parseLong("version", versionParam);
    if (version != null && version < 0) {
      throw ServerErrors.invalidParameter("version cannot be negative.");
    }
    String fileIdHash = FileIds.parseHeader(fileIdHashHeader);
    SharedTable t = requireTable(share, schema, table);
    TableConfig cfg = t.config();
    boolean timeTravel = version != null || timestampParam != null;
    if (timeTravel && !cfg.historyShared()) {
      throw ServerErrors.historyNotShared(t.fullName());
    }
    return withDelta(
        t,
        () -> {
          TableSnapshot s = resolve(t, version, timestampParam, "timestamp");
          ResponseFormat format =
              ResponseFormat.choose(capabilities, () -> FeatureCheck.needsDelta(s, t.fullName()));
          if (format == ResponseFormat.PARQUET) {
            FeatureCheck.requireParquetCompatible(s, t.fullName());
          } else {
            FeatureCheck.requireDeclared(
                s.protocolInfo(), s.properties(), capabilities.readerFeatures(), t.fullName(), "");
          }
          PartitionAccess access = PartitionAccess.of(t, s);
          AnswerLines lines = new AnswerLines(format, t, null, fileIdHash, access);
          ResponseAction protocol = lines.protocol(s.protocolInfo(), null);
          ResponseAction md =
              lines.metadata(
                  s.metadataInfo(),
                  cfg.historyShared(),
                  timeTravel ? s.version() : null,
                  format == ResponseFormat.DELTA ? access.sizeAndFileCount(s) : null);
          return new StreamedAnswer(
              s.version(),
              format.capabilities(false),
              fileIdHash,
              sink -> {
                sink.write(protocol);
                sink.write(md);
              });
        });
  }

  /** E8 in snapshot mode (latest, version or timestamp). */
  public StreamedAnswer query(
      String share,
      String schema,
      String table,
      QueryTableRequest r,
      Capabilities capabilities,
      String fileIdHashHeader) {
    QueryValidation.validate(r);
    String fileIdHash = FileIds.parseHeader(fileIdHashHeader);
    SharedTable t = requireTable(share, schema, table);
    TableConfig cfg = t.config();
    boolean timeTravel = r.version() != null || r.timestamp() != null;
    if ((timeTravel || r.startingVersion() != null) && !cfg.historyShared()) {
      throw ServerErrors.historyNotShared(t.fullName());
    }
    if (r.version() != null && r.version() < cfg.startVersion()) {
      throw ServerErrors.beforeStartVersion(cfg.startVersion());
    }
    if (r.startingVersion() != null) {
      if (r.startingVersion() < cfg.startVersion()) {
        throw ServerErrors.beforeStartVersion(cfg.startVersion());
      }
      if (r.endingVersion() != null && r.startingVersion() > r.endingVersion()) {
        throw ServerErrors.invalidParameter(
            "startingVersion("
                + r.startingVersion()
                + ") must be smaller than or equal to endingVersion("
                + r.endingVersion()
                + ").");
      }
      return changes.query(t, r, capabilities, fileIdHash);
    }
    String fingerprint = QueryTokens.fingerprint(r);
    QueryTokens.PageState page =
        r.pageToken() == null ? null : tokens.openPage(r.pageToken(), t.id(), fingerprint);
    Long pinned =
        page != null
            ? Long.valueOf(page.version())
            : r.refreshToken() != null ? tokens.openRefresh(r.refreshToken(), t.id()) : null;
    return withDelta(
        t,
        () -> {
          TableSnapshot s =
              pinned != null
                  ? tables.forTable(cfg).atVersion(pinned)
                  : resolve(t, r.version(), r.timestamp(), "timestamp");
          if (s.version() < cfg.startVersion()) {
            throw ServerErrors.beforeStartVersion(cfg.startVersion());
          }
          ResponseFormat format =
              page != null
                  ? ResponseFormat.ofToken(page.format(), capabilities)
                  : ResponseFormat.choose(
                      capabilities, () -> FeatureCheck.needsDelta(s, t.fullName()));
          if (format == ResponseFormat.PARQUET) {
            FeatureCheck.requireParquetCompatible(s, t.fullName());
          } else {
            FeatureCheck.requireDeclared(
                s.protocolInfo(), s.properties(), capabilities.readerFeatures(), t.fullName(), "");
          }
          PartitionAccess access = PartitionAccess.of(t, s);
          FileFilter filter = filters.create(r, s);
          long pageSize =
              r.maxFiles() == null
                  ? Long.MAX_VALUE
                  : Math.min(r.maxFiles(), limits.pageSizeLimit());
          long offset = page == null ? 0 : page.offset();
          FileSelection selection =
              new FileSelection(s, access, filter, r.limitHint(), offset, pageSize);
          boolean dvsAllowed =
              format == ResponseFormat.DELTA
                  && capabilities.readerFeatures().contains(FeatureCheck.DELETION_VECTORS);
          if (!dvsAllowed && FeatureCheck.mayHaveDeletionVectors(s)) {
            requireNoDeletionVectors(selection, t, format);
          }
          boolean endStream =
              capabilities.includeEndStreamAction()
                  || r.maxFiles() != null
                  || Boolean.TRUE.equals(r.includeRefreshToken());
          String refreshToken =
              Boolean.TRUE.equals(r.includeRefreshToken()) && !timeTravel
                  ? tokens.refresh(t.id(), s.version())
                  : null;
          FileSigner signer = signers.signerFor(t, DeltaTables.normalizeLocation(cfg.location()));
          AnswerLines lines = new AnswerLines(format, t, signer, fileIdHash, access);
          ResponseAction protocol = lines.protocol(s.protocolInfo(), null);
          ResponseAction md =
              lines.metadata(
                  s.metadataInfo(),
                  cfg.historyShared(),
                  timeTravel ? s.version() : null,
                  format == ResponseFormat.DELTA ? access.sizeAndFileCount(s) : null);
          Long fileVersion = timeTravel ? s.version() : null;
          Long fileTimestamp = timeTravel ? s.timestamp() : null;
          return new StreamedAnswer(
              s.version(),
              format.capabilities(capabilities.includeEndStreamAction()),
              fileIdHash,
              sink -> {
                sink.write(protocol);
                sink.write(md);
                boolean more =
                    selection.forEach(f -> lines.file(sink, f, fileVersion, fileTimestamp));
                if (endStream) {
                  String next =
                      more
                          ? tokens.page(
                              t.id(),
                              s.version(),
                              offset + lines.count(),
                              fingerprint,
                              format.tokenCode())
                          : null;
                  sink.write(
                      new EndStreamAction(refreshToken, next, lines.minExpiry(), null, null));
                }
              });
        });
  }

  /** E9: the change data feed of a version or timestamp range. */
  public StreamedAnswer changes(
      String share,
      String schema,
      String table,
      ChangesParams p,
      Capabilities capabilities,
      String fileIdHashHeader) {
    Integer maxFiles = null;
    if (p.maxFiles() != null) {
      try {
        maxFiles = Integer.parseInt(p.maxFiles().trim());
      } catch (NumberFormatException e) {
        throw ServerErrors.notANumber("maxFiles", p.maxFiles());
      }
      if (maxFiles <= 0) {
        throw ServerErrors.invalidParameter("maxFiles must be positive.");
      }
    }
    SharedTable t = requireTable(share, schema, table);
    if (!t.config().historyShared()) {
      throw ServerErrors.invalidParameter("cdf is not enabled on table " + t.fullName());
    }
    String fileIdHash = FileIds.parseHeader(fileIdHashHeader);
    if (p.startingVersion() != null && p.startingTimestamp() != null) {
      throw ServerErrors.invalidParameter(
          "Multiple starting arguments provided for CDF read. Please provide one of either"
              + " startingTimestamp or startingVersion.");
    }
    if (p.endingVersion() != null && p.endingTimestamp() != null) {
      throw ServerErrors.invalidParameter(
          "Multiple ending arguments provided for CDF read. Please provide one of either"
              + " endingTimestamp or endingVersion.");
    }
    if (p.startingVersion() == null && p.startingTimestamp() == null) {
      throw ServerErrors.invalidParameter(
          "No startingVersion or startingTimestamp provided for CDF read.");
    }
    ChangeQueries.CdfRequest r =
        new ChangeQueries.CdfRequest(
            cdfVersion("startingVersion", p.startingVersion()),
            p.startingTimestamp(),
            cdfVersion("endingVersion", p.endingVersion()),
            p.endingTimestamp(),
            "true"
                .equalsIgnoreCase(
                    p.includeHistoricalMetadata() == null
                        ? null
                        : p.includeHistoricalMetadata().trim()),
            maxFiles,
            p.pageToken());
    return changes.changes(t, r, capabilities, fileIdHash);
  }

  private static Long cdfVersion(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ServerErrors.invalidParameter(name + " is not a valid number.");
    }
  }

  private void requireNoDeletionVectors(
      FileSelection selection, SharedTable t, ResponseFormat format) {
    try {
      boolean[] found = {false};
      selection.forEach(
          f -> {
            if (f.hasDeletionVector()) {
              found[0] = true;
            }
          });
      if (found[0]) {
        throw format == ResponseFormat.PARQUET
            ? FeatureCheck.deletionVectorFound(t.fullName())
            : FeatureCheck.deletionVectorUndeclared(t.fullName());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TableSnapshot resolve(SharedTable t, Long version, String timestamp, String tsName) {
    TableSource dt = tables.forTable(t.config());
    TableSnapshot s;
    if (version != null) {
      s = dt.atVersion(version);
    } else if (timestamp != null) {
      long millis = Timestamps.parseMillis(tsName, timestamp);
      s = dt.atVersion(dt.versionAtOrBefore(millis));
    } else {
      s = dt.latest();
    }
    if (s.version() < t.config().startVersion()) {
      throw ServerErrors.beforeStartVersion(t.config().startVersion());
    }
    return s;
  }

  /**
   * E11: temporary read credentials for the table root or a directory under it (directory access):
   * 404 for an unknown table, then {@link DirectoryAccess#refusal}, then 400 for a location that is
   * not the root or under it ({@link DirectoryLocations}).
   *
   * @param location the requested location, or null for the table root
   */
  public io.lakeshare.protocol.model.TemporaryCredentials temporaryCredentials(
      String share, String schema, String table, String location) {
    SharedTable t = requireTable(share, schema, table);
    ServiceException refused = DirectoryAccess.refusal(t, signers);
    if (refused != null) {
      throw refused;
    }
    String root = DeltaTables.normalizeLocation(t.config().location());
    String where = DirectoryLocations.within(root, location);
    return signers.credentialsFor(t, root, where, credentialValidity);
  }

  SharedTable requireTable(String share, String schema, String table) {
    return catalog
        .table(share, schema, table)
        .orElseThrow(() -> ServerErrors.tableNotFound(share, schema, table));
  }

  private static long parseLong(String name, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ServerErrors.notANumber(name, value);
    }
  }

  private static <T> T withDelta(SharedTable t, TableErrors.DeltaCall<T> call) {
    return TableErrors.withDelta(t, call);
  }
}
