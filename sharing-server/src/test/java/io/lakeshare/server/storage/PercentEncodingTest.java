package io.lakeshare.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PercentEncodingTest {

  @Test
  void unreservedCharactersStayAsTheyAre() {
    assertThat(PercentEncoding.encodeSegment("part-00000_a.b~c.snappy.parquet"))
        .isEqualTo("part-00000_a.b~c.snappy.parquet");
  }

  @Test
  void everythingElseIsEncodedAsUtf8() {
    assertThat(PercentEncoding.encodeSegment("a b%c/d?#é😀.parquet"))
        .isEqualTo("a%20b%25c%2Fd%3F%23%C3%A9%F0%9F%98%80.parquet");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain.parquet", "a b%20c", "p=__HIVE_DEFAULT_PARTITION__", "é😀%", ""})
  void decodingUndoesEncoding(String segment) {
    assertThat(PercentEncoding.decode(PercentEncoding.encodeSegment(segment))).isEqualTo(segment);
  }

  @ParameterizedTest
  @ValueSource(strings = {"%", "%2", "%zz", "a%g1", "%C3", "%FF", "%C3x%A9"})
  void malformedEncodingDecodesToNull(String encoded) {
    assertThat(PercentEncoding.decode(encoded)).isNull();
  }

  @Test
  void unescapedCharactersAreKept() {
    assertThat(PercentEncoding.decode("é %41+")).isEqualTo("é A+");
  }

  @Test
  void wellFormedEncodedPathsAreRecognised() {
    assertThat(PercentEncoding.isWellFormedEncodedPath("/t/a%20b/p=x%3Ay.parquet")).isTrue();
    assertThat(PercentEncoding.isWellFormedEncodedPath("/t/a b.parquet")).isFalse();
    assertThat(PercentEncoding.isWellFormedEncodedPath("/t/100%.parquet")).isFalse();
    assertThat(PercentEncoding.isWellFormedEncodedPath("/t/é.parquet")).isFalse();
  }
}
