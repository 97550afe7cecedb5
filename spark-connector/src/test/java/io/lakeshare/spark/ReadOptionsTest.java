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
    assertThatThrownBy(() -> ReadOptions.parse("s.sc.t", Map.of("responseFormat", "arrow"), LA))
        .hasMessageContaining("responseFormat='arrow'")
        .hasMessageContaining("'parquet', 'delta' or 'auto'");
    assertThat(
            ReadOptions.parse("s.sc.t", Map.of("responseFormat", " Delta "), LA).responseFormat())
        .isEqualTo(AnswerFormat.DELTA);
    assertThat(
            ReadOptions.parse("s.sc.t", Map.of("responseFormat", "parquet"), LA).responseFormat())
        .isEqualTo(AnswerFormat.PARQUET);
    assertThat(ReadOptions.parse("s.sc.t", Map.of(), LA).responseFormat())
        .isEqualTo(AnswerFormat.AUTO);
    assertThatThrownBy(
            () ->
                ReadOptions.parse("s.sc.t", Map.of("readChangeFeed", "true"), LA)
                    .checkBatch("s.sc.t"))
        .hasMessageContaining("readChangeFeed")
        .hasMessageContaining("startingVersion or startingTimestamp");
  }

  @Test
  void changeFeedAndStreamingOptions() {
    ReadOptions o =
        ReadOptions.parse(
            "s.sc.t",
            Map.of(
                "readChangeData", "true",
                "startingVersion", "2",
                "endingTimestamp", "2024-05-01",
                "maxBytesPerTrigger", "10m",
                "ignoreDeletes", "TRUE"),
            LA);
    assertThat(o.readChangeFeed()).isTrue();
    assertThat(o.startingVersion()).isEqualTo(2L);
    assertThat(o.endingTimestamp()).isEqualTo("2024-05-01T07:00:00Z");
    assertThat(o.maxBytesPerTrigger()).isEqualTo(10L << 20);
    assertThat(o.maxFilesPerTrigger()).isNull();
    assertThat(o.ignoreDeletes()).isTrue();
    o.checkBatch("s.sc.t");
    ReadOptions dflt = ReadOptions.parse("s.sc.t", Map.of("startingVersion", "latest"), LA);
    assertThat(dflt.startingLatest()).isTrue();
    assertThat(dflt.maxFilesPerTrigger()).isEqualTo(1000);
    assertThat(dflt.maxVersionsPerRpc()).isEqualTo(100);
    ReadOptions cdfLatest =
        ReadOptions.parse(
            "s.sc.t", Map.of("readChangeFeed", "true", "startingVersion", "latest"), LA);
    assertThatThrownBy(() -> cdfLatest.checkBatch("s.sc.t"))
        .hasMessageContaining("'latest' is only for streams");
  }

  @Test
  void conflictingChangeOptionsNameBoth() {
    assertThatThrownBy(
            () ->
                ReadOptions.parse(
                    "s.sc.t",
                    Map.of("startingVersion", "1", "startingTimestamp", "2024-01-01"),
                    LA))
        .hasMessageContaining("startingVersion")
        .hasMessageContaining("startingTimestamp");
    assertThatThrownBy(
            () ->
                ReadOptions.parse(
                    "s.sc.t", Map.of("readChangeFeed", "true", "versionAsOf", "1"), LA))
        .hasMessageContaining("readChangeFeed")
        .hasMessageContaining("versionAsOf");
    assertThatThrownBy(() -> ReadOptions.parse("s.sc.t", Map.of("maxFilesPerTrigger", "0"), LA))
        .hasMessageContaining("maxFilesPerTrigger='0'");
    assertThatThrownBy(() -> ReadOptions.parse("s.sc.t", Map.of("maxBytesPerTrigger", "lots"), LA))
        .hasMessageContaining("maxBytesPerTrigger='lots'");
    assertThatThrownBy(
            () ->
                ReadOptions.parse("s.sc.t", Map.of("versionAsOf", "1"), LA)
                    .checkStreaming("s.sc.t"))
        .hasMessageContaining("versionAsOf")
        .hasMessageContaining("batch");
  }

  @Test
  void accessModeDefaultsToUrlAndRefusesOtherValues() {
    assertThat(ReadOptions.parse("s.sc.t", Map.of(), LA).accessMode())
        .isEqualTo(ReadOptions.AccessMode.URL);
    assertThat(ReadOptions.parse("s.sc.t", Map.of("accessMode", " DIR "), LA).accessMode())
        .isEqualTo(ReadOptions.AccessMode.DIR);
    assertThat(ReadOptions.parse("s.sc.t", Map.of("accessmode", "auto"), LA).accessMode())
        .isEqualTo(ReadOptions.AccessMode.AUTO);
    assertThatThrownBy(() -> ReadOptions.parse("s.sc.t", Map.of("accessMode", "directory"), LA))
        .hasMessageContaining("accessMode='directory'")
        .hasMessageContaining("s.sc.t")
        .hasMessageContaining("'url'");
    // every kind of read accepts dir: change feeds and streams read the log's commits
    ReadOptions.parse(
            "s.sc.t",
            Map.of("accessMode", "dir", "readChangeFeed", "true", "startingVersion", "1"),
            LA)
        .checkBatch("s.sc.t");
    ReadOptions.parse("s.sc.t", Map.of("accessMode", "dir"), LA).checkStreaming("s.sc.t");
    ReadOptions.parse("s.sc.t", Map.of("accessMode", "auto"), LA).checkStreaming("s.sc.t");
  }
}
