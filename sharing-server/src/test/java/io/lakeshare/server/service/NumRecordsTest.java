package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.server.delta.FileExtras;
import io.lakeshare.server.delta.ScanFile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Row counts read from the kept stats bytes, as limit hints use them. */
class NumRecordsTest {
  private static long of(String stats) {
    return NumRecords.ofJsonStringBody(
        new ScanFile("a", "file:/t/a", Map.of(), 1, 1, stats, FileExtras.PLAIN).statsJson());
  }

  @Test
  void readsTheCountWithoutDecodingTheStats() {
    assertThat(of("{\"numRecords\":50299,\"minValues\":{\"id\":1}}")).isEqualTo(50299);
    assertThat(of("{\"minValues\":{\"s\":\"x\"},\"numRecords\" : 7}")).isEqualTo(7);
    assertThat(of("{\"numRecords\":9223372036854775807}")).isEqualTo(Long.MAX_VALUE);
    // unknown: no stats, no count, a count that is not a number
    assertThat(of(null)).isZero();
    assertThat(of("{\"minValues\":{}}")).isZero();
    assertThat(of("{\"numRecords\":null}")).isZero();
    assertThat(of("")).isZero();
  }
}
