package io.lakeshare.server.delta;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small Delta log written by hand, for tests of the file-list machinery that need many commits or
 * files quickly and no data; the data files are not written.
 */
public final class HandWrittenLog {
  private HandWrittenLog() {}

  /**
   * Writes a Delta table of {@code n} unpartitioned files in {@code commits} commits (each file's
   * size is 100 + its number, its stats its number + 1 records) and gives its URI.
   */
  public static String write(Path table, int n, int commits) throws Exception {
    Path log = Files.createDirectories(table.resolve("_delta_log"));
    String schema =
        "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\","
            + "\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";
    int perCommit = n / commits;
    int file = 0;
    for (int c = 0; c < commits; c++) {
      StringBuilder b = new StringBuilder();
      if (c == 0) {
        b.append("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n");
        b.append("{\"metaData\":{\"id\":\"00000000-0000-4000-8000-000000000f11\",")
            .append("\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"")
            .append(schema)
            .append("\",\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1}}\n");
      }
      for (int i = 0; i < perCommit; i++, file++) {
        b.append("{\"add\":{\"path\":\"part-")
            .append(file)
            .append(".parquet\",\"partitionValues\":{},\"size\":")
            .append(100 + file)
            .append(",\"modificationTime\":1,\"dataChange\":true,\"stats\":")
            .append("\"{\\\"numRecords\\\":")
            .append(file + 1)
            .append("}\"}}\n");
      }
      Files.writeString(
          log.resolve(String.format("%020d.json", c)), b.toString(), StandardCharsets.UTF_8);
    }
    return table.toUri().toString();
  }
}
