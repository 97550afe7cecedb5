package io.lakeshare.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.server.config.StorageConfig;
import io.lakeshare.server.storage.FileAccessException;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.SignedUrl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class S3FileSignerTest {
  private static final Clock MAY_24_2013 =
      Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC);

  private static S3Storage aws(String region) {
    return S3Storage.of(
        new StorageConfig.S3(
            "docs",
            region,
            null,
            null,
            StorageConfig.AwsCredentials.STATIC,
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            null));
  }

  /**
   * AWS's published example of a presigned GET ("Authenticating Requests: Using Query Parameters").
   */
  @Test
  void reproducesAwsPublishedPresignedUrlExample() {
    try (S3Storage s3 = aws("us-east-1")) {
      SignedUrl url =
          s3.signer("s3://examplebucket", Duration.ofDays(1), MAY_24_2013)
              .sign("s3://examplebucket/test.txt");

      assertThat(url.url())
          .startsWith("https://examplebucket.s3.amazonaws.com/test.txt?")
          .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
          .contains(
              "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request")
          .contains("X-Amz-Date=20130524T000000Z")
          .contains("X-Amz-Expires=86400")
          .contains("X-Amz-SignedHeaders=host")
          .endsWith(
              "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
      assertThat(url.expirationTimestampMillis())
          .isEqualTo(Instant.parse("2013-05-25T00:00:00Z").toEpochMilli());
    }
  }

  @Test
  void pathStyleEndpointPutsTheBucketInThePathAndEncodesTheKeyOnce() {
    try (S3Storage s3 =
        S3Storage.of(
            new StorageConfig.S3(
                "minio",
                null,
                "http://127.0.0.1:9000",
                null,
                StorageConfig.AwsCredentials.STATIC,
                "id",
                "secret",
                null))) {
      FileSigner signer = s3.signer("s3a://lake/t", Duration.ofHours(1), MAY_24_2013);
      String url = signer.sign("s3a://lake/t/p=a b/c%3Ad+e.parquet").url();
      assertThat(url).startsWith("http://127.0.0.1:9000/lake/t/p%3Da%20b/c%253Ad%2Be.parquet?");
      assertThat(url).contains("%2Fus-east-1%2Fs3%2F");
    }
  }

  @Test
  void validityIsCappedAtSevenDays() {
    try (S3Storage s3 = aws("eu-west-1")) {
      SignedUrl url =
          s3.signer("s3://b/t", Duration.ofDays(30), MAY_24_2013).sign("s3://b/t/f.parquet");
      assertThat(url.url())
          .startsWith("https://b.s3.eu-west-1.amazonaws.com/t/f.parquet?")
          .contains("X-Amz-Expires=604800");
      assertThat(url.expirationTimestampMillis())
          .isEqualTo(MAY_24_2013.millis() + Duration.ofDays(7).toMillis());
    }
  }

  @Test
  void refusesFilesOutsideTheTableOrWithDotSegments() {
    try (S3Storage s3 = aws("us-east-1")) {
      FileSigner signer = s3.signer("s3://b/tables/t", Duration.ofHours(1), MAY_24_2013);
      assertThat(signer.sign("s3a://b/tables/t/x.parquet").url()).contains("/tables/t/x.parquet?");
      for (String outside :
          new String[] {
            "s3://other/tables/t/x.parquet",
            "s3://b/tables/t2/x.parquet",
            "s3://b/tables/t",
            "s3://b/tables/t/../u/x.parquet",
            "s3://b/tables/t/./x.parquet",
            "s3://b/tables/t//x.parquet",
            "gs://b/tables/t/x.parquet",
            "file:/tables/t/x.parquet"
          }) {
        assertThatThrownBy(() -> signer.sign(outside))
            .as(outside)
            .isInstanceOf(FileAccessException.class)
            .hasMessageNotContaining("tables/");
      }
    }
  }
}
