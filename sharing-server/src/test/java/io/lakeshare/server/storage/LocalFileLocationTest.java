package io.lakeshare.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalFileLocationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // Kernel / Hadoop Path strings: literal, never decoded
        "file:/tmp/t/part-0.parquet                          | /tmp/t/part-0.parquet",
        "file:/tmp/t/a b/part 0.parquet                      | /tmp/t/a b/part 0.parquet",
        "file:/tmp/t/ts=2021-01-01 10%3A00%3A00/p.parquet    | /tmp/t/ts=2021-01-01 10%3A00%3A00/p.parquet",
        "file:/tmp/t/p=a%25b/p.parquet                       | /tmp/t/p=a%25b/p.parquet",
        "file:/tmp/t/p=__HIVE_DEFAULT_PARTITION__/p.parquet  | /tmp/t/p=__HIVE_DEFAULT_PARTITION__/p.parquet",
        "FILE:/tmp/t/x.parquet                               | /tmp/t/x.parquet",
        // plain absolute paths: literal
        "/tmp/t/100%/x.parquet                               | /tmp/t/100%/x.parquet",
        "/tmp/t/a%20b/x.parquet                              | /tmp/t/a%20b/x.parquet",
        // RFC 8089 URIs, as Path.toUri() writes them: decoded
        "file:///tmp/t/a%20b/part-0.parquet                  | /tmp/t/a b/part-0.parquet",
        "file:///tmp/t/c%25d/%C3%A9.parquet                  | /tmp/t/c%d/é.parquet",
        "file://localhost/tmp/t/a%20b.parquet                | /tmp/t/a b.parquet",
        // an authority form that is not a valid encoding is taken literally
        "file:///tmp/t/a b/100%.parquet                      | /tmp/t/a b/100%.parquet",
        // normalization
        "file:/tmp/t/./x/../y.parquet                        | /tmp/t/y.parquet",
        "/tmp/t//y.parquet                                   | /tmp/t/y.parquet"
      })
  void locationFormsMapToTheFileTheyName(String location, String expected) {
    assertThat(LocalFileLocation.toPath(location)).isEqualTo(Path.of(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "s3a://bucket/t/part-0.parquet",
        "relative/part-0.parquet",
        "file:relative/part-0.parquet",
        "file://otherhost/t/part-0.parquet",
        "file://",
        "hdfs://nn/t/part-0.parquet"
      })
  void nonLocalOrRelativeLocationsAreRefused(String location) {
    assertThatThrownBy(() -> LocalFileLocation.toPath(location))
        .isInstanceOf(FileAccessException.class)
        .hasMessageNotContaining("/t/")
        .hasMessageNotContaining("bucket")
        .hasMessageNotContaining("otherhost");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/tmp/t/nul\u0000.parquet"})
  void emptyOrInvalidLocationsAreRefused(String location) {
    assertThatThrownBy(() -> LocalFileLocation.toPath(location))
        .isInstanceOf(FileAccessException.class);
  }
}
