package io.lakeshare.server.http;

import org.eclipse.jetty.server.Request;

/**
 * What one request did, filled in by the handlers as they learn it and read once it completes by
 * the audit log and the metrics: who asked, for which table and versions, in which format, and how
 * many files of how many bytes were answered. Never a token, secret or URL.
 */
public final class RequestRecord {
  /** The request attribute holding a request's record. */
  public static final String ATTRIBUTE = "io.lakeshare.record";

  final String id;
  final long startNanos;
  final long startMillis;
  volatile String recipient;
  volatile String share;
  volatile String schema;
  volatile String table;
  volatile Long tableVersion;
  volatile String versions;
  volatile String responseFormat;
  volatile long files;
  volatile long fileBytes;
  volatile long bytesSent = -1;
  volatile String errorCode;

  RequestRecord(String id, long startNanos, long startMillis) {
    this.id = id;
    this.startNanos = startNanos;
    this.startMillis = startMillis;
  }

  /** A record outside a request, for tests of its readers. */
  public static RequestRecord forTest(String id) {
    return new RequestRecord(id, System.nanoTime(), System.currentTimeMillis());
  }

  /** The record of {@code request}, or null outside a {@link RequestCounter}. */
  public static RequestRecord of(Request request) {
    return request.getAttribute(ATTRIBUTE) instanceof RequestRecord r ? r : null;
  }

  public String id() {
    return id;
  }

  public long startMillis() {
    return startMillis;
  }

  public String recipient() {
    return recipient;
  }

  public String share() {
    return share;
  }

  public String schema() {
    return schema;
  }

  public String table() {
    return table;
  }

  public Long tableVersion() {
    return tableVersion;
  }

  /** The versions asked for ({@code version=3}, {@code startingVersion=2,endingVersion=5}...). */
  public String versions() {
    return versions;
  }

  public String responseFormat() {
    return responseFormat;
  }

  public long files() {
    return files;
  }

  public long fileBytes() {
    return fileBytes;
  }

  /** Bytes of a file download's body, or -1 for other requests. */
  public long bytesSent() {
    return bytesSent;
  }

  public String errorCode() {
    return errorCode;
  }

  public void recipient(String name) {
    this.recipient = name;
  }

  public void table(String share, String schema, String table) {
    this.share = share;
    this.schema = schema;
    this.table = table;
  }

  public void answer(long tableVersion, String responseFormat) {
    this.tableVersion = tableVersion;
    this.responseFormat = responseFormat;
  }

  public void versions(String versions) {
    this.versions = versions;
  }

  public void addFile(long size) {
    files++;
    fileBytes += size;
  }

  public void bytesSent(long bytes) {
    this.bytesSent = bytes;
  }

  public void errorCode(String code) {
    this.errorCode = code;
  }
}
