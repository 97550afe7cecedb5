package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries answered from the cached file list of a table version equal those of a server that
 * replays the log every time, apart from URLs and their expiry; pages after the first and repeated
 * queries hit the cache; a new commit is visible at once.
 */
class FileListCacheQueryTest {
  private static final String TOKEN = "file-list-cache-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private SharingServer start(String location) throws Exception {
    return start(location, "");
  }

  private SharingServer start(String location, String extra) throws Exception {
    String yaml =
        """
        version: 1
        host: 127.0.0.1
        port: 0
        authorization: {bearerToken: %s}
        metrics: {path: /metrics}
        shares:
        - {name: s, schemas: [{name: a, tables: [{name: t, location: "%s", historyShared: true}]}]}
        %s
        """
            .formatted(TOKEN, location, extra);
    return SharingServer.start(ConfigLoader.parse(yaml, "cache.yaml"));
  }

  private List<JsonNode> query(SharingServer s, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(s.endpointUrl() + "/shares/s/schemas/a/tables/t/query"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .header("delta-sharing-capabilities", "includeendstreamaction=true")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  /** The file lines of an answer without their URL and expiry (signed anew each time). */
  private static List<String> files(List<JsonNode> lines) {
    List<String> out = new ArrayList<>();
    for (JsonNode l : lines) {
      if (l.has("file")) {
        ObjectNode f = ((ObjectNode) l.get("file")).deepCopy();
        f.remove("url");
        f.remove("expirationTimestamp");
        out.add(f.toString());
      }
    }
    return out;
  }

  /** Every page of a query with {@code maxFiles}, following the page tokens. */
  private List<String> paged(SharingServer s, int maxFiles) throws Exception {
    List<String> all = new ArrayList<>();
    String token = null;
    do {
      List<JsonNode> page =
          query(
              s,
              token == null
                  ? "{\"maxFiles\":" + maxFiles + "}"
                  : "{\"maxFiles\":" + maxFiles + ",\"pageToken\":\"" + token + "\"}");
      all.addAll(files(page));
      token = page.get(page.size() - 1).path("endStreamAction").path("nextPageToken").asText(null);
    } while (token != null && !token.isEmpty());
    return all;
  }

  private long metric(SharingServer s, String name) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.E+]+)$").matcher(text);
    assertThat(m.find()).as(name + " in\n" + text).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  @Test
  void cachedAnswersEqualReplayedOnesAndNewCommitsShowAtOnce() throws Exception {
    SyntheticLog log =
        new SyntheticLog(dir.resolve("t"))
            .create(false)
            .commit(SyntheticLog.adds("a", 7))
            .commit(SyntheticLog.adds("b", 4))
            .commit(
                SyntheticLog.commitInfo("DELETE", null), SyntheticLog.remove("a-3.parquet", true));
    String location = dir.resolve("t").toUri().toString();
    SharingServer cached = start(location);
    SharingServer replaying;
    System.setProperty("lakeshare.fileListCache.maxBytes", "0");
    try {
      replaying = start(location);
    } finally {
      System.clearProperty("lakeshare.fileListCache.maxBytes");
    }
    try {
      List<String> expected = files(query(replaying, "{}"));
      assertThat(expected).hasSize(10);
      // first query replays and fills the cache; the second is answered from it
      assertThat(files(query(cached, "{}"))).isEqualTo(expected);
      long hitsBefore = metric(cached, "lakeshare_file_list_cache_hits_total");
      assertThat(files(query(cached, "{}"))).isEqualTo(expected);
      assertThat(metric(cached, "lakeshare_file_list_cache_hits_total")).isEqualTo(hitsBefore + 1);
      assertThat(metric(cached, "lakeshare_file_list_cache_bytes")).isPositive();

      // pages: the same files in the same order as without the cache, every page a hit
      long hits = metric(cached, "lakeshare_file_list_cache_hits_total");
      assertThat(paged(cached, 3)).isEqualTo(paged(replaying, 3)).isEqualTo(expected);
      assertThat(metric(cached, "lakeshare_file_list_cache_hits_total")).isEqualTo(hits + 4);
      assertThat(metric(replaying, "lakeshare_file_list_cache_hits_total")).isZero();
      assertThat(metric(replaying, "lakeshare_file_list_cache_bytes")).isZero();

      // hints and limits apply to the cached list exactly as to a replay
      String hinted = "{\"limitHint\":2,\"maxFiles\":5}";
      assertThat(files(query(cached, hinted))).isEqualTo(files(query(replaying, hinted)));

      // a new commit is a new version: answered at once, then cached in its turn
      log.commit(SyntheticLog.adds("c", 2));
      List<String> after = files(query(replaying, "{}"));
      assertThat(after).hasSize(12);
      List<JsonNode> fresh = query(cached, "{}");
      assertThat(fresh.get(0).path("protocol").isMissingNode()).isFalse();
      assertThat(files(fresh)).isEqualTo(after);
      assertThat(files(query(cached, "{\"version\":2}")))
          .isEqualTo(files(query(replaying, "{\"version\":2}")));
    } finally {
      cached.close();
      replaying.close();
    }
  }

  @Test
  void aWarmedUpServerAnswersItsFirstQueryFromTheListItFilled() throws Exception {
    SyntheticLog log =
        new SyntheticLog(dir.resolve("t"))
            .create(false)
            .commit(SyntheticLog.adds("a", 5))
            .commit(SyntheticLog.adds("b", 3))
            .commit(
                SyntheticLog.commitInfo("DELETE", null), SyntheticLog.remove("b-1.parquet", true));
    String location = dir.resolve("t").toUri().toString();
    SharingServer warmed = start(location);
    SharingServer cold = start(location, "warmUp: {fileLists: false}");
    try {
      assertThat(warmed.awaitWarmUp(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(cold.awaitWarmUp(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(metric(warmed, "lakeshare_file_list_cache_bytes")).isPositive();
      assertThat(metric(warmed, "lakeshare_file_list_cache_filled_total")).isEqualTo(1);
      assertThat(metric(cold, "lakeshare_file_list_cache_filled_total")).isZero();
      assertThat(metric(cold, "lakeshare_file_list_cache_bytes")).isZero();
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + warmed.port() + "/health/ready"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}");

      List<String> expected = files(query(cold, "{}"));
      assertThat(expected).hasSize(7);
      assertThat(metric(cold, "lakeshare_file_list_cache_misses_total")).isEqualTo(1);
      assertThat(files(query(warmed, "{}"))).isEqualTo(expected);
      assertThat(metric(warmed, "lakeshare_file_list_cache_hits_total")).isEqualTo(1);
      assertThat(metric(warmed, "lakeshare_file_list_cache_misses_total")).isZero();

      // the filled list is of the version it was filled at: a new commit is answered at once
      log.commit(SyntheticLog.adds("c", 2));
      assertThat(files(query(warmed, "{}"))).isEqualTo(files(query(cold, "{}"))).hasSize(9);
      assertThat(metric(warmed, "lakeshare_file_list_cache_misses_total")).isEqualTo(1);
    } finally {
      warmed.close();
      cold.close();
    }
  }
}
