package io.lakeshare.spark;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.hadoopio.HadoopInputFile;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Kernel's file access for a directory-access read: one Hadoop file system opened with the table's
 * temporary credentials (not Hadoop's shared cache, so no other reader in the JVM gets them), and
 * no path outside the table's directory. Read-only: the recipient never writes a shared table.
 */
final class DirectoryFileIO implements FileIO {
  private final FileSystem fs;
  private final DirectoryCredentials scope;

  DirectoryFileIO(FileSystem fs, DirectoryCredentials scope) {
    this.fs = fs;
    this.scope = scope;
  }

  private Path checked(String path) throws FileNotFoundException {
    if (!scope.covers(path)) {
      throw new FileNotFoundException(path + " lies outside the shared table " + scope.root());
    }
    return new Path(path);
  }

  /** The files of the path's directory whose names sort at or after the path's, in name order. */
  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    Path from = checked(filePath);
    String name = from.getName();
    org.apache.hadoop.fs.FileStatus[] listed = fs.listStatus(from.getParent());
    List<org.apache.hadoop.fs.FileStatus> kept = new ArrayList<>(listed.length);
    for (org.apache.hadoop.fs.FileStatus s : listed) {
      if (s.isFile() && s.getPath().getName().compareTo(name) >= 0) {
        kept.add(s);
      }
    }
    kept.sort(Comparator.comparing(s -> s.getPath().getName()));
    Iterator<org.apache.hadoop.fs.FileStatus> it = kept.iterator();
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
        return status(it.next());
      }

      @Override
      public void close() {}
    };
  }

  private static FileStatus status(org.apache.hadoop.fs.FileStatus s) {
    return FileStatus.of(s.getPath().toString(), s.getLen(), s.getModificationTime());
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    return status(fs.getFileStatus(checked(path)));
  }

  @Override
  public String resolvePath(String path) throws IOException {
    return fs.makeQualified(checked(path)).toString();
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    if (!scope.covers(path)) {
      throw new IllegalArgumentException(
          path + " lies outside the shared table " + scope.root() + "; it is not read");
    }
    return new HadoopInputFile(fs, new Path(path), fileSize);
  }

  @Override
  public Optional<String> getConf(String confKey) {
    return Optional.ofNullable(fs.getConf().get(confKey));
  }

  @Override
  public boolean mkdirs(String path) {
    throw readOnly();
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
  public void copyFileAtomically(String srcPath, String destPath, boolean overwrite) {
    throw readOnly();
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("A shared table is read, never written");
  }
}
