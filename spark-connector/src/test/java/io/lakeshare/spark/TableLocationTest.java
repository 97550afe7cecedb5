package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableLocationTest {
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String PROFILE =
      "{\"shareCredentialsVersion\":1,\"endpoint\":\"https://sharing.example/ds/\","
          + "\"bearerToken\":\"tok\"}";

  @TempDir Path dir;

  @Test
  void localFileAndFileUrlAndCatalogEncodedPathsResolve() throws Exception {
    Path p = dir.resolve("a b.share");
    Files.writeString(p, PROFILE);
    TableLocation loc =
        TableLocation.resolve(p + "#share.sch.tbl", Map.of(), new Configuration(), NOW);
    assertThat(loc.profile().endpoint()).isEqualTo("https://sharing.example/ds");
    assertThat(loc.tableName()).isEqualTo("share.sch.tbl");
    assertThat(loc.profileSource()).isEqualTo(p.toString());
    TableLocation viaUri =
        TableLocation.resolve(p.toUri() + "#share.sch.tbl", Map.of(), new Configuration(), NOW);
    assertThat(viaUri.profile().bearerToken()).isEqualTo("tok");
    // a catalog LOCATION comes back with '#' percent-encoded
    TableLocation encoded =
        TableLocation.resolve(p + "%23share.sch.tbl", Map.of(), new Configuration(), NOW);
    assertThat(encoded.tableName()).isEqualTo("share.sch.tbl");
  }

  @Test
  void profileFromAnHttpUrl() throws Exception {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/p.share",
        ex -> {
          byte[] b = PROFILE.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    http.start();
    try {
      String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/p.share";
      TableLocation loc =
          TableLocation.resolve(url + "#s.sc.t", Map.of(), new Configuration(), NOW);
      assertThat(loc.profile().bearerToken()).isEqualTo("tok");
      assertThatThrownBy(
              () ->
                  TableLocation.resolve(
                      url.replace("p.share", "missing.share") + "#s.sc.t",
                      Map.of(),
                      new Configuration(),
                      NOW))
          .hasMessageContaining("Cannot read the Delta Sharing profile")
          .hasMessageContaining("HTTP 404");
    } finally {
      http.stop(0);
    }
  }

  @Test
  void profileFromOptionsTakesTheBareTableName() {
    TableLocation loc =
        TableLocation.resolve(
            "s.sc.t",
            Map.of("endpoint", "https://h/ds", "bearerToken", "t2", "shareCredentialsVersion", "1"),
            new Configuration(),
            NOW);
    assertThat(loc.profile().bearerToken()).isEqualTo("t2");
    assertThat(loc.profileSource()).isEqualTo("given as options");
    assertThat(loc.toString()).doesNotContain("t2");
  }

  @Test
  void expiredProfilesAndBadPathsFailWithTheFix() throws Exception {
    Path p = dir.resolve("old.share");
    Files.writeString(
        p,
        "{\"shareCredentialsVersion\":1,\"endpoint\":\"https://h\",\"bearerToken\":\"t\","
            + "\"expirationTime\":\"2025-06-01T00:00:00Z\"}");
    assertThatThrownBy(
            () -> TableLocation.resolve(p + "#s.sc.t", Map.of(), new Configuration(), NOW))
        .hasMessageContaining("expired at 2025-06-01T00:00:00Z")
        .hasMessageContaining(p.toString());
    assertThatThrownBy(() -> TableLocation.resolve("", Map.of(), new Configuration(), NOW))
        .hasMessageContaining("No Delta Sharing table given");
    assertThatThrownBy(() -> TableLocation.resolve("#s.sc.t", Map.of(), new Configuration(), NOW))
        .hasMessageContaining("profile part before '#' is empty");
    assertThatThrownBy(() -> TableLocation.resolve(p + "#s.sc", Map.of(), new Configuration(), NOW))
        .hasMessageContaining("'s.sc' is not <share>.<schema>.<table>");
    Files.writeString(dir.resolve("bad.share"), "{not json");
    assertThatThrownBy(
            () ->
                TableLocation.resolve(
                    dir.resolve("bad.share") + "#s.sc.t", Map.of(), new Configuration(), NOW))
        .hasMessageContaining("is invalid");
  }
}
