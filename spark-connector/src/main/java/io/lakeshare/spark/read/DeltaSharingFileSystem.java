package io.lakeshare.spark.read;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Read-only Hadoop file system over the files of registered scans ({@code lakeshare://} paths, see
 * {@link SharingPaths}): Spark's own Parquet reader opens them like local files while the bytes
 * come from pre-signed URLs over HTTP range requests.
 */
public final class DeltaSharingFileSystem extends ReadOnlyFileSystem {
  /** Hadoop conf key: most pooled connections for data reads. */
  public static final String CONF_MAX_CONNECTIONS = "lakeshare.read.maxConnections";

  /** Hadoop conf key: socket timeout of data reads in milliseconds. */
  public static final String CONF_TIMEOUT_MS = "lakeshare.read.timeoutMs";

  private URI uri;
  private int maxConnections = 64;
  private long timeoutMs = 320_000;

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    uri = URI.create(SharingPaths.SCHEME + "://" + name.getAuthority());
    maxConnections = conf.getInt(CONF_MAX_CONNECTIONS, maxConnections);
    timeoutMs = conf.getLong(CONF_TIMEOUT_MS, timeoutMs);
  }

  @Override
  public String getScheme() {
    return SharingPaths.SCHEME;
  }

  @Override
  public URI getUri() {
    return uri;
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    SharingPaths.Parsed p = SharingPaths.parse(f);
    TableUrls t = UrlRegistry.get().lookup(p.scanKey());
    if (t == null) {
      throw new FileNotFoundException(
          "No Delta Sharing scan " + p.scanKey() + " is registered in this JVM for " + f);
    }
    t.touch(); // in use: the registry keeps it while tasks read it
    FileUrl u = t.sourceFor(p.fileId()).current();
    if (DirectReads.isDirect(u.url())) {
      // counted in the statistics of the scoped file system's own scheme
      return DirectReads.open(t, p.fileId(), u.url());
    }
    HttpRangeInputStream in =
        new HttpRangeInputStream(
            ReaderHttp.client(t.settings(), maxConnections, timeoutMs),
            t.sourceFor(p.fileId()),
            p.size(),
            t.settings(),
            "file " + p.fileId() + " of table " + t.tableName());
    return new FSDataInputStream(new CountingInputStream(in, statistics));
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    SharingPaths.Parsed p = SharingPaths.parse(f);
    return new FileStatus(p.size(), false, 1, Math.max(p.size(), 1), 0, f);
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    return new FileStatus[] {getFileStatus(f)};
  }

  @Override
  public void setWorkingDirectory(Path newDir) {}

  @Override
  public Path getWorkingDirectory() {
    return new Path(uri);
  }

  @Override
  protected IOException readOnly(Path path) {
    return new IOException("Delta Sharing files are read-only: " + path);
  }
}
