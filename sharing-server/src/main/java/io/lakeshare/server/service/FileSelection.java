package io.lakeshare.server.service;

import io.delta.kernel.utils.CloseableIterator;
import io.lakeshare.server.delta.ScanFile;
import io.lakeshare.server.delta.TableSnapshot;
import io.lakeshare.server.filter.FileFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * The files a query answers, in a deterministic order: Kernel's listing, cut to the partitions the
 * recipient may read, filtered by the hints, cut by {@code limitHint} (by {@code numRecords}, files
 * without stats count as zero rows so they never stop the listing early), then windowed by the page
 * offset and size. Can be run more than once with the same result for the same snapshot.
 */
final class FileSelection {
  private final TableSnapshot snapshot;
  private final FileFilter filter;
  private final PartitionAccess access;
  private final Long limitHint;
  private final long offset;
  private final long pageSize;

  FileSelection(
      TableSnapshot snapshot,
      PartitionAccess access,
      FileFilter filter,
      Long limitHint,
      long offset,
      long pageSize) {
    this.snapshot = snapshot;
    this.access = access;
    this.filter = filter;
    this.limitHint = limitHint;
    this.offset = offset;
    this.pageSize = pageSize;
  }

  /**
   * Visits the files of the page and reports whether more files follow it.
   *
   * @return true when a file exists after the page
   */
  boolean forEach(Consumer<ScanFile> visitor) throws IOException {
    try (CloseableIterator<ScanFile> files = snapshot.scanFiles()) {
      Matching matching = new Matching(files);
      long index = 0;
      while (matching.hasNext()) {
        ScanFile f = matching.next();
        if (index >= offset + pageSize) {
          return true;
        }
        if (index >= offset) {
          visitor.accept(f);
        }
        index++;
      }
      return false;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private final class Matching implements java.util.Iterator<ScanFile> {
    private final CloseableIterator<ScanFile> files;
    private long records;
    private ScanFile next;

    Matching(CloseableIterator<ScanFile> files) {
      this.files = files;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (limitHint != null && records >= limitHint) {
        return false;
      }
      while (files.hasNext()) {
        ScanFile f = files.next();
        // the kept stats bytes: the filter decodes them only for data columns' bounds
        if (access.allows(f.partitionValues())
            && filter.mightMatchBody(f.partitionValues(), f.statsJson())) {
          next = f;
          if (limitHint != null) {
            records += NumRecords.ofJsonStringBody(f.statsJson());
          }
          return true;
        }
      }
      return false;
    }

    @Override
    public ScanFile next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ScanFile f = next;
      next = null;
      return f;
    }
  }
}
