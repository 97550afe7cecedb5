package io.lakeshare.it.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Plain HTTP against the test server, for assertions on exact status codes, headers and bodies that
 * a client library would hide.
 */
public final class RawHttp {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String endpoint;
  private final String token;

  RawHttp(String endpoint, String token) {
    this.endpoint = endpoint;
    this.token = token;
  }

  /** A response with the body as text and the body split into NDJSON lines. */
  public record Answer(int status, HttpResponse<String> response) {
    public String body() {
      return response.body();
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    public List<String> lines() {
      return Arrays.stream(body().split("\n")).filter(l -> !l.isEmpty()).toList();
    }
  }

  public Answer get(String path, String... headers) {
    return send(builder(path, headers).GET());
  }

  public Answer head(String path, String... headers) {
    return send(builder(path, headers).method("HEAD", HttpRequest.BodyPublishers.noBody()));
  }

  public Answer post(String path, String body, String... headers) {
    HttpRequest.Builder b = builder(path, headers);
    b.header("Content-Type", "application/json; charset=utf-8");
    return send(b.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  public Answer query(String table, String body, String... headers) {
    return post("/shares/s1/schemas/default/tables/" + table + "/query", body, headers);
  }

  /** Sends without the default bearer token; headers are name, value pairs. */
  public Answer getWithoutToken(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + path));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.GET());
  }

  /** GET of an absolute URL (e.g. a signed file URL), without the bearer token. */
  public static HttpResponse<byte[]> fetch(String url, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder builder(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + path));
    b.header("Authorization", "Bearer " + token);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private static Answer send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
