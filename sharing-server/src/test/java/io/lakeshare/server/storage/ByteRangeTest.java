package io.lakeshare.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

  private static final long SIZE = 1000;

  @ParameterizedTest(name = "{0} -> {1}+{2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bytes=0-99       | 0   | 100",
        "bytes=100-100    | 100 | 1",
        "bytes=990-       | 990 | 10",
        "bytes=0-         | 0   | 1000",
        "bytes=-10        | 990 | 10",
        "bytes=-5000      | 0   | 1000",
        "bytes=500-99999  | 500 | 500",
        "BYTES=1-2        | 1   | 2",
        "bytes= 7 - 8     | 7   | 2"
      })
  void singleRangesArePartial(String header, long first, long length) {
    ByteRange range = ByteRange.select(header.trim(), SIZE);

    assertThat(range.partial()).isTrue();
    assertThat(range.first()).isEqualTo(first);
    assertThat(range.length()).isEqualTo(length);
    assertThat(range.last()).isEqualTo(first + length - 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=1000-", "bytes=1000-1001", "bytes=5000-6000", "bytes=-0"})
  void rangesBeyondTheEndAreUnsatisfiable(String header) {
    assertThat(ByteRange.select(header, SIZE).isUnsatisfiable()).isTrue();
  }

  @Test
  void anyRangeOfAnEmptyFileIsUnsatisfiable() {
    assertThat(ByteRange.select("bytes=0-", 0).isUnsatisfiable()).isTrue();
    assertThat(ByteRange.select("bytes=-1", 0).isUnsatisfiable()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bytes=0-1,5-6",
        "bytes=5-1",
        "bytes=abc",
        "bytes=1",
        "bytes=-",
        "bytes=--5",
        "bytes=+1-2",
        "items=0-1",
        "bytes=99999999999999999999-",
        ""
      })
  void unusableHeadersSelectTheWholeFile(String header) {
    ByteRange range = ByteRange.select(header, SIZE);

    assertThat(range.partial()).isFalse();
    assertThat(range.first()).isZero();
    assertThat(range.length()).isEqualTo(SIZE);
  }

  @Test
  void noHeaderSelectsTheWholeFile() {
    assertThat(ByteRange.select(null, SIZE)).isEqualTo(ByteRange.whole(SIZE));
  }
}
