package io.lakeshare.spark.dv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.protocol.model.DeletionVector;
import org.junit.jupiter.api.Test;

class DvLocationTest {
  @Test
  void redactsQueryFragmentAndUserInfoOfUrls() {
    assertThat(
            DvLocation.redact(
                "https://b.s3.amazonaws.com/t/deletion_vector_1.bin?X-Amz-Signature=abc&x=y"))
        .isEqualTo("https://b.s3.amazonaws.com/t/deletion_vector_1.bin");
    assertThat(DvLocation.redact("https://u:secret@host:8443/a/b.bin#frag?no"))
        .isEqualTo("https://host:8443/a/b.bin");
    assertThat(DvLocation.redact("https://host/a@b/c.bin?sig")).isEqualTo("https://host/a@b/c.bin");
    assertThat(DvLocation.redact("s3://bucket/t/dv.bin")).isEqualTo("s3://bucket/t/dv.bin");
  }

  @Test
  void describesEachStorageTypeWithoutSecrets() {
    DeletionVector p = new DeletionVector("p", "https://host/t/dv.bin?sig=SECRET", 1, 34, 2L, null);
    assertThat(DvLocation.describe(p)).isEqualTo("https://host/t/dv.bin (offset 1, 34 bytes)");
    DeletionVector i = new DeletionVector("i", "wi5b=", null, 4, 0L, null);
    assertThat(DvLocation.describe(i)).isEqualTo("(inline, 4 bytes)");
    DeletionVector u = new DeletionVector("u", "ab^-aqEH.-t@S}K{vb[*k^", 4, 40, 6L, null);
    assertThat(DvLocation.describe(u)).isEqualTo("'uab^-aqEH.-t@S}K{vb[*k^' (offset 4, 40 bytes)");
  }

  @Test
  void derivesTheRelativePathOfAVectorStoredByUuid() {
    // the protocol's "on disk with relative path (with random prefix)" example
    assertThat(DvLocation.uuidRelativePath("ab^-aqEH.-t@S}K{vb[*k^"))
        .isEqualTo("ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
    assertThat(DvLocation.uuidRelativePath("^-aqEH.-t@S}K{vb[*k^"))
        .isEqualTo("deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
    assertThatThrownBy(() -> DvLocation.uuidRelativePath("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than an encoded UUID");
  }
}
