package io.lakeshare.it.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.model.Capabilities;
import io.lakeshare.protocol.model.EndStreamAction;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.Metadata;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.server.catalog.SharedCatalog;
import io.lakeshare.server.config.ConfigLoader;
import io.lakeshare.server.config.ServerConfig;
import io.lakeshare.server.delta.DeltaTables;
import io.lakeshare.server.service.ServiceException;
import io.lakeshare.server.service.SharingServices;
import io.lakeshare.server.service.StreamedAnswer;
import io.lakeshare.server.storage.LocalFileSigner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The protocol services called directly, without HTTP, over the delta-spark fixture tables. */
class TableServiceTest {
  private static SharingServices services;

  @BeforeAll
  static void setUp() {
    ServerConfig config = ConfigLoader.parse(new TestServer.Options().yaml(), "service-test.yaml");
    byte[] key = new byte[32];
    services =
        SharingServices.create(
            config,
            new SharedCatalog(config),
            new DeltaTables(),
            (table, location) ->
                new LocalFileSigner(
                    key,
                    Path.of(URI.create(location)),
                    "http://127.0.0.1:1/delta-sharing",
                    Duration.ofMinutes(5),
                    Clock.systemUTC()),
            key,
            Clock.systemUTC());
  }

  private static List<ResponseAction> lines(StreamedAnswer a) throws Exception {
    List<ResponseAction> out = new ArrayList<>();
    a.writeTo(out::add);
    return out;
  }

  @Test
  void queryAnswersProtocolMetadataAndTheOraclesFiles() throws Exception {
    FixtureTable part = FixtureTables.get().table(FixtureTables.T_PART);
    StreamedAnswer a =
        services
            .tables()
            .query(
                "s1", "default", "t_part", QueryTableRequest.EMPTY, Capabilities.parse(null), null);
    assertThat(a.tableVersion()).isEqualTo(part.latestVersion());
    List<ResponseAction> l = lines(a);
    assertThat(l.get(0)).isEqualTo(new Protocol(1));
    assertThat(((Metadata) l.get(1)).partitionColumns()).containsExactly("date");
    assertThat(l.subList(2, l.size())).allMatch(x -> x instanceof FileAction);
    assertThat(l.size() - 2).isEqualTo(part.activeFiles(part.latestVersion()).size());
  }

  @Test
  void paginationAndRefreshTokensAtServiceLevel() throws Exception {
    List<ResponseAction> l =
        lines(
            services
                .tables()
                .query(
                    "s1",
                    "default",
                    "t_part",
                    QueryTableRequest.builder().maxFiles(1).build(),
                    Capabilities.parse(null),
                    null));
    EndStreamAction end = (EndStreamAction) l.get(l.size() - 1);
    assertThat(end.nextPageToken()).isNotNull();
    assertThat(l.stream().filter(x -> x instanceof FileAction)).hasSize(1);
  }

  @Test
  void errorsCarryStatusAndCode() {
    assertThatThrownBy(
            () ->
                services
                    .tables()
                    .query(
                        "s1",
                        "default",
                        "nope",
                        QueryTableRequest.EMPTY,
                        Capabilities.parse(null),
                        null))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
            });
    assertThatThrownBy(
            () ->
                services
                    .tables()
                    .query(
                        "s1",
                        "default",
                        "t_cm",
                        QueryTableRequest.EMPTY,
                        Capabilities.parse(null),
                        null))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errorCode()).isEqualTo("UNSUPPORTED_OPERATION");
            });
  }

  @Test
  void listingAtServiceLevel() {
    assertThat(services.listing().listShares(null, null).items()).hasSize(3);
    assertThat(services.listing().listAllTables("s2", "1", null).nextPageToken()).isNotNull();
  }
}
