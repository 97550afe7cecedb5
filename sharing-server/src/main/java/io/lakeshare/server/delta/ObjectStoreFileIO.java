package io.lakeshare.server.delta;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.lakeshare.server.storage.ObjectInfo;
import io.lakeshare.server.storage.ObjectStore;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A read-only Kernel {@link FileIO} over an {@link ObjectStore}, so that Delta logs in S3, Azure
 * and GCS are read through the cloud SDKs (or plain HTTP) without a Hadoop file system for the
 * scheme. The server never writes to a shared table, so every write method refuses.
 */
public final class ObjectStoreFileIO implements FileIO {
  private final ObjectStore store;

  ObjectStoreFileIO(ObjectStore store) {
    this.store = store;
  }

  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    List<ObjectInfo> objects = store.listFrom(filePath);
    Iterator<ObjectInfo> it = objects.iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public FileStatus next() {
        if (!it.hasNext()) {
          throw new NoSuchElementException();
        }
        ObjectInfo o = it.next();
        return FileStatus.of(o.location(), o.size(), o.modificationTime());
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    ObjectInfo o = store.stat(path);
    return FileStatus.of(o.location(), o.size(), o.modificationTime());
  }

  @Override
  public String resolvePath(String path) {
    return path;
  }

  @Override
  public boolean mkdirs(String path) {
    throw readOnly();
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    return new InputFile() {
      @Override
      public long length() throws IOException {
        return fileSize >= 0 ? fileSize : store.stat(path).size();
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public SeekableInputStream newStream() {
        return new RangeStream(store, path);
      }
    };
  }

  @Override
  public OutputFile newOutputFile(String path) {
    throw readOnly();
  }

  @Override
  public boolean delete(String path) {
    throw readOnly();
  }

  @Override
  public Optional<String> getConf(String confKey) {
    return Optional.empty();
  }

  @Override
  public void copyFileAtomically(String srcPath, String destPath, boolean overwrite) {
    throw readOnly();
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("Lakeshare reads shared tables and never writes them");
  }

  /**
   * Reads sequentially from one ranged GET; a seek elsewhere drops it and the next read opens a new
   * one at the new position (Parquet footers and column chunks are read this way).
   */
  public static final class RangeStream extends SeekableInputStream {
    private final ObjectStore store;
    private final String path;
    private InputStream in;
    private long pos;

    public RangeStream(ObjectStore store, String path) {
      this.store = store;
      this.path = path;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos < 0) {
        throw new EOFException("negative position " + newPos);
      }
      if (newPos != pos) {
        closeCurrent();
        pos = newPos;
      }
    }

    @Override
    public int read() throws IOException {
      int b = current().read();
      if (b >= 0) {
        pos++;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n = current().read(buf, off, len);
      if (n > 0) {
        pos += n;
      }
      return n;
    }

    @Override
    public void readFully(byte[] buf, int off, int len) throws IOException {
      int done = 0;
      while (done < len) {
        int n = read(buf, off + done, len - done);
        if (n < 0) {
          throw new EOFException("end of object after " + pos + " bytes");
        }
        done += n;
      }
    }

    @Override
    public void close() throws IOException {
      closeCurrent();
    }

    private InputStream current() throws IOException {
      if (in == null) {
        in = store.open(path, pos);
      }
      return in;
    }

    private void closeCurrent() throws IOException {
      if (in != null) {
        InputStream old = in;
        in = null;
        old.close();
      }
    }
  }
}
