package io.lakeshare.protocol.model;

import java.util.List;

/**
 * One page of a list answer: {@code {"items": [...], "nextPageToken": "..."}}. A {@code null} or
 * empty token means there is nothing more.
 */
public record Page<T>(List<T> items, String nextPageToken) {
  public Page {
    items = items == null ? List.of() : List.copyOf(items);
    if (nextPageToken != null && nextPageToken.isEmpty()) {
      nextPageToken = null;
    }
  }

  public boolean hasMore() {
    return nextPageToken != null;
  }
}
