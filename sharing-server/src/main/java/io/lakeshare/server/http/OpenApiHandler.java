package io.lakeshare.server.http;

import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.ErrorResponse;
import io.lakeshare.protocol.model.ProtocolConstants;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the server's OpenAPI description at {@code {endpoint}/openapi.yaml}, without
 * authentication (it holds no secrets). The document's {@code servers[0].url} is rewritten to the
 * configured endpoint prefix, so that it resolves against the host that served it. Other paths are
 * left to the next handler.
 */
public final class OpenApiHandler extends Handler.Abstract {
  /** Classpath location of the document. */
  public static final String RESOURCE = "/io/lakeshare/server/openapi.yaml";

  /** The path below the endpoint prefix. */
  public static final String PATH = "/openapi.yaml";

  static final String CONTENT_TYPE = "application/yaml";

  /** The one line of the resource naming the default prefix as the server URL. */
  private static final String SERVER_LINE =
      "\n  - url: " + ProtocolConstants.DEFAULT_ENDPOINT_PREFIX + "\n";

  private final String path;
  private final byte[] document;

  /**
   * @param endpoint the endpoint prefix, e.g. {@code /delta-sharing} ({@code ""} for the root)
   */
  public OpenApiHandler(String endpoint) {
    this.path = endpoint + PATH;
    this.document = render(endpoint).getBytes(StandardCharsets.UTF_8);
  }

  /** The document as served under {@code endpoint}. */
  static String render(String endpoint) {
    String yaml = load();
    int at = yaml.indexOf(SERVER_LINE);
    if (at < 0) {
      throw new IllegalStateException(RESOURCE + " does not name " + SERVER_LINE.strip());
    }
    String url = endpoint.isEmpty() ? "/" : endpoint;
    return yaml.substring(0, at)
        + "\n  - url: "
        + quoted(url)
        + "\n"
        + yaml.substring(at + SERVER_LINE.length());
  }

  private static String load() {
    try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A YAML double-quoted scalar (the endpoint is a URL path, but quote it anyway). */
  private static String quoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!path.equals(request.getHttpURI().getPath())) {
      return false;
    }
    String method = request.getMethod();
    RequestBodies.drain(request, response);
    if (!HttpMethod.GET.is(method)) {
      response.setStatus(HttpStatus.METHOD_NOT_ALLOWED_405);
      response.getHeaders().put(HttpHeader.ALLOW, "GET");
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProtocolConstants.CONTENT_TYPE_JSON);
      byte[] body =
          WireJson.writeError(
              new ErrorResponse(
                  ErrorResponse.MALFORMED_REQUEST, "Method " + method + " is not allowed here."));
      response.write(true, ByteBuffer.wrap(body), callback);
      return true;
    }
    response.setStatus(HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, document.length);
    response.write(true, ByteBuffer.wrap(document), callback);
    return true;
  }
}
