package io.lakeshare.spark.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UrlRegistryTest {
  private static final UrlRefresher NONE =
      () -> {
        throw new java.io.IOException("no refresh in this test");
      };

  private static Map<String, FileUrl> urls() {
    return Map.of("a", new FileUrl("http://h/a", System.currentTimeMillis() + 3_600_000));
  }

  /** Registers a scan owned by an object that is unreachable once this returns. */
  private static void attachWithLostOwner(String key) {
    UrlRegistry.get()
        .attachOwned(
            key, "s.sc.t", NONE, HttpReadSettings.DEFAULTS, urls(), new Object(), 60_000, 600_000);
  }

  /**
   * The race a PySpark run met: a scan's planning owner was collected while a task in the same JVM
   * had just attached to the scan and was about to open a file; the sweep dropped the entry and the
   * open found no scan. Now the entry stays while it is used and goes after the grace period.
   */
  @Test
  void aScanWhoseOwnerIsGoneStaysWhileTasksUseItAndGoesWhenUnused() throws Exception {
    String key = UUID.randomUUID().toString();
    attachWithLostOwner(key);
    TableUrls t = UrlRegistry.get().lookup(key);
    for (int i = 0; i < 50 && t.isOwned(); i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(t.isOwned()).as("the owner was collected").isFalse();
    // a task attaches (as SharingReaderFactory does) and the sweep runs before it opens a file
    UrlRegistry.get().attach(key, "s.sc.t", NONE, HttpReadSettings.DEFAULTS, urls()).touch();
    long now = System.currentTimeMillis();
    UrlRegistry.get().sweep(now);
    assertThat(UrlRegistry.get().lookup(key)).isSameAs(t);
    UrlRegistry.get().sweep(now + UrlRegistry.UNOWNED_GRACE_MS + 60_000);
    assertThat(UrlRegistry.get().lookup(key)).isNull();
  }

  @Test
  void anOwnedScanGoesWhenUnreadForLongerThanItsThreshold() {
    String key = UUID.randomUUID().toString();
    Object owner = new Object();
    UrlRegistry.get()
        .attachOwned(
            key, "s.sc.t", NONE, HttpReadSettings.DEFAULTS, urls(), owner, 60_000, 600_000);
    long now = System.currentTimeMillis();
    UrlRegistry.get().sweep(now + 1_000);
    assertThat(UrlRegistry.get().lookup(key)).isNotNull();
    UrlRegistry.get().sweep(now + 600_000 + 60_000);
    assertThat(UrlRegistry.get().lookup(key)).isNull();
    assertThat(owner).isNotNull(); // reachable until here
  }
}
