package io.lakeshare.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class S3SessionPolicyTest {

  @Test
  void readsAndListsOnlyTheDirectory() throws Exception {
    String policy = S3SessionPolicy.readOnly("aws", "lake", "warehouse/sales");
    assertThat(policy)
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"ReadTableObjects\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::lake/warehouse/sales/*\"},"
                + "{\"Sid\":\"ListTableDirectory\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::lake\",\"Condition\":{\"StringLike\":{\"s3:prefix\":"
                + "[\"warehouse/sales/\",\"warehouse/sales/*\"]}}}]}");
    // no statement allows writing, deleting or anything outside the prefix; STS limit is 2,048
    JsonNode p = new ObjectMapper().readTree(policy);
    assertThat(p.path("Statement")).hasSize(2);
    assertThat(policy).doesNotContain("Put").doesNotContain("Delete").hasSizeLessThan(2048);
  }

  @Test
  void thePartitionOfTheRoleAndABucketWideTable() {
    assertThat(S3SessionPolicy.readOnly("aws-cn", "b", ""))
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"ReadTableObjects\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws-cn:s3:::b/*\"},"
                + "{\"Sid\":\"ListTableDirectory\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws-cn:s3:::b\"}]}");
  }

  @Test
  void jsonSpecialCharactersAreEscapedAndWildcardsRefused() {
    assertThat(S3SessionPolicy.readOnly("aws", "b", "a\"b\\c"))
        .contains("\"arn:aws:s3:::b/a\\\"b\\\\c/*\"");
    for (String prefix : new String[] {"t*", "t?", "t/${aws:username}"}) {
      assertThatThrownBy(() -> S3SessionPolicy.readOnly("aws", "b", prefix))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("wildcard");
    }
  }
}
