package io.lakeshare.server.service;

import io.lakeshare.protocol.model.QueryTableRequest;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Page tokens of paginated queries and refresh tokens. Both pin the table version; page tokens also
 * carry the offset and a fingerprint of the query's parameters so that a changed query is refused.
 */
final class QueryTokens {
  private static final byte PAGE = 'P';
  private static final byte REFRESH = 'R';
  private static final byte CHANGE_PAGE = 'C';

  private final TokenSigner signer;
  private final QueryLimits limits;
  private final Clock clock;

  QueryTokens(TokenSigner signer, QueryLimits limits, Clock clock) {
    this.signer = signer;
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * Where the next page of a snapshot answer starts.
   *
   * @param format the {@link ResponseFormat#tokenCode} of the answer's format
   */
  record PageState(long version, long offset, byte format) {}

  String page(String tableId, long version, long offset, String fingerprint, byte format) {
    long expiry = clock.millis() + limits.pageTokenTtlMs();
    return signer.sign(
        out -> {
          out.writeByte(PAGE);
          out.writeUTF(tableId);
          out.writeLong(version);
          out.writeLong(offset);
          out.writeUTF(fingerprint);
          out.writeLong(expiry);
          out.writeByte(format);
        });
  }

  PageState openPage(String token, String tableId, String fingerprint) {
    DataInputStream in = signer.open(token);
    if (in == null) {
      throw ServerErrors.invalidParameter("Error decoding the page token: " + token + ".");
    }
    try {
      if (in.readByte() != PAGE) {
        throw ServerErrors.invalidParameter("Error decoding the page token: " + token + ".");
      }
      String id = in.readUTF();
      long version = in.readLong();
      long offset = in.readLong();
      String fp = in.readUTF();
      checkPage(id, tableId, in.readLong(), fp, fingerprint);
      return new PageState(version, offset, in.readByte());
    } catch (IOException e) {
      throw ServerErrors.invalidParameter("Error decoding the page token: " + token + ".");
    }
  }

  /**
   * Where the next page of a change answer starts, and the range the first page resolved (so that
   * later commits and timestamp resolution cannot change it).
   *
   * @param version the version of the next line
   * @param index how many file lines of that version earlier pages already answered
   * @param format the {@link ResponseFormat#tokenCode} of the answer's format
   */
  record ChangePage(long start, long end, long latest, long version, long index, byte format) {
    ChangePage at(long nextVersion, long nextIndex) {
      return new ChangePage(start, end, latest, nextVersion, nextIndex, format);
    }

    ChangePage withFormat(byte code) {
      return new ChangePage(start, end, latest, version, index, code);
    }
  }

  String changePage(String tableId, ChangePage p, String fingerprint) {
    long expiry = clock.millis() + limits.pageTokenTtlMs();
    return signer.sign(
        out -> {
          out.writeByte(CHANGE_PAGE);
          out.writeUTF(tableId);
          out.writeLong(p.start());
          out.writeLong(p.end());
          out.writeLong(p.latest());
          out.writeLong(p.version());
          out.writeLong(p.index());
          out.writeUTF(fingerprint);
          out.writeLong(expiry);
          out.writeByte(p.format());
        });
  }

  ChangePage openChangePage(String token, String tableId, String fingerprint) {
    DataInputStream in = signer.open(token);
    try {
      if (in == null || in.readByte() != CHANGE_PAGE) {
        throw ServerErrors.invalidParameter("Error decoding the page token: " + token + ".");
      }
      String id = in.readUTF();
      long start = in.readLong();
      long end = in.readLong();
      long latest = in.readLong();
      long version = in.readLong();
      long index = in.readLong();
      String fp = in.readUTF();
      checkPage(id, tableId, in.readLong(), fp, fingerprint);
      return new ChangePage(start, end, latest, version, index, in.readByte());
    } catch (IOException e) {
      throw ServerErrors.invalidParameter("Error decoding the page token: " + token + ".");
    }
  }

  private void checkPage(String id, String tableId, long expiry, String fp, String fingerprint) {
    if (!id.equals(tableId)) {
      throw ServerErrors.invalidParameter(
          "The table specified in the page token does not match the table being queried.");
    }
    if (clock.millis() >= expiry) {
      throw ServerErrors.invalidParameter("The page token has expired. Please restart the query.");
    }
    if (!fp.equals(fingerprint)) {
      throw ServerErrors.invalidParameter(
          "Query parameter mismatch detected for the next page query. The query parameters must"
              + " be the same as those of the first page's query.");
    }
  }

  String refresh(String tableId, long version) {
    long expiry = clock.millis() + limits.refreshTokenTtlMs();
    return signer.sign(
        out -> {
          out.writeByte(REFRESH);
          out.writeUTF(tableId);
          out.writeLong(version);
          out.writeLong(expiry);
        });
  }

  /** The version pinned by a refresh token. */
  long openRefresh(String token, String tableId) {
    DataInputStream in = signer.open(token);
    if (in == null) {
      throw ServerErrors.invalidParameter("Error decoding refresh token: " + token + ".");
    }
    try {
      if (in.readByte() != REFRESH) {
        throw ServerErrors.invalidParameter("Error decoding refresh token: " + token + ".");
      }
      String id = in.readUTF();
      long version = in.readLong();
      long expiry = in.readLong();
      if (!id.equals(tableId)) {
        throw ServerErrors.invalidParameter(
            "The table specified in the refresh token does not match the table being queried.");
      }
      if (clock.millis() >= expiry) {
        throw ServerErrors.invalidParameter(
            "The refresh token has expired. Please restart the query.");
      }
      return version;
    } catch (IOException e) {
      throw ServerErrors.invalidParameter("Error decoding refresh token: " + token + ".");
    }
  }

  /** SHA-256 over the parameters that define a query's file list (not the page or refresh). */
  static String fingerprint(QueryTableRequest r) {
    StringBuilder b = new StringBuilder();
    b.append("v=").append(r.version()).append('\n');
    b.append("ts=").append(r.timestamp()).append('\n');
    b.append("sv=").append(r.startingVersion()).append('\n');
    b.append("ev=").append(r.endingVersion()).append('\n');
    b.append("ph=").append(r.predicateHints()).append('\n');
    b.append("jph=").append(r.jsonPredicateHints()).append('\n');
    b.append("lh=").append(r.limitHint()).append('\n');
    b.append("ihp=").append(Boolean.TRUE.equals(r.includeHistoricalProtocol())).append('\n');
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] h = d.digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
