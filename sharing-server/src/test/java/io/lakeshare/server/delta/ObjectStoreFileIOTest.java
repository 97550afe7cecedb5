package io.lakeshare.server.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.ObjectInfo;
import io.lakeshare.server.storage.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ObjectStoreFileIOTest {

  /** An in-memory store that counts ranged opens. */
  static final class MemoryStore implements ObjectStore {
    final Map<String, byte[]> objects = new TreeMap<>();
    final List<Long> opens = new ArrayList<>();

    @Override
    public List<ObjectInfo> listFrom(String location) throws FileNotFoundException {
      BlobPath p = BlobPath.parse(location);
      String folder = p.withKey(p.folderPrefix()).uri();
      List<ObjectInfo> out = new ArrayList<>();
      for (Map.Entry<String, byte[]> e : objects.entrySet()) {
        String rest = e.getKey().startsWith(folder) ? e.getKey().substring(folder.length()) : null;
        if (rest != null && !rest.contains("/") && e.getKey().compareTo(location) >= 0) {
          out.add(new ObjectInfo(e.getKey(), e.getValue().length, 7L));
        }
      }
      return out;
    }

    @Override
    public List<ObjectInfo> listAll(String folder) {
      List<ObjectInfo> out = new ArrayList<>();
      objects.forEach(
          (k, v) -> {
            if (k.startsWith(folder)) {
              out.add(new ObjectInfo(k, v.length, 7L));
            }
          });
      return out;
    }

    @Override
    public ObjectInfo stat(String location) throws FileNotFoundException {
      byte[] b = objects.get(location);
      if (b == null) {
        throw new FileNotFoundException(location);
      }
      return new ObjectInfo(location, b.length, 7L);
    }

    @Override
    public InputStream open(String location, long offset) {
      opens.add(offset);
      byte[] b = objects.get(location);
      return new ByteArrayInputStream(b, (int) offset, b.length - (int) offset);
    }
  }

  @Test
  void listsOnlyTheFolderFromTheGivenName() throws Exception {
    MemoryStore store = new MemoryStore();
    for (String k : new String[] {"0.json", "1.json", "2.checkpoint.parquet", "_commits/9.json"}) {
      store.objects.put("s3://b/t/_delta_log/" + k, new byte[3]);
    }
    List<String> names = new ArrayList<>();
    try (CloseableIterator<FileStatus> it =
        new ObjectStoreFileIO(store).listFrom("s3://b/t/_delta_log/1")) {
      it.forEachRemaining(f -> names.add(f.getPath()));
    }
    assertThat(names)
        .containsExactly("s3://b/t/_delta_log/1.json", "s3://b/t/_delta_log/2.checkpoint.parquet");
  }

  @Test
  void seeksOpenOneRangedReadAtTheNewPositionAndReadFullyFailsPastTheEnd() throws Exception {
    MemoryStore store = new MemoryStore();
    byte[] data = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    store.objects.put("gs://b/f", data);
    try (SeekableInputStream in =
        new ObjectStoreFileIO(store).newInputFile("gs://b/f", 16).newStream()) {
      byte[] buf = new byte[4];
      in.seek(12);
      in.readFully(buf, 0, 4);
      assertThat(new String(buf, StandardCharsets.US_ASCII)).isEqualTo("cdef");
      in.seek(2);
      in.readFully(buf, 0, 2);
      in.readFully(buf, 2, 2);
      assertThat(new String(buf, StandardCharsets.US_ASCII)).isEqualTo("2345");
      assertThat(in.getPos()).isEqualTo(6);
      in.seek(6); // same position: keeps the open read
      assertThat(in.read()).isEqualTo('6');
      in.seek(14);
      assertThatThrownBy(() -> in.readFully(buf, 0, 4)).isInstanceOf(EOFException.class);
    }
    assertThat(store.opens).containsExactly(12L, 2L, 14L);
  }

  @Test
  void refusesEveryWrite() {
    ObjectStoreFileIO io = new ObjectStoreFileIO(new MemoryStore());
    assertThatThrownBy(() -> io.newOutputFile("s3://b/x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> io.delete("s3://b/x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
