package io.lakeshare.protocol.client;

/**
 * What an asynchronous query call answers (CONFORMANCE §1.11): still running, failed (terminal), or
 * ready with a page of the answer, which the caller must close.
 */
public sealed interface AsyncAnswer {
  /** The server is still planning the query; poll again later. */
  record Pending(String queryId) implements AsyncAnswer {}

  /** The query failed; polling again will not change that. */
  record Failed(String queryId, String message) implements AsyncAnswer {}

  /**
   * A page of the answer, as a synchronous query gives it. {@code queryId} is null when the server
   * answered the submission synchronously (it does not support asynchronous queries).
   */
  record Ready(String queryId, QueryResponse response) implements AsyncAnswer {}
}
