package io.lakeshare.server.service;

import io.lakeshare.protocol.model.Capabilities;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.config.TableConfig;
import io.lakeshare.server.delta.DeltaTableException;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.delta.TableSnapshot;
import io.lakeshare.server.delta.TableSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Change answers: E8 with {@code startingVersion} (mode c) and E9 change data feed. The first page
 * resolves and pins the range, then checks every commit of it, so that every documented refusal is
 * a status code before the first line is sent; the lines are then written commit by commit.
 */
final class ChangeQueries {
  private final DeltaTables tables;
  private final SignerProvider signers;
  private final QueryTokens tokens;
  private final QueryLimits limits;

  ChangeQueries(
      DeltaTables tables, SignerProvider signers, QueryTokens tokens, QueryLimits limits) {
    this.tables = tables;
    this.signers = signers;
    this.tokens = tokens;
    this.limits = limits;
  }

  /** E8 mode (c); the caller checked history sharing, startVersion and start <= end. */
  StreamedAnswer query(
      SharedTable t, QueryTableRequest r, Capabilities capabilities, String fileIdHash) {
    String fingerprint = QueryTokens.fingerprint(r);
    QueryTokens.ChangePage token =
        r.pageToken() == null ? null : tokens.openChangePage(r.pageToken(), t.id(), fingerprint);
    return TableErrors.withDelta(
        t,
        () -> {
          TableSource dt = tables.forTable(t.config());
          QueryTokens.ChangePage page = token;
          if (page == null) {
            long latest = dt.latest().version();
            long start = r.startingVersion();
            if (start > latest) {
              throw ServerErrors.invalidParameter(
                  "Cannot time travel Delta table to version "
                      + start
                      + ". Available versions: ["
                      + dt.earliestVersion()
                      + ", "
                      + latest
                      + "].");
            }
            long end = r.endingVersion() == null ? latest : Math.min(r.endingVersion(), latest);
            page = new QueryTokens.ChangePage(start, end, latest, start, 0, (byte) 0);
          }
          TableSnapshot startSnapshot = dt.atVersion(page.start());
          RangeCheck check =
              token == null
                  ? walk(
                      ChangeRules.Mode.QUERY,
                      t,
                      dt,
                      startSnapshot,
                      page.end(),
                      r.maxFiles(),
                      capabilities)
                  : null;
          ResponseFormat format =
              check != null
                  ? choose(check, capabilities)
                  : ResponseFormat.ofToken(token.format(), capabilities);
          return answer(
              check,
              ChangeRules.Mode.QUERY,
              t,
              dt,
              startSnapshot,
              page.withFormat(format.tokenCode()),
              format,
              false,
              true,
              Boolean.TRUE.equals(r.includeHistoricalProtocol()),
              r.maxFiles(),
              capabilities,
              fileIdHash,
              fingerprint);
        });
  }

  /** E9 after the checks that need no table state (REF steps 1-5). */
  StreamedAnswer changes(
      SharedTable t, CdfRequest r, Capabilities capabilities, String fileIdHash) {
    String fingerprint = r.fingerprint();
    QueryTokens.ChangePage token =
        r.pageToken() == null ? null : tokens.openChangePage(r.pageToken(), t.id(), fingerprint);
    TableConfig cfg = t.config();
    return TableErrors.withDelta(
        t,
        () -> {
          TableSource dt = tables.forTable(cfg);
          QueryTokens.ChangePage page = token == null ? resolve(t, dt, r) : token;
          TableSnapshot startSnapshot = dt.atVersion(page.start());
          ResponseFormat format;
          RangeCheck check = null;
          if (token == null) {
            String range = "[" + page.start() + ", " + page.end() + "]";
            if (!ParquetMetadata.cdfEnabled(startSnapshot.properties())) {
              throw ChangeRules.cdfNotRecorded(range, page.start());
            }
            check =
                walk(
                    ChangeRules.Mode.CDF,
                    t,
                    dt,
                    startSnapshot,
                    page.end(),
                    r.maxFiles(),
                    capabilities);
            format = choose(check, capabilities);
          } else {
            format = ResponseFormat.ofToken(token.format(), capabilities);
          }
          // Like the reference, parquet answers carry the latest metadata unless historical
          // metadata was asked for; delta answers always start from the start version's metadata
          // and its later changes, which is what a reader rebuilding the log needs.
          boolean historical = r.includeHistoricalMetadata() || format == ResponseFormat.DELTA;
          return answer(
              check,
              ChangeRules.Mode.CDF,
              t,
              dt,
              startSnapshot,
              page.withFormat(format.tokenCode()),
              format,
              !historical,
              historical,
              false,
              r.maxFiles(),
              capabilities,
              fileIdHash,
              fingerprint);
        });
  }

  /** REF steps 7-10: timestamps to versions, then the range checks. */
  private QueryTokens.ChangePage resolve(SharedTable t, TableSource dt, CdfRequest r) {
    long latest = dt.latest().version();
    long start =
        r.startingVersion() != null
            ? r.startingVersion()
            : startVersionAt(dt, r.startingTimestamp());
    Long endWanted =
        r.endingVersion() != null
            ? r.endingVersion()
            : r.endingTimestamp() != null ? endVersionAt(dt, r.endingTimestamp()) : null;
    if (start > latest) {
      throw ServerErrors.invalidParameter(
          "Provided Start version("
              + start
              + ") for reading change data is invalid. Start version cannot be greater than the"
              + " latest version of the table("
              + latest
              + ").");
    }
    // An ending version beyond the latest is a hint the table has not reached yet: clamp.
    long end = endWanted == null ? latest : Math.min(endWanted, latest);
    if (end < start) {
      throw ServerErrors.invalidParameter(
          "CDF range from start "
              + start
              + " to end "
              + end
              + " was invalid. End cannot be before"
              + " start.");
    }
    long floor = t.config().startVersion();
    if (start < floor) {
      throw ServerErrors.invalidParameter(
          "You can only query table changes since version " + floor + ".");
    }
    return new QueryTokens.ChangePage(start, end, latest, start, 0, (byte) 0);
  }

