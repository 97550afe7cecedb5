package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FilePackingTest {
  private static final long MB = 1 << 20;

  @Test
  void splitSizeFollowsSparksRule() {
    long[] sizes = {10 * MB, 10 * MB};
    // total (with 4 MB open cost each) 28 MB over 2 cores = 14 MB per core
    assertThat(FilePacking.maxSplitBytes(sizes, 128 * MB, 4 * MB, 2)).isEqualTo(14 * MB);
    assertThat(FilePacking.maxSplitBytes(sizes, 8 * MB, 4 * MB, 2)).isEqualTo(8 * MB);
    assertThat(FilePacking.maxSplitBytes(new long[] {1}, 128 * MB, 4 * MB, 8)).isEqualTo(4 * MB);
  }

  @Test
  void largeFilesAreSplitAndEveryByteIsCoveredOnce() {
    long[] sizes = {300 * MB, 5 * MB, 1};
    List<List<FilePacking.Slice>> parts = FilePacking.pack(sizes, 128 * MB, 4 * MB);
    long[] covered = new long[sizes.length];
    for (List<FilePacking.Slice> p : parts) {
      for (FilePacking.Slice s : p) {
        covered[s.file()] += s.length();
      }
    }
    assertThat(covered).containsExactly(sizes);
    assertThat(parts.get(0)).containsExactly(new FilePacking.Slice(0, 0, 128 * MB));
    assertThat(parts).hasSize(3);
    // the 44 MB tail, the 5 MB file and the 1-byte file share the last partition
    assertThat(parts.get(2)).hasSize(3);
  }

  @Test
  void smallFilesArePackedWithTheOpenCost() {
    long[] sizes = new long[100];
    java.util.Arrays.fill(sizes, 1000);
    // a file is added while the bytes so far (open costs included) plus its own size fit in
    // 13 MB: 4 files per partition (the open cost of the last is counted only afterwards)
    List<List<FilePacking.Slice>> parts = FilePacking.pack(sizes, 13 * MB, 4 * MB);
    assertThat(parts).hasSize(25);
    assertThat(parts).allSatisfy(p -> assertThat(p).hasSize(4));
  }

  @Test
  void noFilesNoPartitions() {
    assertThat(FilePacking.pack(new long[0], 128 * MB, 4 * MB)).isEmpty();
  }
}
