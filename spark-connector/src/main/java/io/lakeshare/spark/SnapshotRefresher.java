package io.lakeshare.spark;

import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.profile.Profile;
import io.lakeshare.spark.read.FileUrl;
import io.lakeshare.spark.read.UrlRefresher;
import java.io.IOException;
import java.util.Map;

/**
 * Fetches a snapshot scan's URLs again: with the refresh token for a latest-snapshot scan (the
 * server then answers at the version of the first query), with the same version otherwise, and with
 * the same JSON hints so the file set cannot grow beyond what was planned.
 */
final class SnapshotRefresher implements UrlRefresher {
  private static final long serialVersionUID = 1L;

  private final Profile profile;
  private final ConnectorConf conf;
  private final String callerOrg;
  private final TableRef table;
  private final AnswerFormat format;
  private final QueryTableRequest base;
  private volatile String refreshToken;

  /**
   * @param base the original request without SQL hints and limit
   * @param refreshToken the token of the first answer, or {@code null} when {@code base} pins a
   *     version itself
   */
  SnapshotRefresher(
      Profile profile,
      ConnectorConf conf,
      String callerOrg,
      TableRef table,
      QueryTableRequest base,
      String refreshToken,
      AnswerFormat format) {
    this.format = format;
    this.profile = profile;
    this.conf = conf;
    this.callerOrg = callerOrg;
    this.table = table;
    this.base = base;
    this.refreshToken = refreshToken;
  }

  @Override
  public Map<String, FileUrl> refreshAll() throws IOException {
    QueryTableRequest.Builder req = base.toBuilder().predicateHints(null).limitHint(null);
    String token = refreshToken;
    if (token != null) {
      req.version(null).timestamp(null).refreshToken(token).includeRefreshToken(true);
    }
    FileListing listing;
    try {
      listing =
          QueryRunner.run(
              SharingClients.get(profile, conf, callerOrg),
              table,
              req.build(),
              conf.pagination(),
              conf.maxFilesPerQuery(),
              format);
    } catch (DeltaSharingException e) {
      throw new IOException(
          ConnectorErrors.server(table.toString(), "refreshing the file URLs", e).getMessage(), e);
    }
    if (listing.refreshToken() != null) {
      refreshToken = listing.refreshToken();
    }
    return PlannedFile.urlsById(listing.files());
  }
}
