package io.lakeshare.spark.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * A read-only Hadoop file system for {@code gs://} that reads one bucket through the Cloud Storage
 * JSON API with an OAuth access token: the downscoped token a Delta Sharing server vends for a
 * table's directory. The connector opens one for each directory-access read of a GCS table (never
 * through Hadoop's shared cache), so a GCS Hadoop connector elsewhere on the classpath, and its
 * credentials, are neither needed nor touched.
 *
 * <p>Settings: {@value #TOKEN_PREFIX}{@code <bucket>.oauth.token} (the token) and {@code
 * ...oauth.token.expires} (its expiry, epoch ms), and {@value #ROOT_URL} (the API root, as the GCS
 * Hadoop connector names it; default {@value #GOOGLE_ROOT}). Data is read with ranged media
 * downloads through the connector's pooled HTTP client, with its retries.
 */
public final class GcsDirectoryFileSystem extends ReadOnlyFileSystem {
  /** Prefix of the per-bucket token settings. */
  public static final String TOKEN_PREFIX = "fs.lakeshare.gs.bucket.";

  /** The API root setting (the GCS Hadoop connector's name for it). */
  public static final String ROOT_URL = "fs.gs.storage.root.url";

  static final String GOOGLE_ROOT = "https://storage.googleapis.com";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long BLOCK_SIZE = 64L * 1024 * 1024;
  private static final int MAX_CONNECTIONS = 64;
  private static final long TIMEOUT_MS = 120_000;
  private static final int ATTEMPTS = 4;

  private URI uri;
  private String bucket;
  private String apiRoot;
  private String token;
  private long expiresAtMillis;
  private Path workingDirectory;
  private CloseableHttpClient client;

  /** The setting that holds the token for {@code bucket}. */
  public static String tokenKey(String bucket) {
    return TOKEN_PREFIX + bucket + ".oauth.token";
  }

  /** The setting that holds the token's expiry (epoch ms) for {@code bucket}. */
  public static String expiryKey(String bucket) {
    return tokenKey(bucket) + ".expires";
  }

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setConf(conf);
    bucket = name.getAuthority();
    if (bucket == null || bucket.isEmpty()) {
      throw new IOException("A gs:// path names no bucket: " + name);
    }
    uri = URI.create("gs://" + bucket);
    token = conf.get(tokenKey(bucket));
    if (token == null || token.isEmpty()) {
      throw new IOException(
          "No access token for gs://"
              + bucket
              + " ("
              + tokenKey(bucket)
              + "): this read-only file system serves Delta Sharing directory reads only");
    }
    expiresAtMillis = conf.getLong(expiryKey(bucket), Long.MAX_VALUE);
    String root = conf.getTrimmed(ROOT_URL, GOOGLE_ROOT);
    while (root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    apiRoot = root;
    workingDirectory = new Path(uri.toString() + "/");
    client = ReaderHttp.client(HttpReadSettings.DEFAULTS, MAX_CONNECTIONS, TIMEOUT_MS);
  }

  @Override
  public String getScheme() {
    return "gs";
  }

  @Override
  public URI getUri() {
    return uri;
  }

  /** The object name of a path of this bucket, without a leading slash ("" for the bucket). */
  private String objectName(Path p) throws FileNotFoundException {
    URI u = makeQualified(p).toUri();
    if (!"gs".equalsIgnoreCase(u.getScheme()) || !bucket.equals(u.getAuthority())) {
      throw new FileNotFoundException(p + " is not in gs://" + bucket);
    }
    String name = u.getPath() == null ? "" : u.getPath();
    while (name.startsWith("/")) {
      name = name.substring(1);
    }
    return name;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private String objectUrl(String name) {
    return apiRoot + "/storage/v1/b/" + encode(bucket) + "/o/" + encode(name);
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    String name = objectName(f);
    FileStatus status = getFileStatus(f);
    if (status.isDirectory()) {
      throw new FileNotFoundException(f + " is a directory");
    }
    String display = "gs://" + bucket + "/" + name;
    FileUrl media = new FileUrl(objectUrl(name) + "?alt=media", expiresAtMillis, token);
    UrlSource source =
        new UrlSource() {
          @Override
          public FileUrl current() {
            return media;
          }

          @Override
          public FileUrl refresh(FileUrl failed, int status) throws IOException {
            throw new AccessDeniedException(
                display,
                null,
                "Cloud Storage refused the directory's access token (HTTP "
                    + status
                    + "): it expired or does not cover this object");
          }
        };
    HttpRangeInputStream in =
        new HttpRangeInputStream(
            client, source, status.getLen(), HttpReadSettings.DEFAULTS, display);
    return new FSDataInputStream(new CountingInputStream(in, statistics));
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    String name = objectName(f);
    Path qualified = makeQualified(f);
    if (name.isEmpty()) {
      return directory(qualified);
    }
    JsonNode object = getJson(objectUrl(name) + "?fields=name,size,updated", f);
    if (object != null) {
      return file(object, qualified);
    }
    JsonNode children =
        getJson(listUrl(name + "/", null) + "&maxResults=1&fields=items(name),prefixes", qualified);
    if (children != null
        && (children.path("items").size() > 0 || children.path("prefixes").size() > 0)) {
      return directory(qualified);
    }
    throw new FileNotFoundException("No such file or directory: " + qualified);
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    String name = objectName(f);
    Path qualified = makeQualified(f);
    String prefix = name.isEmpty() ? "" : name + "/";
    List<FileStatus> out = new ArrayList<>();
    String page = null;
    do {
      JsonNode answer =
          getJson(
              listUrl(prefix, page) + "&fields=items(name,size,updated),prefixes,nextPageToken",
              qualified);
      if (answer == null) {
        throw new FileNotFoundException("No such bucket: gs://" + bucket);
      }
      for (JsonNode item : answer.path("items")) {
        if (!item.path("name").asText().equals(prefix)) { // a folder placeholder object
          out.add(file(item, null));
        }
      }
      for (JsonNode p : answer.path("prefixes")) {
        out.add(directory(child(p.asText())));
      }
      page = answer.hasNonNull("nextPageToken") ? answer.get("nextPageToken").asText() : null;
    } while (page != null);
    if (out.isEmpty() && !name.isEmpty()) {
      FileStatus self = getFileStatus(f); // throws when there is nothing at all
      return self.isFile() ? new FileStatus[] {self} : new FileStatus[0];
    }
    return out.toArray(new FileStatus[0]);
  }

  private String listUrl(String prefix, String pageToken) {
    String url =
        apiRoot + "/storage/v1/b/" + encode(bucket) + "/o?delimiter=%2F&prefix=" + encode(prefix);
    return pageToken == null ? url : url + "&pageToken=" + encode(pageToken);
  }

  /** The path of an object or of a listed prefix (whose trailing slash is dropped). */
  private Path child(String objectName) {
    String n =
        objectName.endsWith("/") ? objectName.substring(0, objectName.length() - 1) : objectName;
    return new Path(uri.toString() + "/" + n);
  }

  private FileStatus file(JsonNode object, Path path) throws IOException {
    Path p = path != null ? path : child(object.path("name").asText());
    long size;
    try {
      size = Long.parseLong(object.path("size").asText());
    } catch (NumberFormatException e) {
      throw new IOException("Cloud Storage answered no size for " + p);
    }
    long updated = 0;
    if (object.hasNonNull("updated")) {
      try {
        updated = Instant.parse(object.get("updated").asText()).toEpochMilli();
      } catch (DateTimeParseException e) {
        updated = 0;
      }
    }
    return new FileStatus(size, false, 1, BLOCK_SIZE, updated, p);
  }

  private static FileStatus directory(Path p) {
    return new FileStatus(0, true, 1, 0, 0, p);
  }

  /**
   * The JSON body of a GET, or null on 404. Refusals name the path and status (never the token);
   * 429 and 5xx answers and failed connections are retried a few times with backoff.
   */
  private JsonNode getJson(String url, Path about) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) {
        try {
          Thread.sleep(200L << attempt);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("Interrupted while reading " + about);
        }
      }
      HttpGet get = new HttpGet(url);
      get.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
      int status;
      String body;
      try (ClassicHttpResponse r = client.executeOpen(null, get, null)) {
        status = r.getCode();
        body = r.getEntity() == null ? "" : EntityUtils.toString(r.getEntity());
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException | org.apache.hc.core5.http.ParseException e) {
        last = new IOException("Cannot read " + about + " from Cloud Storage: " + e, e);
        continue;
      }
      if (status == 200) {
        return JSON.readTree(body);
      }
      if (status == 404) {
        return null;
      }
      String message = errorMessage(body);
      String detail = "HTTP " + status + (message.isEmpty() ? "" : ": " + message);
      if (status == 401 || status == 403) {
        throw new AccessDeniedException(
            about.toString(),
            null,
            "Cloud Storage refused the directory's access token (" + detail + ")");
      }
      last = new IOException("Cloud Storage answered " + detail + " for " + about);
      if (status != 429 && status < 500) {
        throw last;
      }
    }
    throw last;
  }

  private static String errorMessage(String body) {
    try {
      String m = JSON.readTree(body).path("error").path("message").asText("");
      return m.length() > 300 ? m.substring(0, 300) : m;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  @Override
  protected IOException readOnly(Path p) {
    return new IOException(
        "gs://"
            + bucket
            + " is read through a Delta Sharing directory credential: read-only, "
            + p);
  }

  @Override
  public void setWorkingDirectory(Path newDir) {
    workingDirectory = makeQualified(newDir);
  }

  @Override
  public Path getWorkingDirectory() {
    return workingDirectory;
  }
}
