package io.lakeshare.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryLocationsTest {
  private static final String ROOT = "s3a://Bucket/warehouse/sales";

  @Test
  void noLocationMeansTheRoot() {
    assertThat(DirectoryLocations.within(ROOT, null)).isEqualTo(ROOT);
  }

  @Test
  void theRootAndDirectoriesUnderItInAnySchemeOfTheFamily() {
    // CONFORMANCE 165, 166
    assertThat(DirectoryLocations.within(ROOT, "s3a://Bucket/warehouse/sales")).isEqualTo(ROOT);
    assertThat(DirectoryLocations.within(ROOT, "s3://bucket/warehouse/sales/_delta_log"))
        .isEqualTo("s3://bucket/warehouse/sales/_delta_log");
    assertThat(DirectoryLocations.within(ROOT, "s3n://BUCKET//warehouse///sales/p=1/"))
        .isEqualTo("s3n://BUCKET/warehouse/sales/p=1");
    assertThat(
            DirectoryLocations.within(
                "abfss://c@acct.dfs.core.windows.net/t", "abfs://C@ACCT.dfs.core.windows.net/t/x"))
        .isEqualTo("abfs://C@ACCT.dfs.core.windows.net/t/x");
    assertThat(DirectoryLocations.within("wasbs://c@a/t/", "wasb://c@a/t"))
        .isEqualTo("wasb://c@a/t");
    assertThat(DirectoryLocations.within("gs://b/t", "gs://b/t/_delta_log"))
        .isEqualTo("gs://b/t/_delta_log");
    // a table at the bucket root
    assertThat(DirectoryLocations.within("s3://b", "s3://b/x/y")).isEqualTo("s3://b/x/y");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "s3a://other-bucket/some/path", // CONFORMANCE 167
        "s3a://Bucket/warehouse/sales-other", // 168: a sibling sharing a prefix
        "s3a://Bucket/warehouse/sale",
        "s3a://Bucket/warehouse",
        "s3a://Bucket",
        "gs://Bucket/warehouse/sales", // another family
        "abfss://Bucket/warehouse/sales",
        "s3a://Bucket/warehouse/sales/../other",
        "s3a://Bucket/warehouse/sales/./x",
        "s3a://Bucket/warehouse/sales/x/..",
        "s3a://Bucket/warehouse/sales?x=1",
        "s3a://Bucket/warehouse/sales#f",
        "s3a:///warehouse/sales",
        "/warehouse/sales",
        "warehouse/sales",
        "file:/warehouse/sales",
        "",
        "3s://Bucket/warehouse/sales",
      })
  void anythingElseIsRefusedWithTheReferenceMessage(String requested) {
    assertThatThrownBy(() -> DirectoryLocations.within(ROOT, requested))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
            })
        .hasMessage(
            "The requested location must be the same as or under this table's configured"
                + " storage location.");
  }
}
