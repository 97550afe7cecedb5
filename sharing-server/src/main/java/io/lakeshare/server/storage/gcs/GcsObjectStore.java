package io.lakeshare.server.storage.gcs;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.ObjectInfo;
import io.lakeshare.server.storage.ObjectStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Reads Delta logs from Cloud Storage through the JSON API of one {@link Storage} client. */
final class GcsObjectStore implements ObjectStore {
  /** Bytes fetched per request while reading; Delta commits are small, checkpoints seek. */
  private static final int CHUNK = 1 << 20;

  private final Storage storage;
  private final GcsErrors errors;

  /** Folders seen holding objects, so an empty listing there is "nothing new", not "no table". */
  private final Set<String> knownFolders = ConcurrentHashMap.newKeySet();

  GcsObjectStore(Storage storage, GcsErrors errors) {
    this.storage = storage;
    this.errors = errors;
  }

  @Override
  public List<ObjectInfo> listFrom(String location) throws IOException {
    BlobPath p = BlobPath.parse(location);
    String prefix = p.folderPrefix();
    List<ObjectInfo> out = new ArrayList<>();
    try {
      List<Storage.BlobListOption> options = new ArrayList<>();
      options.add(Storage.BlobListOption.prefix(prefix));
      options.add(Storage.BlobListOption.currentDirectory());
      if (p.key().length() > prefix.length()) {
        options.add(Storage.BlobListOption.startOffset(p.key()));
      }
      for (Blob b :
          storage
              .list(p.authority(), options.toArray(new Storage.BlobListOption[0]))
              .iterateAll()) {
        // Skips "directories" and, should a store ignore startOffset, earlier names.
        if (b.isDirectory() || b.getName().compareTo(p.key()) < 0) {
          continue;
        }
        out.add(new ObjectInfo(p.withKey(b.getName()).uri(), b.getSize(), modified(b)));
      }
    } catch (StorageException e) {
      throw errors.translate(e, p, "list");
    }
    out.sort(Comparator.comparing(ObjectInfo::location));
    String folder = p.withKey(prefix).uri();
    if (!out.isEmpty()) {
      knownFolders.add(folder);
    } else if (!knownFolders.contains(folder) && isEmptyFolder(p.withKey(prefix))) {
      throw new FileNotFoundException("No objects under " + folder);
    }
    return out;
  }

  @Override
  public List<ObjectInfo> listAll(String folder) throws IOException {
    BlobPath p = BlobPath.parse(folder);
    List<ObjectInfo> out = new ArrayList<>();
    try {
      for (Blob b :
          storage.list(p.authority(), Storage.BlobListOption.prefix(p.key())).iterateAll()) {
        if (!b.isDirectory()) {
          out.add(new ObjectInfo(p.withKey(b.getName()).uri(), b.getSize(), modified(b)));
        }
      }
    } catch (StorageException e) {
      throw errors.translate(e, p, "list");
    }
    return out;
  }

  private boolean isEmptyFolder(BlobPath folder) throws IOException {
    try {
      boolean empty =
          !storage
              .list(
                  folder.authority(),
                  Storage.BlobListOption.prefix(folder.key()),
                  Storage.BlobListOption.pageSize(1))
              .getValues()
              .iterator()
              .hasNext();
      if (!empty) {
        knownFolders.add(folder.uri());
      }
      return empty;
    } catch (StorageException e) {
      throw errors.translate(e, folder, "list");
    }
  }

  @Override
  public ObjectInfo stat(String location) throws IOException {
    BlobPath p = BlobPath.parse(location);
    Blob b;
    try {
      b = storage.get(BlobId.of(p.authority(), p.key()));
    } catch (StorageException e) {
      throw errors.translate(e, p, "read");
    }
    if (b == null) {
      throw new FileNotFoundException("No object " + location);
    }
    return new ObjectInfo(location, b.getSize(), modified(b));
  }

  @Override
  public InputStream open(String location, long offset) throws IOException {
    BlobPath p = BlobPath.parse(location);
    ReadChannel channel;
    try {
      channel = storage.reader(BlobId.of(p.authority(), p.key()));
      channel.setChunkSize(CHUNK);
      if (offset > 0) {
        channel.seek(offset);
      }
    } catch (StorageException e) {
      throw errors.translate(e, p, "read");
    }
    return new ChannelStream(channel, p);
  }

  private static long modified(Blob b) {
    OffsetDateTime t = b.getUpdateTimeOffsetDateTime();
    return t == null ? 0L : t.toInstant().toEpochMilli();
  }

  /**
   * An input stream over a read channel that reports a missing object or a refusal, which the
   * channel only discovers on the first read, with {@link GcsErrors}' messages.
   */
  private final class ChannelStream extends InputStream {
    private final ReadChannel channel;
    private final BlobPath path;

    ChannelStream(ReadChannel channel, BlobPath path) {
      this.channel = channel;
      this.path = path;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      try {
        int n;
        do {
          n = channel.read(ByteBuffer.wrap(buf, off, len));
        } while (n == 0);
        return n;
      } catch (StorageException e) {
        throw errors.translate(e, path, "read");
      } catch (IOException e) {
        if (e.getCause() instanceof StorageException s) {
          throw errors.translate(s, path, "read");
        }
        throw e;
      }
    }

    @Override
    public void close() {
      channel.close();
    }
  }
}
