package io.lakeshare.it.conformance;

import io.lakeshare.it.server.TestServer;
import io.lakeshare.protocol.client.DeltaSharingClient;
import io.lakeshare.protocol.client.QueryResponse;
import io.lakeshare.protocol.client.RequestOptions;
import io.lakeshare.protocol.client.TableRef;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.QueryTableRequest;
import io.lakeshare.protocol.model.ResponseAction;
import java.util.ArrayList;
import java.util.List;

/** Snapshot queries through the protocol client against the default test server. */
final class Queries {
  private static DeltaSharingClient client;

  private Queries() {}

  private static synchronized DeltaSharingClient client() {
    if (client == null) {
      // Shared by every test class of the JVM; the pool goes away with the JVM.
      client = TestServer.get().client();
    }
    return client;
  }

  /** The file lines of a query on table {@code s1.default.<table>}. */
  static List<FileAction> files(String table, QueryTableRequest r) {
    List<FileAction> out = new ArrayList<>();
    try (QueryResponse resp =
        client().queryTable(new TableRef("s1", "default", table), r, RequestOptions.NONE)) {
      while (resp.hasNext()) {
        ResponseAction a = resp.next();
        if (a instanceof FileAction f) {
          out.add(f);
        }
      }
    }
    return out;
  }
}
