package io.lakeshare.it.conformance;

import static io.lakeshare.it.conformance.QuerySnapshotTest.files;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.fixtures.OracleFile;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.QueryTableRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signed URLs to local files: served bytes, ranges, and refusals (issue: local tables). */
class FileEndpointTest {
  private final TestServer server = TestServer.get();

  @Test
  void signedUrlServesTheExactFileBytes() throws Exception {
    FixtureTable plain = FixtureTables.get().table(FixtureTables.T_PLAIN);
    for (FileAction f : files("t_plain", QueryTableRequest.EMPTY)) {
      OracleFile o =
          plain.activeFiles(plain.latestVersion()).stream()
              .filter(x -> QuerySnapshotTest.md5(x.path()).equals(f.id()))
              .findFirst()
              .orElseThrow();
      byte[] expected = Files.readAllBytes(plain.path().resolve(o.path()));
      HttpResponse<byte[]> r = RawHttp.fetch(f.url());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(expected);
      assertThat(r.body().length).isEqualTo((int) f.size());
    }
  }

  @Test
  void rangeRequestsAnswer206() throws Exception {
    FileAction f = files("t_plain", QueryTableRequest.EMPTY).get(0);
    HttpResponse<byte[]> head = RawHttp.fetch(f.url(), "Range", "bytes=0-3");
    assertThat(head.statusCode()).isEqualTo(206);
    assertThat(new String(head.body(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("PAR1");
    assertThat(head.headers().firstValue("Content-Range")).hasValue("bytes 0-3/" + f.size());
    HttpResponse<byte[]> tail = RawHttp.fetch(f.url(), "Range", "bytes=-4");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(new String(tail.body(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("PAR1");
    HttpResponse<byte[]> beyond = RawHttp.fetch(f.url(), "Range", "bytes=" + (f.size() + 10) + "-");
    assertThat(beyond.statusCode()).isEqualTo(416);
  }

  /**
   * A signed local URL, {@code {endpoint}/files/{tableKey}/{fileName}?p=..&sp=r&se=..&sig=..},
   * split so that one piece can be changed.
   */
  private record LocalUrl(String prefix, String tableKey, String name, String query) {
    static LocalUrl parse(String url) {
      int cut = url.indexOf("/files/") + "/files/".length();
      int q = url.indexOf('?', cut);
      assertThat(q).as("signature in the query string of %s", url).isPositive();
      String path = url.substring(cut, q);
      assertThat(path).as("table key and file name").matches("[A-Za-z0-9_-]+/[^/]+");
      int slash = path.indexOf('/');
      return new LocalUrl(
          url.substring(0, cut),
          path.substring(0, slash),
          path.substring(slash + 1),
          url.substring(q + 1));
    }

    /** Values by name, first one wins as on the server. */
    Map<String, String> params() {
      Map<String, String> out = new LinkedHashMap<>();
      for (String part : query.split("&")) {
        int eq = part.indexOf('=');
        out.putIfAbsent(part.substring(0, eq), part.substring(eq + 1));
      }
      return out;
    }

    LocalUrl with(String param, String value) {
      Map<String, String> params = params();
      params.put(param, value);
      StringBuilder q = new StringBuilder();
      params.forEach(
          (k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=').append(v));
      return new LocalUrl(prefix, tableKey, name, q.toString());
    }

    String url() {
      return prefix + tableKey + "/" + name + "?" + query;
    }
  }

  private static String flip(String s) {
    int i = s.length() / 2;
    return s.substring(0, i) + (s.charAt(i) == 'A' ? 'B' : 'A') + s.substring(i + 1);
  }

  @Test
  void urlsCarryTheFilesPathRelativeToTheTableRootAndSpR() {
    for (String name : List.of(FixtureTables.T_PLAIN, FixtureTables.T_PART)) {
      FixtureTable table = FixtureTables.get().table(name);
      Map<String, String> relativeById = new HashMap<>();
      for (OracleFile o : table.activeFiles(table.latestVersion())) {
        String relative = table.path().relativize(table.localPath(o)).toString();
        relativeById.put(QuerySnapshotTest.md5(o.path()), relative);
      }
      List<FileAction> answered = files(name, QueryTableRequest.EMPTY);
      assertThat(answered).isNotEmpty();
      for (FileAction f : answered) {
        LocalUrl url = LocalUrl.parse(f.url());
        Map<String, String> params = url.params();
        String p = new String(Base64.getUrlDecoder().decode(params.get("p")), UTF_8);

        assertThat(params).containsKeys("p", "se", "sig").containsEntry("sp", "r");
        assertThat(p).isEqualTo(relativeById.get(f.id()));
        assertThat(Long.parseLong(params.get("se")) * 1000).isEqualTo(f.expirationTimestamp());
      }
    }
  }

  @Test
  void tamperedUrlsAreRefused() {
    FileAction f = files("t_plain", QueryTableRequest.EMPTY).get(0);
    FileAction other = files("t_plain", QueryTableRequest.EMPTY).get(1);
    LocalUrl url = LocalUrl.parse(f.url());
    Map<String, String> params = url.params();
    String otherP = LocalUrl.parse(other.url()).params().get("p");
    long se = Long.parseLong(params.get("se"));
    assertThat(RawHttp.fetch(url.url()).statusCode()).isEqualTo(200);

    List<String> tampered =
        List.of(
            url.with("sig", flip(params.get("sig"))).url(),
            url.with("p", otherP).url(),
            url.with("se", String.valueOf(se + 86_400)).url(),
            url.with("se", "0" + se).url(),
            new LocalUrl(url.prefix(), flip(url.tableKey()), url.name(), url.query()).url(),
            new LocalUrl(url.prefix(), "x" + url.tableKey(), url.name(), url.query()).url(),
            new LocalUrl(url.prefix(), url.tableKey(), "x" + url.name(), url.query()).url());
    for (String forged : tampered) {
      HttpResponse<byte[]> r = RawHttp.fetch(forged);
      assertThat(r.statusCode()).as(forged).isEqualTo(403);
      assertThat(new String(r.body(), UTF_8)).as(forged).contains("PERMISSION_DENIED");
    }
  }

  @Test
  void pathTraversalNeverReachesFilesOutsideSharedRoots() {
    String base = server.endpoint() + "/files/";
    LocalUrl genuine = LocalUrl.parse(files("t_plain", QueryTableRequest.EMPTY).get(0).url());
    String key = genuine.tableKey();
    String q = "?" + genuine.query();
    String passwd =
        Base64.getUrlEncoder().withoutPadding().encodeToString("/etc/passwd".getBytes(UTF_8));
    String up =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("../../../../etc/passwd".getBytes(UTF_8));
    for (String attempt :
        List.of(
            "../../../../etc/passwd",
            "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "..%2F..%2F..%2Fetc%2Fpasswd",
            "%2Fetc%2Fpasswd",
            "/etc/passwd",
            key + "/../../../../etc/passwd" + q,
            key + "/%2e%2e/%2e%2e/%2e%2e/etc/passwd" + q,
            key + "/..%2F..%2F..%2Fetc%2Fpasswd" + q,
            key + "/passwd?" + genuine.with("p", passwd).query(),
            key + "/passwd?" + genuine.with("p", up).query(),
            key + "/passwd?" + genuine.with("p", "%2e%2e%2F%2e%2e%2Fetc%2Fpasswd").query())) {
      HttpResponse<byte[]> r = RawHttp.fetch(base + attempt);
      assertThat(r.statusCode()).as(attempt).isIn(400, 403, 404);
      assertThat(new String(r.body(), UTF_8)).as(attempt).doesNotContain("root:");
    }
  }

  @Test
  void expiredUrlsAreRefused() throws Exception {
    TestServer shortLived =
        TestServer.get(new TestServer.Options().with("preSignedUrlTimeoutSeconds: 3"));
    String url;
    try (var client = shortLived.client();
        var resp =
            client.queryTable(
                new io.lakeshare.protocol.client.TableRef("s1", "default", "t_plain"),
                QueryTableRequest.EMPTY,
                io.lakeshare.protocol.client.RequestOptions.NONE)) {
      url = null;
      while (resp.hasNext()) {
        if (resp.next() instanceof FileAction fa && url == null) {
          url = fa.url();
        }
      }
    }
    assertThat(RawHttp.fetch(url).statusCode()).isEqualTo(200);
    Thread.sleep(3600);
    HttpResponse<byte[]> expired = RawHttp.fetch(url);
    assertThat(expired.statusCode()).isEqualTo(403);
    assertThat(new String(expired.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("expired")
        .doesNotContain(Path.of("/tmp").toString() + "/");
  }

  @Test
  void urlsNeverContainServerPaths() {
    FixtureTable plain = FixtureTables.get().table(FixtureTables.T_PLAIN);
    String root = plain.path().toString();
    byte[] rootBytes = root.getBytes(UTF_8);
    // base64 of any text that starts with the root starts with this, 3-byte aligned.
    String root64 =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(Arrays.copyOf(rootBytes, rootBytes.length - rootBytes.length % 3));
    for (FileAction f : files("t_plain", QueryTableRequest.EMPTY)) {
      assertThat(f.url())
          .doesNotContain(root)
          .doesNotContain(URLEncoder.encode(root, UTF_8))
          .doesNotContain(root.replace("/", "%2F"))
          .doesNotContain(root64);
      assertThat(Arrays.asList(f.url().split("[/?&=]"))).doesNotContain("tmp");
      for (String piece : f.url().split("[/?&=]")) {
        try {
          assertThat(new String(Base64.getUrlDecoder().decode(piece), UTF_8)).doesNotContain(root);
        } catch (IllegalArgumentException notBase64) {
          // nothing encoded in this piece
        }
      }
    }
  }
}
