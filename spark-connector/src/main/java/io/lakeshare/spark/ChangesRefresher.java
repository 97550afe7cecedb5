package io.lakeshare.spark;

import io.lakeshare.protocol.client.DeltaSharingException;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.ChangesRequest;
import io.lakeshare.protocol.profile.Profile;
import io.lakeshare.spark.read.FileUrl;
import io.lakeshare.spark.read.UrlRefresher;
import java.io.IOException;
import java.util.Map;

/** Fetches the URLs of a change data feed read again, for the same resolved version range. */
final class ChangesRefresher implements UrlRefresher {
  private static final long serialVersionUID = 1L;

  private final Profile profile;
  private final ConnectorConf conf;
  private final String callerOrg;
  private final TableRef table;
  private final AnswerFormat format;
  private final ChangesRequest request;

  ChangesRefresher(
      Profile profile,
      ConnectorConf conf,
      String callerOrg,
      TableRef table,
      ChangesRequest request,
      AnswerFormat format) {
    this.format = format;
    this.profile = profile;
    this.conf = conf;
    this.callerOrg = callerOrg;
    this.table = table;
    this.request = request;
  }

  @Override
  public Map<String, FileUrl> refreshAll() throws IOException {
    FileListing listing;
    try {
      listing =
          QueryRunner.runChanges(
              SharingClients.get(profile, conf, callerOrg),
              table,
              request,
              conf.pagination(),
              conf.maxFilesPerQuery(),
              format);
    } catch (DeltaSharingException e) {
      throw new IOException(
          ConnectorErrors.server(table.toString(), "refreshing the file URLs", e).getMessage(), e);
    }
    return PlannedFile.urlsById(listing.files());
  }
}
