package io.lakeshare.server.http;

import io.lakeshare.protocol.json.WireJson;
import io.lakeshare.protocol.model.ErrorResponse;
import io.lakeshare.protocol.model.ProtocolConstants;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty raises before any handler runs (ambiguous or malformed URIs, bad headers) get
 * the protocol's JSON envelope instead of Jetty's HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String code =
        status == 404
            ? ErrorResponse.RESOURCE_DOES_NOT_EXIST
            : status >= 500 ? ErrorResponse.INTERNAL_ERROR : ErrorResponse.MALFORMED_REQUEST;
    String message =
        status >= 500
            ? "The server failed to answer; see the server log."
            : "The request was refused (HTTP "
                + status
                + "): malformed or ambiguous URI or header.";
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProtocolConstants.CONTENT_TYPE_JSON);
    if ("HEAD".equals(request.getMethod())) {
      response.write(true, null, callback);
    } else {
      response.write(
          true, ByteBuffer.wrap(WireJson.writeError(new ErrorResponse(code, message))), callback);
    }
    return true;
  }
}
