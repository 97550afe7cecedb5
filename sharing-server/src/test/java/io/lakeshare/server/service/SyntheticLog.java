package io.lakeshare.server.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a Delta log by hand, one commit file per version with a chosen modification time (Kernel's
 * commit timestamp without in-commit timestamps). Data files are not written: the change answers
 * only list and sign them.
 */
final class SyntheticLog {
  static final long T0 = 1_700_000_000_000L;
  static final String SCHEMA =
      "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\","
          + "\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";
  static final String SCHEMA2 =
      "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\","
          + "\\\"nullable\\\":true,\\\"metadata\\\":{}},{\\\"name\\\":\\\"x\\\",\\\"type\\\":"
          + "\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";

  private final Path root;
  private long next;

  SyntheticLog(Path root) {
    this.root = root;
    try {
      Files.createDirectories(root.resolve("_delta_log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path root() {
    return root;
  }

  /** Version 0: protocol (1, 4) and metadata with the given CDF setting. */
  SyntheticLog create(boolean cdf) {
    return commit(
        commitInfo("CREATE TABLE", null),
        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":4}}",
        metadata(SCHEMA, cdf));
  }

  /** The next version, holding these action lines; its commit time is T0 + version seconds. */
  SyntheticLog commit(String... lines) {
    long v = next++;
    Path f = root.resolve("_delta_log").resolve(String.format("%020d.json", v));
    try {
      Files.writeString(f, String.join("\n", lines) + "\n");
      Files.setLastModifiedTime(f, FileTime.fromMillis(T0 + v * 1000));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  long latest() {
    return next - 1;
  }

  static String metadata(String schema, boolean cdf) {
    return "{\"metaData\":{\"id\":\"tbl-1\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
        + "\"schemaString\":\""
        + schema
        + "\",\"partitionColumns\":[],\"configuration\":{\"delta.enableChangeDataFeed\":\""
        + cdf
        + "\"},\"createdTime\":"
        + T0
        + "}}";
  }

  static String commitInfo(String operation, String metrics) {
    return "{\"commitInfo\":{\"timestamp\":"
        + T0
        + ",\"operation\":\""
        + operation
        + "\""
        + (metrics == null ? "" : ",\"operationMetrics\":" + metrics)
        + "}}";
  }

  static String add(String path, boolean dataChange) {
    return "{\"add\":{\"path\":\""
        + path
        + "\",\"partitionValues\":{},\"size\":100,\"modificationTime\":"
        + T0
        + ",\"dataChange\":"
        + dataChange
        + ",\"stats\":\"{\\\"numRecords\\\":1}\"}}";
  }

  static String addWithDeletionVector(String path) {
    return "{\"add\":{\"path\":\""
        + path
        + "\",\"partitionValues\":{},\"size\":100,\"modificationTime\":"
        + T0
        + ",\"dataChange\":true,\"deletionVector\":{\"storageType\":\"i\","
        + "\"pathOrInlineDv\":\"wi5b=000010000siXQKl0rr91000f\",\"offset\":1,"
        + "\"sizeInBytes\":36,\"cardinality\":1}}}";
  }

  static String remove(String path, boolean dataChange) {
    return "{\"remove\":{\"path\":\""
        + path
        + "\",\"deletionTimestamp\":"
        + T0
        + ",\"dataChange\":"
        + dataChange
        + ",\"extendedFileMetadata\":true,\"partitionValues\":{},\"size\":100}}";
  }

  static String cdc(String path) {
    return "{\"cdc\":{\"path\":\"_change_data/"
        + path
        + "\",\"partitionValues\":{},\"size\":50,\"dataChange\":false}}";
  }

  /** One commit adding {@code n} files named {@code prefix-i.parquet}. */
  static String[] adds(String prefix, int n) {
    List<String> lines = new ArrayList<>();
    lines.add(commitInfo("WRITE", null));
    for (int i = 0; i < n; i++) {
      lines.add(add(prefix + "-" + i + ".parquet", true));
    }
    return lines.toArray(String[]::new);
  }
}
