package io.lakeshare.spark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.profile.Profile;
import io.lakeshare.protocol.profile.ProfileException;
import io.lakeshare.protocol.profile.ProfileParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where a shared table is: the profile (read from a file, a Hadoop path, an http(s) URL, or given
 * as options) and the table's coordinates.
 *
 * @param profileSource how the profile was found, for messages (never the secret)
 */
record TableLocation(String profileSource, Profile profile, TableRef table) {

  private static final int MAX_PROFILE_BYTES = 1 << 20;
  private static final List<String> PROFILE_OPTIONS =
      List.of(
          DeltaSharingOptions.SHARE_CREDENTIALS_VERSION,
          DeltaSharingOptions.ENDPOINT,
          DeltaSharingOptions.BEARER_TOKEN);

  /** The table name for messages: {@code share.schema.table}. */
  String tableName() {
    return table.toString();
  }

  /**
   * Resolves {@code path} (the load path or the {@code path} option) with {@code options}.
   *
   * @throws IllegalArgumentException with a message naming the path and the fix
   */
  static TableLocation resolve(
      String path, Map<String, String> options, Configuration hadoopConf, Clock clock) {
    if (path == null || path.isBlank()) {
      throw ConnectorErrors.missingPath();
    }
    TableLocation loc;
    if (PROFILE_OPTIONS.stream().anyMatch(k -> get(options, k) != null)) {
      loc =
          new TableLocation(
              "given as options", profileFromOptions(options), parseTable(path, path));
    } else {
      String p = path.contains("#") ? path : path.replace("%23", "#");
      int hash = p.lastIndexOf('#');
      if (hash < 0) {
        throw ConnectorErrors.malformedPath(path, "it has no '#' between profile and table");
      }
      String profilePath = p.substring(0, hash);
      if (profilePath.isBlank()) {
        throw ConnectorErrors.malformedPath(path, "the profile part before '#' is empty");
      }
      TableRef ref = parseTable(p.substring(hash + 1), path);
      loc = new TableLocation(profilePath, readProfile(profilePath, hadoopConf), ref);
    }
    if (loc.profile.isExpired(clock)) {
      throw ConnectorErrors.profileExpired(loc.profileSource, loc.profile.expirationTime());
    }
    return loc;
  }

  private static TableRef parseTable(String coordinates, String path) {
    try {
      return TableRef.parse(coordinates);
    } catch (IllegalArgumentException e) {
      throw ConnectorErrors.malformedPath(
          path, "'" + coordinates + "' is not <share>.<schema>.<table>");
    }
  }

  private static String get(Map<String, String> options, String key) {
    return ReadOptions.get(options, key);
  }

  private static Profile profileFromOptions(Map<String, String> options) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.writeStartObject();
      String version = get(options, DeltaSharingOptions.SHARE_CREDENTIALS_VERSION);
      if (version != null) {
        try {
          g.writeNumberField("shareCredentialsVersion", Integer.parseInt(version.trim()));
        } catch (NumberFormatException e) {
          throw ConnectorErrors.profileInvalid(
              "given as options", "shareCredentialsVersion='" + version + "' is not an integer", e);
        }
      } else {
        g.writeNumberField("shareCredentialsVersion", 1);
      }
      for (String key :
          List.of(
              DeltaSharingOptions.PROFILE_TYPE,
              DeltaSharingOptions.ENDPOINT,
              DeltaSharingOptions.BEARER_TOKEN,
              DeltaSharingOptions.EXPIRATION_TIME,
              DeltaSharingOptions.TOKEN_ENDPOINT,
              DeltaSharingOptions.CLIENT_ID,
              DeltaSharingOptions.CLIENT_SECRET,
              DeltaSharingOptions.SCOPE)) {
        String v = get(options, key);
        if (v != null) {
          g.writeStringField(key, v);
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return ProfileParser.parse(out.toString(), "given as options");
    } catch (ProfileException e) {
      throw ConnectorErrors.profileInvalid("given as options", e.getMessage(), e);
    }
  }

  static Profile readProfile(String location, Configuration hadoopConf) {
    byte[] bytes;
    try {
      String lower = location.toLowerCase(Locale.ROOT);
      bytes =
          lower.startsWith("http://") || lower.startsWith("https://")
              ? fetch(location)
              : readHadoop(location, hadoopConf);
    } catch (IOException | RuntimeException e) {
      throw ConnectorErrors.profileUnreadable(location, e);
    }
    try {
      return ProfileParser.parse(new String(bytes, StandardCharsets.UTF_8), location);
    } catch (ProfileException e) {
      throw ConnectorErrors.profileInvalid(location, e.getMessage(), e);
    }
  }

  private static byte[] readHadoop(String location, Configuration conf) throws IOException {
    Path p = toHadoopPath(location);
    FileSystem fs = p.getFileSystem(conf);
    try (InputStream in = fs.open(p)) {
      return readBounded(in);
    }
  }

  /**
   * A URI with a scheme (file:, s3a:, abfss:, ...) is decoded as a URI; anything else is a path.
   */
  private static Path toHadoopPath(String location) {
    int colon = location.indexOf(':');
    if (colon > 1) {
      try {
        return new Path(new URI(location));
      } catch (java.net.URISyntaxException e) {
        // not a valid URI: read it as a plain path
      }
    }
    return new Path(location);
  }

  private static byte[] fetch(String url) throws IOException {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build();
    try {
      HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = resp.body()) {
        if (resp.statusCode() != 200) {
          throw new IOException("HTTP " + resp.statusCode());
        }
        return readBounded(in);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      out.write(buf, 0, n);
      if (out.size() > MAX_PROFILE_BYTES) {
        throw new IOException("larger than 1 MiB; a profile file is a small JSON object");
      }
    }
    return out.toByteArray();
  }
}
