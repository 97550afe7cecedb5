package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadOptionsTest {
  private static final ZoneId LA = ZoneId.of("America/Los_Angeles");

  @Test
  void versionAndTimestampAreParsed() {
    assertThat(ReadOptions.parse("s.sc.t", Map.of("versionAsOf", "3"), LA).versionAsOf())
        .isEqualTo(3L);
    ReadOptions o = ReadOptions.parse("s.sc.t", Map.of("timestampAsOf", "2024-05-01 12:30:00"), LA);
    assertThat(o.timestampAsOf()).isEqualTo("2024-05-01T19:30:00Z");
    assertThat(o.versionAsOf()).isNull();
  }

  @Test
  void lowerCaseKeysAreAccepted() {
    assertThat(ReadOptions.parse("s.sc.t", Map.of("versionasof", "0"), LA).versionAsOf())
        .isEqualTo(0L);
  }

  @Test
  void timestampFormsFollowTheSessionZoneUnlessZoned() {
    assertThat(ReadOptions.parseTimestamp("2024-05-01", LA))
        .isEqualTo(Instant.parse("2024-05-01T07:00:00Z"));
    assertThat(ReadOptions.parseTimestamp("2024-05-01T12:30:00.123", LA))
        .isEqualTo(Instant.parse("2024-05-01T19:30:00.123Z"));
    assertThat(ReadOptions.parseTimestamp("2024-05-01T12:30:00Z", LA))
        .isEqualTo(Instant.parse("2024-05-01T12:30:00Z"));
    assertThat(ReadOptions.parseTimestamp("2024-05-01 12:30:00+02:00", LA))
        .isEqualTo(Instant.parse("2024-05-01T10:30:00Z"));
    assertThat(ReadOptions.parseTimestamp("2024-05-01 12:30:00 UTC", LA))
        .isEqualTo(Instant.parse("2024-05-01T12:30:00Z"));
    assertThat(ReadOptions.parseTimestamp("not a time", LA)).isNull();
  }

  @Test
  void conflictingAndBadOptionsNameTheOptionAndTable() {
    assertThatThrownBy(
            () ->
                ReadOptions.parse(
                    "s.sc.t", Map.of("versionAsOf", "1", "timestampAsOf", "2024-01-01"), LA))
        .hasMessageContaining("versionAsOf")
        .hasMessageContaining("timestampAsOf")
        .hasMessageContaining("s.sc.t");
    assertThatThrownBy(() -> ReadOptions.parse("s.sc.t", Map.of("versionAsOf", "-1"), LA))
        .hasMessageContaining("versionAsOf='-1'")
        .hasMessageContaining("integer >= 0");
    assertThatThrownBy(() -> ReadOptions.parse("s.sc.t", Map.of("timestampAsOf", "soon"), LA))
        .hasMessageContaining("timestampAsOf='soon'")
        .hasMessageContaining("America/Los_Angeles");
    assertThatThrownBy(() -> ReadOptions.parse("s.sc.t", Map.of("responseFormat", "delta"), LA))
        .hasMessageContaining("responseFormat='delta'");
    assertThatThrownBy(() -> ReadOptions.parse("s.sc.t", Map.of("readChangeFeed", "true"), LA))
        .hasMessageContaining("readChangeFeed");
  }
}
