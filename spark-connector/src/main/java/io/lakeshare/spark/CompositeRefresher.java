package io.lakeshare.spark;

import io.lakeshare.spark.read.FileUrl;
import io.lakeshare.spark.read.UrlRefresher;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The URLs of a micro-batch whose files came from several server queries. */
final class CompositeRefresher implements UrlRefresher {
  private static final long serialVersionUID = 1L;

  private final List<UrlRefresher> parts;

  CompositeRefresher(List<UrlRefresher> parts) {
    this.parts = List.copyOf(parts);
  }

  @Override
  public Map<String, FileUrl> refreshAll() throws IOException {
    Map<String, FileUrl> all = new HashMap<>();
    for (UrlRefresher r : parts) {
      all.putAll(r.refreshAll());
    }
    return all;
  }
}
