package io.lakeshare.server.parquet;

import io.lakeshare.server.delta.ObjectStoreFileIO;
import io.lakeshare.server.storage.ObjectInfo;
import io.lakeshare.server.storage.ObjectStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Lists every file under a Parquet table's root and opens files for footer reads, on local disk,
 * through an {@link ObjectStore} (S3, Azure, GCS) or through a Hadoop file system.
 */
public interface ParquetFiles {

  /**
   * One file under the root.
   *
   * @param location the absolute location in the form the signers accept ({@code file:/abs/path}
   *     unencoded on local disk, the store's URI for cloud objects)
   * @param relativePath the path under the root, {@code /}-separated, as the names are written
   */
  record Listed(String location, String relativePath, long size, long modificationTime) {}

  /**
   * Every file under {@code root} (a normalized location), recursively, in any order.
   *
   * @throws FileNotFoundException when the root does not exist or holds nothing
   */
  List<Listed> listAll(String root) throws IOException;

  /** The file for Parquet's footer reader. */
  InputFile open(Listed file) throws IOException;

  /** Files on local disk ({@code file:} roots). */
  static ParquetFiles local() {
    return new Local();
  }

  /** Objects of a cloud store. */
  static ParquetFiles of(ObjectStore store) {
    return new Objects(store);
  }

  /** Files of a Hadoop file system (any other scheme). */
  static ParquetFiles hadoop(Configuration conf) {
    return new Hadoop(conf);
  }

  /** Local files, walked with NIO. */
  final class Local implements ParquetFiles {
    @Override
    public List<Listed> listAll(String root) throws IOException {
      Path dir = Path.of(URI.create(root));
      if (!Files.isDirectory(dir)) {
        throw new FileNotFoundException("no directory at the table's location");
      }
      List<Listed> out = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.forEach(
            p -> {
              try {
                BasicFileAttributes a =
                    Files.readAttributes(
                        p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile()) {
                  String rel = dir.relativize(p).toString().replace('\\', '/');
                  out.add(
                      new Listed(
                          "file:" + p.toAbsolutePath(),
                          rel,
                          a.size(),
                          a.lastModifiedTime().toMillis()));
                }
              } catch (NoSuchFileException e) {
                // removed while listing: not part of this snapshot
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      return out;
    }

    @Override
    public InputFile open(Listed file) {
      Path p = Path.of(file.location().substring("file:".length()));
      // the listed size: the footer is found from the length the listing answered (no stat)
      return new org.apache.parquet.io.LocalInputFile(p) {
        @Override
        public long getLength() {
          return file.size();
        }
      };
    }
  }

  /** Cloud objects: one recursive listing, ranged reads for footers. */
  final class Objects implements ParquetFiles {
    private final ObjectStore store;

    Objects(ObjectStore store) {
      this.store = store;
    }

    @Override
    public List<Listed> listAll(String root) throws IOException {
      String prefix = root.endsWith("/") ? root : root + "/";
      List<Listed> out = new ArrayList<>();
      for (ObjectInfo o : store.listAll(prefix)) {
        if (o.location().startsWith(prefix) && o.location().length() > prefix.length()) {
          String rel = o.location().substring(prefix.length());
          if (!rel.endsWith("/")) {
            out.add(new Listed(o.location(), rel, o.size(), o.modificationTime()));
          }
        }
      }
      if (out.isEmpty()) {
        throw new FileNotFoundException("no objects under the table's location");
      }
      return out;
    }

    @Override
    public InputFile open(Listed file) {
      return new InputFile() {
        @Override
        public long getLength() {
          return file.size();
        }

        @Override
        public SeekableInputStream newStream() {
          ObjectStoreFileIO.RangeStream in =
              new ObjectStoreFileIO.RangeStream(store, file.location());
          return new org.apache.parquet.io.DelegatingSeekableInputStream(in) {
            @Override
            public long getPos() {
              return in.getPos();
            }

            @Override
            public void seek(long newPos) throws IOException {
              in.seek(newPos);
            }
          };
        }
      };
    }
  }

  /** Any Hadoop file system. */
  final class Hadoop implements ParquetFiles {
    private final Configuration conf;

    Hadoop(Configuration conf) {
      this.conf = conf;
    }

    @Override
    public List<Listed> listAll(String root) throws IOException {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(root);
      FileSystem fs = dir.getFileSystem(conf);
      String prefix = fs.makeQualified(dir).toString();
      prefix = prefix.endsWith("/") ? prefix : prefix + "/";
      List<Listed> out = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
      while (it.hasNext()) {
        LocatedFileStatus s = it.next();
        String loc = s.getPath().toString();
        if (loc.startsWith(prefix)) {
          out.add(
              new Listed(loc, loc.substring(prefix.length()), s.getLen(), s.getModificationTime()));
        }
      }
      return out;
    }

    @Override
    public InputFile open(Listed file) throws IOException {
      return HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.location()), conf);
    }
  }
}
