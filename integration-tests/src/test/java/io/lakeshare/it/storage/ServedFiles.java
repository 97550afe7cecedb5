package io.lakeshare.it.storage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.lakeshare.it.fixtures.SparkFixture;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.QueryResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;

/** Queries a {@link CloudTable} through the protocol and fetches what it hands out. */
final class ServedFiles {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private ServedFiles() {}

  /** The file lines of a snapshot query on the table. */
  static List<FileAction> query(CloudTable t) {
    List<FileAction> out = new ArrayList<>();
    try (DeltaSharingClient client = t.client();
        QueryResponse resp =
            client.queryTable(t.ref(), QueryTableRequest.EMPTY, RequestOptions.NONE)) {
      while (resp.hasNext()) {
        ResponseAction a = resp.next();
        if (a instanceof FileAction f) {
          out.add(f);
        }
      }
    }
    return out;
  }

  /** A GET of a URL exactly as written (no re-encoding): status and body. */
  static HttpResponse<byte[]> get(String url) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The table-relative object name a signed URL points at: its path percent-decoded once, after the
   * {@code /<table>/} folder. Both S3 path-style and Azure blob URLs have that shape.
   */
  static String relativeName(String url, String table) {
    String path = URI.create(url).getRawPath();
    String marker = "/" + table + "/";
    int at = path.indexOf(marker);
    if (at < 0) {
      throw new AssertionError("URL path does not hold the table folder: " + url);
    }
    return URLDecoder.decode(
        path.substring(at + marker.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * Active files as delta-spark's own log replay reports them: table-relative object names (the
   * log's URL-encoded paths decoded once) to sizes.
   */
  static Map<String, Long> oracleFiles(CloudTable t) {
    SparkSession spark = SparkFixture.spark();
    DeltaLog log = DeltaLog.forTable(spark, t.oraclePath());
    Snapshot s = log.update(log.update$default$1(), log.update$default$2(), log.update$default$3());
    Map<String, Long> out = new TreeMap<>();
    for (Row r : s.allFiles().toDF().select(col("path"), col("size")).collectAsList()) {
      String name = URLDecoder.decode(r.getString(0).replace("+", "%2B"), StandardCharsets.UTF_8);
      out.put(name, r.getLong(1));
    }
    return out;
  }

  /**
   * The rows of the downloaded Parquet files, with each file's partition values from its file line
   * added back as columns (Parquet files of partitioned tables do not hold them), in the oracle's
   * column order.
   */
  static List<String> rows(Map<FileAction, Path> downloaded, Dataset<Row> oracle) {
    SparkSession spark = SparkFixture.spark();
    Dataset<Row> all = null;
    for (Map.Entry<FileAction, Path> e : downloaded.entrySet()) {
      Dataset<Row> d = spark.read().parquet(e.getValue().toString());
      for (Map.Entry<String, String> pv : e.getKey().partitionValues().entrySet()) {
        d = d.withColumn(pv.getKey(), lit(pv.getValue()));
      }
      d =
          d.select(
              oracle.columns()[0],
              java.util.Arrays.copyOfRange(oracle.columns(), 1, oracle.columns().length));
      all = all == null ? d : all.unionAll(d);
    }
    return all == null ? List.of() : sorted(all);
  }

  static List<String> sorted(Dataset<Row> d) {
    List<String> out = new ArrayList<>();
    for (Row r : d.collectAsList()) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }

  /** Writes each file line's body, fetched through its URL, to {@code dir}. */
  static Map<FileAction, Path> download(List<FileAction> files, Path dir) throws IOException {
    Map<FileAction, Path> out = new java.util.LinkedHashMap<>();
    int i = 0;
    for (FileAction f : files) {
      HttpResponse<byte[]> r = get(f.url());
      if (r.statusCode() != 200) {
        throw new AssertionError(
            "GET of a signed URL answered "
                + r.statusCode()
                + ": "
                + new String(r.body(), StandardCharsets.UTF_8));
      }
      Path p = dir.resolve("f" + (i++) + ".parquet");
      Files.write(p, r.body());
      out.put(f, p);
    }
    return out;
  }
}
