package io.lakeshare.spark.read;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileUrlTest {

  @Test
  void redactedKeepsSchemeHostPortAndPathOnly() {
    FileUrl url =
        FileUrl.of("https://bucket.s3.amazonaws.com:8443/t/a%2Fb.parquet?X-Amz-Signature=abc#frag");
    assertThat(url.redacted()).isEqualTo("https://bucket.s3.amazonaws.com:8443/t/a%2Fb.parquet");
  }

  @Test
  void redactedDropsUserInfo() {
    assertThat(FileUrl.redact("https://user:pw@host.example/p?q=1"))
        .isEqualTo("https://host.example/p");
  }

  @Test
  void unparseableUrlsAreNotEchoed() {
    assertThat(FileUrl.redact("not a url ?sig=secret")).isEqualTo("<unparseable URL>");
    assertThat(FileUrl.redact("/relative/path?sig=secret")).isEqualTo("<unparseable URL>");
  }

  @Test
  void toStringHidesTheSignature() {
    FileUrl url = new FileUrl("https://h/p?sig=secret", 42);
    assertThat(url.toString()).contains("https://h/p").contains("42").doesNotContain("secret");
  }

  @Test
  void ofMeansUnknownExpiry() {
    assertThat(FileUrl.of("https://h/p").expiresAtMillis()).isEqualTo(Long.MAX_VALUE);
  }
}
