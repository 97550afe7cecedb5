package io.lakeshare.it.conformance;

import static io.lakeshare.it.conformance.QuerySnapshotTest.files;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.fixtures.FixtureTable;
import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.fixtures.OracleFile;
import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.QueryTableRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

  @Test
  void tamperedUrlsAreRefused() {
    FileAction f = files("t_plain", QueryTableRequest.EMPTY).get(0);
    String url = f.url();
    int cut = url.indexOf("/files/") + "/files/".length();
    String token = url.substring(cut, url.indexOf('/', cut));
    char c = token.charAt(token.length() / 2);
    String flipped =
        token.substring(0, token.length() / 2)
            + (c == 'A' ? 'B' : 'A')
            + token.substring(token.length() / 2 + 1);
    assertThat(RawHttp.fetch(url.replace(token, flipped)).statusCode()).isEqualTo(403);
    assertThat(RawHttp.fetch(url.substring(0, cut) + "x" + url.substring(cut)).statusCode())
        .isEqualTo(403);
  }

  @Test
  void pathTraversalNeverReachesFilesOutsideSharedRoots() {
    String base = server.endpoint() + "/files/";
    for (String attempt :
        List.of(
            "../../../../etc/passwd",
            "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "..%2F..%2F..%2Fetc%2Fpasswd",
            "%2Fetc%2Fpasswd",
            "/etc/passwd")) {
      int status = RawHttp.fetch(base + attempt).statusCode();
      assertThat(status).as(attempt).isIn(400, 403, 404);
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
    for (FileAction f : files("t_plain", QueryTableRequest.EMPTY)) {
      assertThat(f.url()).doesNotContain(root);
      assertThat(Arrays.asList(f.url().split("/"))).doesNotContain("tmp");
    }
  }
}
