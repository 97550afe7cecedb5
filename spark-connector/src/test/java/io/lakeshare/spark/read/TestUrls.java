package io.lakeshare.spark.read;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A UrlSource for tests: hands out signatures sig0, sig1, ... and records refresh calls. */
final class TestUrls implements UrlSource {

  record Refresh(FileUrl failed, int status) {}

  private final RangeServer server;
  private final List<Refresh> refreshes = new ArrayList<>();
  private FileUrl current;
  private int issued;
  private String refusal;

  TestUrls(RangeServer server) {
    this.server = server;
    this.current = FileUrl.of(server.url("sig0"));
  }

  /** Later refresh calls fail with this message. */
  synchronized void refuseRefresh(String message) {
    refusal = message;
  }

  /** Simulates a background refresh: current() moves to the next signature. */
  synchronized FileUrl rotate() {
    issued++;
    current = FileUrl.of(server.url("sig" + issued));
    return current;
  }

  synchronized List<Refresh> refreshes() {
    return List.copyOf(refreshes);
  }

  @Override
  public synchronized FileUrl current() {
    return current;
  }

  @Override
  public synchronized FileUrl refresh(FileUrl failed, int status) throws IOException {
    refreshes.add(new Refresh(failed, status));
    if (refusal != null) {
      throw new IOException(refusal);
    }
    return rotate();
  }
}
