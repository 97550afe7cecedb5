package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.profileFile;
import static io.lakeshare.it.connector.Connector.spark;
import static io.lakeshare.it.connector.Connector.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshare.it.fixtures.FixtureTables;
import io.lakeshare.it.server.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.DataFrameReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each failure names the table, option or profile, and the fix; at analysis time. */
class ConnectorErrorsTest {
  @TempDir Path dir;

  private static DataFrameReader reader() {
    return spark().read().format("deltaSharing");
  }

  /** The message of the outermost exception and its causes. */
  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(" | ");
    }
    return sb.toString();
  }

  @Test
  void wrongBearerTokenIsRefusedWithTheTableNamed() {
    String path = profileFile(TestServer.get(), "wrong-token") + "#s1.default.t_plain";
    Throwable t = catchThrowable(() -> reader().load(path));
    assertThat(messages(t))
        .contains("s1.default.t_plain")
        .contains("HTTP 401")
        .contains("bearer token was refused");
  }

  @Test
  void unknownShareAndTableAreNamed() {
    Throwable share =
        catchThrowable(() -> reader().load(profileFile(TestServer.get()) + "#nope.default.t"));
    assertThat(messages(share)).contains("nope.default.t").contains("HTTP 404");
    Throwable table =
        catchThrowable(() -> reader().load(profileFile(TestServer.get()) + "#s1.default.missing"));
    assertThat(messages(table)).contains("s1.default.missing").contains("HTTP 404");
  }

  @Test
  void serverDownSaysTheEndpointIsUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path profile = dir.resolve("down.share");
    Files.writeString(
        profile,
        "{\"shareCredentialsVersion\":1,\"endpoint\":\"http://127.0.0.1:"
            + port
            + "/delta-sharing\",\"bearerToken\":\"x\"}");
    spark().conf().set("spark.delta.sharing.network.numRetries", "0");
    try {
      Throwable t = catchThrowable(() -> reader().load(profile + "#s1.default.t_plain"));
      assertThat(messages(t)).contains("s1.default.t_plain").contains("endpoint is reachable");
    } finally {
      spark().conf().unset("spark.delta.sharing.network.numRetries");
    }
  }

  @Test
  void expiredProfileFailsBeforeAnyCall() throws Exception {
    Path profile = dir.resolve("expired.share");
    Files.writeString(
        profile,
        "{\"shareCredentialsVersion\":1,\"endpoint\":\""
            + TestServer.get().endpoint()
            + "\",\"bearerToken\":\""
            + TestServer.TOKEN
            + "\",\"expirationTime\":\"2021-11-12T00:12:29Z\"}");
    Throwable t = catchThrowable(() -> reader().load(profile + "#s1.default.t_plain"));
    assertThat(messages(t))
        .contains(profile.toString())
        .contains("expired at 2021-11-12T00:12:29Z")
        .contains("new profile");
  }

  @Test
  void missingProfileFileIsNamed() {
    String missing = dir.resolve("nope.share").toString();
    Throwable t = catchThrowable(() -> reader().load(missing + "#s1.default.t_plain"));
    assertThat(messages(t)).contains("Cannot read the Delta Sharing profile " + missing);
  }

  @Test
  void malformedPathsExplainTheSyntax() {
    Throwable noHash = catchThrowable(() -> reader().load("/tmp/x.share"));
    assertThat(messages(noHash))
        .contains("no '#'")
        .contains("<profile-file>#<share>.<schema>.<table>");
    Throwable twoParts =
        catchThrowable(() -> reader().load(profileFile(TestServer.get()) + "#s1.t_plain"));
    assertThat(messages(twoParts)).contains("'s1.t_plain' is not <share>.<schema>.<table>");
  }

  @Test
  void conflictingTimeTravelOptionsNameBoth() {
    Throwable t =
        catchThrowable(
            () ->
                reader()
                    .option("versionAsOf", "1")
                    .option("timestampAsOf", "2024-01-01")
                    .load(url(FixtureTables.T_HIST)));
    assertThat(messages(t))
        .contains("versionAsOf")
        .contains("timestampAsOf")
        .contains("s1.default.t_hist")
        .contains("cannot be used together");
  }

  @Test
  void badOptionValuesAreNamed() {
    Throwable v =
        catchThrowable(() -> reader().option("versionAsOf", "abc").load(url(FixtureTables.T_HIST)));
    assertThat(messages(v)).contains("versionAsOf='abc'").contains("integer >= 0");
    Throwable ts =
        catchThrowable(
            () -> reader().option("timestampAsOf", "yesterday").load(url(FixtureTables.T_HIST)));
    assertThat(messages(ts)).contains("timestampAsOf='yesterday'");
  }

  @Test
  void versionBeyondTheLatestIsTheServersMessage() {
    Throwable t =
        catchThrowable(() -> reader().option("versionAsOf", "99").load(url(FixtureTables.T_HIST)));
    assertThat(messages(t)).contains("s1.default.t_hist").contains("HTTP 400");
  }
}
