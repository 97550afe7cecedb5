package io.lakeshare.spark.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

class TableUrlsTest {
  private static final class CountingRefresher implements UrlRefresher {
    final AtomicInteger calls = new AtomicInteger();
    volatile long life = 60_000;

    @Override
    public Map<String, FileUrl> refreshAll() {
      int n = calls.incrementAndGet();
      long exp = System.currentTimeMillis() + life;
      return Map.of(
          "a", new FileUrl("http://h/a?v=" + n, exp), "b", new FileUrl("http://h/b?v=" + n, exp));
    }
  }

  private static TableUrls table(UrlRefresher r) {
    return new TableUrls("k", "s.sc.t", r, HttpReadSettings.DEFAULTS);
  }

  @Test
  void freshUrlsAreServedWithoutAskingTheServer() throws IOException {
    CountingRefresher r = new CountingRefresher();
    TableUrls t = table(r);
    t.offer(Map.of("a", new FileUrl("http://h/a?v=0", System.currentTimeMillis() + 60_000)));
    assertThat(t.current("a").url()).isEqualTo("http://h/a?v=0");
    assertThat(r.calls).hasValue(0);
  }

  @Test
  void expiringOrMissingUrlsAreRefreshedOnce() throws IOException {
    CountingRefresher r = new CountingRefresher();
    TableUrls t = table(r);
    t.offer(Map.of("a", new FileUrl("http://h/a?v=0", System.currentTimeMillis() + 1_000)));
    assertThat(t.current("a").url()).isEqualTo("http://h/a?v=1");
    assertThat(t.current("b").url()).isEqualTo("http://h/b?v=1");
    assertThat(r.calls).hasValue(1);
  }

  @Test
  void aRefusedUrlIsReplacedAndConcurrentRefusalsShareOneRefresh() throws IOException {
    CountingRefresher r = new CountingRefresher();
    TableUrls t = table(r);
    FileUrl planned = new FileUrl("http://h/a?v=0", System.currentTimeMillis() + 60_000);
    t.offer(Map.of("a", planned));
    assertThat(t.refresh("a", planned).url()).isEqualTo("http://h/a?v=1");
    // a second reader that still holds the planned URL gets the already refreshed one
    assertThat(t.refresh("a", planned).url()).isEqualTo("http://h/a?v=1");
    assertThat(r.calls).hasValue(1);
    assertThat(t.refreshCount()).isEqualTo(1);
  }

  @Test
  void offerKeepsTheLongerLivedUrl() throws IOException {
    TableUrls t = table(new CountingRefresher());
    long now = System.currentTimeMillis();
    t.offer(Map.of("a", new FileUrl("http://h/a?new", now + 90_000)));
    t.offer(Map.of("a", new FileUrl("http://h/a?old", now + 30_000)));
    assertThat(t.current("a").url()).isEqualTo("http://h/a?new");
    assertThat(t.earliestExpiry()).isEqualTo(now + 90_000);
  }

  @Test
  void aFileTheServerNoLongerListsIsExplained() {
    TableUrls t = table(() -> Map.of());
    assertThatThrownBy(() -> t.current("gone"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("s.sc.t")
        .hasMessageContaining("gone");
  }

  @Test
  void pathsCarryScanFileAndSizeButNoUrl() {
    String p = SharingPaths.pathOf("abc123", "dir/part-0 ü.parquet", 4242);
    assertThat(p)
        .startsWith("lakeshare://abc123/4242/")
        .endsWith(".parquet")
        .doesNotContain("http");
    SharingPaths.Parsed parsed = SharingPaths.parse(new Path(p));
    assertThat(parsed.scanKey()).isEqualTo("abc123");
    assertThat(parsed.fileId()).isEqualTo("dir/part-0 ü.parquet");
    assertThat(parsed.size()).isEqualTo(4242);
    assertThatThrownBy(() -> SharingPaths.parse(new Path("file:/tmp/x.parquet")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
