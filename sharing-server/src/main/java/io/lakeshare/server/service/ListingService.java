package io.lakeshare.server.service;

import io.lakeshare.protocol.model.Page;
import io.lakeshare.protocol.model.Schema;
import io.lakeshare.protocol.model.Share;
import io.lakeshare.protocol.model.Table;
import io.lakeshare.server.catalog.SharedCatalog;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.config.SchemaConfig;
import io.lakeshare.server.config.ShareConfig;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Discovery endpoints (list shares, get share, list schemas, list tables, list all tables) with
 * tamper-proof page tokens bound to the endpoint and its parent object.
 */
public final class ListingService {
  static final int DEFAULT_MAX_RESULTS = 500;
  private final SharedCatalog catalog;
  private final TokenSigner tokens;
  private final SignerProvider signers;

  ListingService(SharedCatalog catalog, TokenSigner tokens, SignerProvider signers) {
    this.catalog = catalog;
    this.tokens = tokens;
    this.signers = signers;
  }

  public Page<Share> listShares(String maxResults, String pageToken) {
    return page(catalog.shares(), "shares", maxResults, pageToken, ListingService::toShare);
  }

  public Share getShare(String share) {
    return toShare(requireShare(share));
  }

  public Page<Schema> listSchemas(String share, String maxResults, String pageToken) {
    ShareConfig s = requireShare(share);
    return page(
        s.schemas(),
        "schemas:" + lower(s.name()),
        maxResults,
        pageToken,
        sc -> new Schema(sc.name(), s.name()));
  }

  public Page<Table> listTables(String share, String schema, String maxResults, String pageToken) {
    ShareConfig s = requireShare(share);
    SchemaConfig sc =
        catalog.schema(share, schema).orElseThrow(() -> ServerErrors.schemaNotFound(schema));
    return page(
        catalog.tables(s.name(), sc.name()),
        "tables:" + lower(s.name()) + "/" + lower(sc.name()),
        maxResults,
        pageToken,
        t -> toTable(t, s, signers));
  }

  public Page<Table> listAllTables(String share, String maxResults, String pageToken) {
    ShareConfig s = requireShare(share);
    return page(
        catalog.tables(s.name()),
        "all-tables:" + lower(s.name()),
        maxResults,
        pageToken,
        t -> toTable(t, s, signers));
  }

  private ShareConfig requireShare(String share) {
    return catalog.share(share).orElseThrow(() -> ServerErrors.shareNotFound(share));
  }

  private static Share toShare(ShareConfig s) {
    return new Share(s.name(), s.id());
  }

  /**
   * A table item; tables a recipient may read through temporary credentials also carry their {@code
   * location} and {@code accessModes} {@code [url, dir]} (others neither, which clients read as URL
   * access only, like the reference server's items).
   */
  private static Table toTable(SharedTable t, ShareConfig share, SignerProvider signers) {
    boolean dir = DirectoryAccess.refusal(t, signers) == null;
    return new Table(
        t.name(),
        t.schema(),
        t.share(),
        share.id(),
        t.id(),
        dir ? t.config().location() : null,
        List.of(),
        dir ? List.of("url", "dir") : List.of());
  }

  private <C, T> Page<T> page(
      List<C> all, String scope, String maxResultsParam, String pageToken, Function<C, T> map) {
    int maxResults = parseMaxResults(maxResultsParam);
    int offset = pageToken == null || pageToken.isEmpty() ? 0 : decode(pageToken, scope);
    if (offset > all.size()) {
      throw ServerErrors.invalidPageToken();
    }
    int end = (int) Math.min((long) offset + maxResults, all.size());
    List<T> items = all.subList(offset, end).stream().map(map).toList();
    String next = end < all.size() ? encode(scope, end) : null;
    return new Page<>(items, next);
  }

  /** Values above 500 are clamped (the protocol allows short pages); negatives are refused. */
  static int parseMaxResults(String value) {
    if (value == null) {
      return DEFAULT_MAX_RESULTS;
    }
    long n;
    try {
      n = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ServerErrors.notANumber("maxResults", value);
    }
    if (n < 0) {
      throw ServerErrors.maxResults();
    }
    return (int) Math.min(n, DEFAULT_MAX_RESULTS);
  }

  private String encode(String scope, int offset) {
    return tokens.sign(
        out -> {
          out.writeByte('L');
          out.writeUTF(scope);
          out.writeInt(offset);
        });
  }

  private int decode(String token, String scope) {
    DataInputStream in = tokens.open(token);
    if (in == null) {
      throw ServerErrors.invalidPageToken();
    }
    try {
      if (in.readByte() != 'L' || !in.readUTF().equals(scope)) {
        throw ServerErrors.invalidPageToken();
      }
      int offset = in.readInt();
      if (offset < 0 || in.available() != 0) {
        throw ServerErrors.invalidPageToken();
      }
      return offset;
    } catch (IOException e) {
      throw ServerErrors.invalidPageToken();
    }
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
