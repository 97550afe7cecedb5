package io.lakeshare.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.it.server.RawHttp;
import io.lakeshare.it.server.TestServer;
import org.junit.jupiter.api.Test;

/** The cached latest snapshot follows new commits on the next request. */
class SnapshotRefreshTest {

  @Test
  void newCommitsAndSchemaChangesAreVisibleOnTheNextRequest() throws Exception {
    Mutable t = Mutable.create("refreshing");
    TestServer s = TestServer.get(new TestServer.Options().table("refreshing", t.path()));
    String base = "/shares/s1/schemas/default/tables/refreshing";
    RawHttp.Answer before = s.raw().query("refreshing", "{}");
    long v = Long.parseLong(before.header("Delta-Table-Version"));
    assertThat(before.lines().size() - 2).isEqualTo(t.filesAt(v));

    t.append(5);
    RawHttp.Answer after = s.raw().query("refreshing", "{}");
    assertThat(after.header("Delta-Table-Version")).isEqualTo(Long.toString(v + 1));
    assertThat(after.lines().size() - 2).isEqualTo(t.filesAt(v + 1));
    assertThat(s.raw().get(base + "/version").header("Delta-Table-Version"))
        .isEqualTo(Long.toString(v + 1));

    io.lakeshare.it.fixtures.SparkFixture.spark()
        .sql("ALTER TABLE delta.`" + t.path() + "` ADD COLUMNS (extra STRING)");
    RawHttp.Answer altered = s.raw().get(base + "/metadata");
    assertThat(altered.header("Delta-Table-Version")).isEqualTo(Long.toString(v + 2));
    assertThat(altered.lines().get(1)).contains("extra");
    RawHttp.Answer q = s.raw().query("refreshing", "{}");
    assertThat(q.lines().size() - 2).isEqualTo(t.filesAt(v + 2));
  }
}
