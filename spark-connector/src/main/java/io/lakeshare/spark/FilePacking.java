package io.lakeshare.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Groups files into input partitions the way Spark's file sources do: files larger than the split
 * size are cut into splits, splits are sorted by size (largest first) and packed next-fit into
 * partitions of at most the split size, counting an open cost per split.
 */
final class FilePacking {
  private FilePacking() {}

  /** A byte range of one file. */
  record Slice(int file, long start, long length) {}

  /** The split size: Spark's {@code FilePartition.maxSplitBytes} rule. */
  static long maxSplitBytes(
      long[] sizes, long maxPartitionBytes, long openCostInBytes, int minPartitionNum) {
    long total = 0;
    for (long s : sizes) {
      total += s + openCostInBytes;
    }
    long bytesPerCore = total / Math.max(1, minPartitionNum);
    return Math.min(maxPartitionBytes, Math.max(openCostInBytes, bytesPerCore));
  }

  static List<List<Slice>> pack(long[] sizes, long maxSplitBytes, long openCostInBytes) {
    List<Slice> slices = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      long size = sizes[i];
      if (size <= maxSplitBytes) {
        slices.add(new Slice(i, 0, size));
      } else {
        for (long off = 0; off < size; off += maxSplitBytes) {
          slices.add(new Slice(i, off, Math.min(maxSplitBytes, size - off)));
        }
      }
    }
    slices.sort(Comparator.comparingLong(Slice::length).reversed());
    List<List<Slice>> partitions = new ArrayList<>();
    List<Slice> current = new ArrayList<>();
    long currentSize = 0;
    for (Slice s : slices) {
      if (!current.isEmpty() && currentSize + s.length() > maxSplitBytes) {
        partitions.add(current);
        current = new ArrayList<>();
        currentSize = 0;
      }
      current.add(s);
      currentSize += s.length() + openCostInBytes;
    }
    if (!current.isEmpty()) {
      partitions.add(current);
    }
    return partitions;
  }
}
