package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor side of a directory read: the refresher travels with the partitions, opens the
 * directory with a file system of its own and renews credentials that are about to expire.
 */
class DirectoryRefresherTest {
  static final AtomicInteger ISSUED = new AtomicInteger();
  static volatile long nextExpiry;

  @TempDir Path dir;
  private DirectoryRefresher refresher;

  @AfterEach
  void release() {
    if (refresher != null) {
      refresher.release();
    }
  }

  private String root() {
    return dir.toUri().toString().replaceAll("/$", "");
  }

  /** Serializable: what a task carries. */
  private static DirectoryRefresher.Issuer issuer(String root) {
    return () -> {
      ISSUED.incrementAndGet();
      return new DirectoryCredentials(root, nextExpiry, Map.of("fs.lakeshare.test.marker", "x"));
    };
  }

  @Test
  void credentialsAboutToExpireAreRenewedBeforeAFileIsOpened() throws Exception {
    Files.writeString(dir.resolve("part-0.parquet"), "rows");
    ISSUED.set(0);
    long now = System.currentTimeMillis();
    nextExpiry = now + 3_600_000L;
    DirectoryCredentials soon = new DirectoryCredentials(root(), now + 60_000L, Map.of());
    refresher = new DirectoryRefresher(issuer(root()), "s.d.t", Map.of(), soon);

    FileSystem fs = refresher.fileSystem();
    assertThat(ISSUED.get()).isEqualTo(1);
    assertThat(refresher.credentials().expiresAtMillis()).isEqualTo(nextExpiry);
    // the renewed credentials' settings configure the file system
    assertThat(fs.getConf().get("fs.lakeshare.test.marker")).isEqualTo("x");
    try (FSDataInputStream in =
        fs.open(new org.apache.hadoop.fs.Path(root() + "/part-0.parquet"))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("rows");
    }
    // fresh credentials: the same file system, no call
    assertThat(refresher.fileSystem()).isSameAs(fs);
    assertThat(ISSUED.get()).isEqualTo(1);
  }

  @Test
  void aDeserializedCopyOpensItsOwnFileSystemWithTheCarriedCredentials() throws Exception {
    ISSUED.set(0);
    long later = System.currentTimeMillis() + 3_600_000L;
    refresher =
        new DirectoryRefresher(
            issuer(root()),
            "s.d.t",
            Map.of("fs.lakeshare.test.base", "y"),
            new DirectoryCredentials(root(), later, Map.of("fs.lakeshare.test.cred", "z")));
    FileSystem driver = refresher.fileSystem();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(refresher);
    }
    DirectoryRefresher copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (DirectoryRefresher) in.readObject();
    }
    try {
      FileSystem executor = copy.fileSystem();
      assertThat(executor).isNotSameAs(driver);
      assertThat(executor.getConf().get("fs.lakeshare.test.base")).isEqualTo("y");
      assertThat(executor.getConf().get("fs.lakeshare.test.cred")).isEqualTo("z");
      assertThat(ISSUED.get()).isZero();
      assertThat(copy.covers(root() + "/x/part-1.parquet")).isTrue();
      assertThat(copy.covers(root() + "-other/part-1.parquet")).isFalse();
      // the file system is its own, not Hadoop's shared one for the scheme
      assertThat(executor).isNotSameAs(FileSystem.get(dir.toUri(), executor.getConf()));
    } finally {
      copy.release();
    }
    // no secret in what a log line of the refresher shows
    assertThat(refresher.toString()).doesNotContain("fs.lakeshare.test.cred=z");
  }

  @Test
  void renewedCredentialsForAnotherDirectoryAreRefused() {
    long now = System.currentTimeMillis();
    nextExpiry = now + 3_600_000L;
    refresher =
        new DirectoryRefresher(
            issuer("file:/elsewhere"),
            "s.d.t",
            Map.of(),
            new DirectoryCredentials(root(), now + 1_000L, Map.of()));
    assertThatThrownBy(() -> refresher.fileSystem())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("s.d.t")
        .hasMessageContaining("file:/elsewhere");
  }

  @Test
  void aSparkWithoutTheCloudsFileSystemIsToldWhichModuleToAdd() {
    long later = System.currentTimeMillis() + 3_600_000L;
    // the unit tests' classpath has Spark's Hadoop but neither hadoop-aws nor hadoop-azure
    assertThatThrownBy(
            () ->
                DirectoryRefresher.open(
                    new DirectoryCredentials("s3a://lake/t", later, Map.of()), Map.of(), "s.d.t"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("s.d.t")
        .hasMessageContaining("hadoop-aws")
        .hasMessageContaining("accessMode url");
    assertThatThrownBy(
            () ->
                DirectoryRefresher.open(
                    new DirectoryCredentials(
                        "abfss://c@acct.dfs.core.windows.net/t", later, Map.of()),
                    Map.of(),
                    "s.d.a"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("hadoop-azure");
  }
}
