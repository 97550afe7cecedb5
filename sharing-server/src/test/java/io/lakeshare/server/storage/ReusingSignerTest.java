package io.lakeshare.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReusingSignerTest {
  /** A clock the test moves. */
  private static final class Manual extends Clock {
    long millis = 1_700_000_000_000L;

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  private final Manual clock = new Manual();
  private final List<String> signed = new ArrayList<>();
  private final FileSigner counting =
      uri -> {
        if (uri.contains("outside")) {
          throw new FileAccessException("outside the table");
        }
        signed.add(uri);
        return new SignedUrl(uri + "?n=" + signed.size(), clock.millis() + 3_600_000);
      };

  @Test
  void aUrlIsReusedOnlyWhileMoreThanHalfItsValidityRemains() {
    ReusingSigner s = new ReusingSigner(counting, Duration.ofHours(1), clock, 100);
    SignedUrl first = s.sign("file:/t/a.parquet");
    clock.millis += 1_799_000; // 29:59 later: 30:01 left, more than half
    assertThat(s.sign("file:/t/a.parquet")).isEqualTo(first);
    clock.millis += 2_000; // 29:59 left: signed anew
    SignedUrl second = s.sign("file:/t/a.parquet");
    assertThat(second).isNotEqualTo(first);
    assertThat(second.expirationTimestampMillis() - clock.millis()).isEqualTo(3_600_000);
    assertThat(signed).hasSize(2);
    // every URL handed out has more than half the promised hour left
    for (int i = 0; i < 100; i++) {
      clock.millis += 60_000;
      SignedUrl u = s.sign("file:/t/a.parquet");
      assertThat(u.expirationTimestampMillis() - clock.millis()).isGreaterThan(1_800_000);
    }
  }

  @Test
  void refusedFilesAreRefusedEveryTimeAndOtherFilesAreSignedSeparately() {
    ReusingSigner s = new ReusingSigner(counting, Duration.ofHours(1), clock, 100);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> s.sign("file:/outside/x.parquet"))
          .isInstanceOf(FileAccessException.class);
    }
    assertThat(s.sign("file:/t/a.parquet").url()).isEqualTo("file:/t/a.parquet?n=1");
    assertThat(s.sign("file:/t/b.parquet").url()).isEqualTo("file:/t/b.parquet?n=2");
    assertThat(s.sign("file:/t/a.parquet").url()).isEqualTo("file:/t/a.parquet?n=1");
  }

  @Test
  void theOldestUrlsAreForgottenBeyondTheBound() {
    ReusingSigner s = new ReusingSigner(counting, Duration.ofHours(1), clock, 2);
    s.sign("file:/t/a");
    s.sign("file:/t/b");
    s.sign("file:/t/c"); // a forgotten
    s.sign("file:/t/b");
    s.sign("file:/t/a");
    assertThat(signed).containsExactly("file:/t/a", "file:/t/b", "file:/t/c", "file:/t/a");
  }
}
