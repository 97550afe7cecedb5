package io.lakeshare.it.bench.stream;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap figures of one benchmark run: live heap after a full GC before and after, the largest heap
 * left after any GC during the run (live data plus garbage the GC did not reach yet), and the peak
 * heap used (garbage included).
 */
final class HeapWatch implements AutoCloseable {
  private final AtomicLong maxAfterGc = new AtomicLong();
  private final List<Runnable> unregister = new ArrayList<>();
  final long liveBefore;

  HeapWatch() {
    liveBefore = liveHeap();
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
        heapPools.add(p.getName());
      }
    }
    NotificationListener listener =
        (n, handback) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
              n.getType())) {
            return;
          }
          GarbageCollectionNotificationInfo info =
              GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          long used = 0;
          // the map also holds non-heap pools such as Metaspace
          for (Map.Entry<String, MemoryUsage> u :
              info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(u.getKey())) {
              used += u.getValue().getUsed();
            }
          }
          maxAfterGc.accumulateAndGet(used, Math::max);
        };
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        unregister.add(
            () -> {
              try {
                e.removeNotificationListener(listener);
              } catch (javax.management.ListenerNotFoundException ignored) {
                // already gone
              }
            });
      }
    }
  }

  /** Largest heap used right after a GC during the run. */
  long maxAfterGc() {
    return maxAfterGc.get();
  }

  /** Sum of the heap pools' peaks since the start (an upper bound on heap used at any time). */
  static long peakUsed() {
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /** Heap used after two full collections. */
  static long liveHeap() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Override
  public void close() {
    unregister.forEach(Runnable::run);
  }
}
