package io.lakeshare.spark.dv;

import java.util.Arrays;
import java.util.function.LongConsumer;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * An immutable set of row indexes (positions of rows in one data file, from 0): the rows a deletion
 * vector removes. Thread-safe for reads.
 *
 * <p>Held as Delta holds it: one 32-bit {@link RoaringBitmap} per distinct high 32 bits of the
 * indexes, so the set stays compressed (a file with ten million deleted rows in runs takes a few
 * KB). Only the RoaringBitmap methods that both the 0.9 line (Spark 3.5) and the 1.x line (Spark 4)
 * have are used, because the library comes from Spark's classpath.
 */
public final class RowIndexSet {
  /** The set with no rows. */
  public static final RowIndexSet EMPTY = new RowIndexSet(new int[0], new RoaringBitmap[0]);

  /** Ascending, non-negative high 32 bits of the indexes in the bitmap at the same position. */
  private final int[] keys;

  /** Never empty, never modified after construction, never handed out. */
  private final RoaringBitmap[] bitmaps;

  private final long cardinality;

  private RowIndexSet(int[] keys, RoaringBitmap[] bitmaps) {
    this.keys = keys;
    this.bitmaps = bitmaps;
    long sum = 0;
    for (RoaringBitmap b : bitmaps) {
      sum += b.getLongCardinality();
    }
    this.cardinality = sum;
  }

  /**
   * A set over freshly deserialized bitmaps that nobody else references; empty ones are dropped.
   *
   * @param keys ascending non-negative high halves, one per bitmap
   */
  static RowIndexSet adopt(int[] keys, RoaringBitmap[] bitmaps) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] < 0 || (i > 0 && keys[i] <= keys[i - 1])) {
        throw new IllegalArgumentException("keys must be non-negative and ascending");
      }
    }
    int n = 0;
    for (int i = 0; i < bitmaps.length; i++) {
      if (!bitmaps[i].isEmpty()) {
        keys[n] = keys[i];
        bitmaps[n] = bitmaps[i];
        n++;
      }
    }
    return n == 0 ? EMPTY : new RowIndexSet(Arrays.copyOf(keys, n), Arrays.copyOf(bitmaps, n));
  }

  /** The set of the given row indexes (any order, repeats allowed). */
  static RowIndexSet of(long... rowIndexes) {
    long[] sorted = rowIndexes.clone();
    Arrays.sort(sorted);
    int[] keys = new int[sorted.length];
    RoaringBitmap[] bitmaps = new RoaringBitmap[sorted.length];
    int n = 0;
    for (long r : sorted) {
      if (r < 0) {
        throw new IllegalArgumentException("row index " + r + " is negative");
      }
      int key = high(r);
      if (n == 0 || keys[n - 1] != key) {
        keys[n] = key;
        bitmaps[n++] = new RoaringBitmap();
      }
      bitmaps[n - 1].add((int) r);
    }
    return adopt(Arrays.copyOf(keys, n), Arrays.copyOf(bitmaps, n));
  }

  /** Whether row {@code rowIndex} is in the set; {@code false} for negative indexes. */
  public boolean contains(long rowIndex) {
    if (rowIndex < 0) {
      return false;
    }
    int i = slot(high(rowIndex));
    return i >= 0 && bitmaps[i].contains((int) rowIndex);
  }

  /** Whether any row in {@code [fromInclusive, toExclusive)} is in the set. */
  public boolean intersects(long fromInclusive, long toExclusive) {
    long from = Math.max(fromInclusive, 0);
    if (from >= toExclusive) {
      return false;
    }
    long last = toExclusive - 1;
    for (int i = 0; i < keys.length && keys[i] <= high(last); i++) {
      if (keys[i] < high(from)) {
        continue;
      }
      // bounds within this bitmap's 2^32 values, as the unsigned longs RoaringBitmap takes
      long lo = keys[i] == high(from) ? low(from) : 0;
      long hi = keys[i] == high(last) ? low(last) + 1 : 1L << 32;
      if (bitmaps[i].intersects(lo, hi)) {
        return true;
      }
    }
    return false;
  }

  /** Number of rows in the set. */
  public long cardinality() {
    return cardinality;
  }

  public boolean isEmpty() {
    return cardinality == 0;
  }

  /** Calls {@code action} with every row index in ascending order. */
  public void forEach(LongConsumer action) {
    for (int i = 0; i < keys.length; i++) {
      long base = (long) keys[i] << 32;
      IntIterator it = bitmaps[i].getIntIterator();
      while (it.hasNext()) {
        action.accept(base | (it.next() & 0xFFFF_FFFFL));
      }
    }
  }

  /**
   * The row indexes in ascending order.
   *
   * @throws IllegalStateException if there are more than fit in an array
   */
  public long[] toArray() {
    if (cardinality > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(cardinality + " row indexes do not fit in an array");
    }
    long[] out = new long[(int) cardinality];
    int[] n = {0};
    forEach(r -> out[n[0]++] = r);
    return out;
  }

  @Override
  public String toString() {
    return "RowIndexSet[cardinality=" + cardinality + "]";
  }

  private int slot(int key) {
    // Delta's keys are almost always just 0: a scan beats a binary search at that size.
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] >= key) {
        return keys[i] == key ? i : -1;
      }
    }
    return -1;
  }

  private static int high(long rowIndex) {
    return (int) (rowIndex >>> 32);
  }

  private static long low(long rowIndex) {
    return rowIndex & 0xFFFF_FFFFL;
  }
}
