package io.lakeshare.spark.read;

import java.io.IOException;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileSystem;

/** Reports bytes read to the file system statistics, which Spark shows as the scan's input size. */
final class CountingInputStream extends FSInputStream {
  private final FSInputStream in;
  private final FileSystem.Statistics stats;

  CountingInputStream(FSInputStream in, FileSystem.Statistics stats) {
    this.in = in;
    this.stats = stats;
  }

  private int count(int n) {
    if (n > 0 && stats != null) {
      stats.incrementBytesRead(n);
    }
    return n;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return count(in.read(b, off, len));
  }

  @Override
  public int read(long position, byte[] buffer, int offset, int length) throws IOException {
    return count(in.read(position, buffer, offset, length));
  }

  @Override
  public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
    in.readFully(position, buffer, offset, length);
    count(length);
  }

  @Override
  public void seek(long pos) throws IOException {
    in.seek(pos);
  }

  @Override
  public long getPos() throws IOException {
    return in.getPos();
  }

  @Override
  public boolean seekToNewSource(long targetPos) throws IOException {
    return false;
  }

  @Override
  public int available() throws IOException {
    return in.available();
  }

  @Override
  public long skip(long n) throws IOException {
    return in.skip(n);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
