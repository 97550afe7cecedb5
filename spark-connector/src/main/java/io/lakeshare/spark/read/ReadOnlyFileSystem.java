package io.lakeshare.spark.read;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The write side of the connector's Hadoop file systems, which only read: every write, rename,
 * delete and mkdirs fails with {@link #readOnly(Path)}.
 */
public abstract class ReadOnlyFileSystem extends FileSystem {

  /** The failure of a write to {@code path}, saying why this file system does not write. */
  protected abstract IOException readOnly(Path path);

  @Override
  public final FSDataOutputStream create(
      Path f,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    throw readOnly(f);
  }

  @Override
  public final FSDataOutputStream append(Path f, int bufferSize, Progressable progress)
      throws IOException {
    throw readOnly(f);
  }

  @Override
  public final boolean rename(Path src, Path dst) throws IOException {
    throw readOnly(src);
  }

  @Override
  public final boolean delete(Path f, boolean recursive) throws IOException {
    throw readOnly(f);
  }

  @Override
  public final boolean mkdirs(Path f, FsPermission permission) throws IOException {
    throw readOnly(f);
  }
}