  /** Earliest version committed at or after the timestamp (rounds up). */
  private static long startVersionAt(TableSource dt, String timestamp) {
    long millis = Timestamps.parseMillis("startingTimestamp", timestamp);
    long before = versionAtOrBefore(dt, millis, "startingTimestamp", timestamp);
    return dt.timestampOf(before) == millis ? before : before + 1;
  }

  /** Latest version committed at or before the timestamp (rounds down). */
  private static long endVersionAt(TableSource dt, String timestamp) {
    long millis = Timestamps.parseMillis("endingTimestamp", timestamp);
    return versionAtOrBefore(dt, millis, "endingTimestamp", timestamp);
  }

  private static long versionAtOrBefore(TableSource dt, long millis, String name, String asGiven) {
    try {
      return dt.versionAtOrBefore(millis);
    } catch (DeltaTableException e) {
      if (e.kind() == DeltaTableException.Kind.TIMESTAMP_BEFORE_FIRST
          || e.kind() == DeltaTableException.Kind.TIMESTAMP_AFTER_LATEST) {
        throw ServerErrors.invalidParameter(e.getMessage() + " (" + name + "=" + asGiven + ").");
      }
      throw e;
    }
  }

  /**
   * File actions of the range's leading commits that the first page's walk keeps for writing the
   * page (per answer; about 400 bytes each).
   */
  static final long KEPT_FILES = 20_000;

  /**
   * Walks the range (first page only), keeping the leading commits that the first page needs, up to
   * {@link #KEPT_FILES} file actions.
   */
  private RangeCheck walk(
      ChangeRules.Mode mode,
      SharedTable t,
      TableSource dt,
      TableSnapshot start,
      long end,
      Integer maxFiles,
      Capabilities capabilities) {
    // a page of maxFiles lines may end inside a commit: keep that commit whole (a commit of up to
    // 2,000 file actions is held in memory while it is read anyway)
    long keep = maxFiles == null ? KEPT_FILES : Math.min(KEPT_FILES, maxFiles + 2_000L);
    return RangeCheck.walk(mode, t, dt, start, end, capabilities.readerFeatures(), keep);
  }

  /** The format the walked commits allow. */
  private static ResponseFormat choose(RangeCheck check, Capabilities capabilities) {
    ResponseFormat format = ResponseFormat.choose(capabilities, check::needsDelta);
    check.requireAnswerable(format);
    return format;
  }

  /**
   * @param latestMetadata whether the head metadata line is the latest version's (parquet E9
   *     without historical metadata) rather than the start version's
   * @param metadataLines whether later metadata changes get their own lines
   * @param protocolLines whether later protocol changes get their own lines (delta format only)
   */
  private StreamedAnswer answer(
      RangeCheck check,
      ChangeRules.Mode mode,
      SharedTable t,
      TableSource dt,
      TableSnapshot startSnapshot,
      QueryTokens.ChangePage page,
      ResponseFormat format,
      boolean latestMetadata,
      boolean metadataLines,
      boolean protocolLines,
      Integer maxFiles,
      Capabilities capabilities,
      String fileIdHash,
      String fingerprint) {
    boolean endStream = capabilities.includeEndStreamAction() || maxFiles != null;
    long pageSize = maxFiles == null ? Long.MAX_VALUE : Math.min(maxFiles, limits.pageSizeLimit());
    PartitionAccess access = PartitionAccess.of(t, startSnapshot);
    AnswerLines lines =
        new AnswerLines(
            format,
            t,
            signers.signerFor(t, DeltaTables.normalizeLocation(t.config().location())),
            fileIdHash,
            access);
    boolean delta = format == ResponseFormat.DELTA;
    TableSnapshot head = latestMetadata ? dt.atVersion(page.latest()) : startSnapshot;
    ResponseAction protocol =
        lines.protocol(startSnapshot.protocolInfo(), protocolLines && delta ? page.start() : null);
    ResponseAction md =
        lines.metadata(
            head.metadataInfo(),
            true,
            head.version(),
            delta ? access.sizeAndFileCount(head) : null);
    ChangeWriter writer =
        new ChangeWriter(
            new ChangeWriter.Setup(
                mode,
                t,
                dt,
                startSnapshot,
                page,
                metadataLines,
                protocolLines && delta,
                pageSize,
                endStream,
                lines,
                access,
                tokens,
                fingerprint,
                check == null ? List.of() : check.prefix()));
    return new StreamedAnswer(
        page.start(),
        format.capabilities(capabilities.includeEndStreamAction()),
        fileIdHash,
        sink -> {
          sink.write(protocol);
          sink.write(md);
          writer.write(sink);
        });
  }

  /** The parsed parameters of an E9 request. */
  record CdfRequest(
      Long startingVersion,
      String startingTimestamp,
      Long endingVersion,
      String endingTimestamp,
      boolean includeHistoricalMetadata,
      Integer maxFiles,
      String pageToken) {

    /** SHA-256 over what defines the answer (not the page). */
    String fingerprint() {
      String b =
          "cdf\nsv="
              + startingVersion
              + "\nst="
              + startingTimestamp
              + "\nev="
              + endingVersion
              + "\net="
              + endingTimestamp
              + "\nihm="
              + includeHistoricalMetadata
              + "\n";
      try {
        byte[] h = MessageDigest.getInstance("SHA-256").digest(b.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(h, 0, 16);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
