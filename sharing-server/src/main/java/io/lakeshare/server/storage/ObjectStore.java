package io.lakeshare.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Read-only access to one object store account with one credential: what the server needs to replay
 * a Delta log there. Locations are full URIs ({@code s3://bucket/key}, {@code
 * abfss://container@account.dfs.core.windows.net/path}, {@code gs://bucket/key}) with keys taken
 * literally, as Delta Kernel produces them. Implementations are thread-safe.
 */
public interface ObjectStore {

  /**
   * The objects directly inside the folder of {@code location} whose names sort at or after the
   * name of {@code location}, in ascending order (Kernel's {@code listFrom}).
   *
   * @throws java.io.FileNotFoundException when the folder holds no such object
   * @throws StorageAccessException when the store refuses access or the bucket is missing
   */
  List<ObjectInfo> listFrom(String location) throws IOException;

  /**
   * Every object whose location starts with {@code folder} (which ends with {@code /}), at any
   * depth, in any order (Parquet tables are listings of their directory tree).
   *
   * @throws StorageAccessException when the store refuses access or the bucket is missing
   */
  List<ObjectInfo> listAll(String folder) throws IOException;

  /**
   * Size and modification time of one object.
   *
   * @throws java.io.FileNotFoundException when it does not exist
   */
  ObjectInfo stat(String location) throws IOException;

  /** Reads the object from byte {@code offset} to its end. */
  InputStream open(String location, long offset) throws IOException;
}
