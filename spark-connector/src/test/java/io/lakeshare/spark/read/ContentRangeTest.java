package io.lakeshare.spark.read;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentRangeTest {

  @Test
  void parsesASatisfiedRange() {
    assertThat(ContentRange.parse("bytes 100-199/1000"))
        .isEqualTo(new ContentRange(100, 199, 1000));
    assertThat(ContentRange.parse(" Bytes 0-0/* ")).isEqualTo(new ContentRange(0, 0, -1));
  }

  @Test
  void rejectsMalformedOrUnsatisfiedRanges() {
    assertThat(ContentRange.parse("bytes */1000")).isNull();
    assertThat(ContentRange.parse("bytes 200-100/1000")).isNull();
    assertThat(ContentRange.parse("bytes 0-1000/1000")).isNull();
    assertThat(ContentRange.parse("items 0-1/2")).isNull();
    assertThat(ContentRange.parse("bytes a-b/c")).isNull();
    assertThat(ContentRange.parse("bytes 5/10")).isNull();
  }
}
