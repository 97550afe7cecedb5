package io.lakeshare.it.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeshare.server.SharingServer;
import io.lakeshare.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config reload over an S3 table (the in-process S3 server that checks SigV4): a reload that
 * keeps the storage entry keeps serving; one that changes the entry's credentials reads through a
 * new client at once (the cached table handle of the old client is dropped), so wrong credentials
 * fail and right ones work again; a second table in the same bucket added by a reload is served.
 */
class S3ReloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> query(SharingServer s, String table) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    s.endpointUrl()
                        + "/shares/"
                        + S3Tables.SHARE
                        + "/schemas/"
                        + S3Tables.SCHEMA
                        + "/tables/"
                        + table
                        + "/query"))
            .header("Authorization", "Bearer " + CloudTable.TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> urls(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      JsonNode f = JSON.readTree(line).path("file");
      if (!f.isMissingNode()) {
        out.add(f.path("url").asText());
      }
    }
    return out;
  }

  private void write(Path file, String yaml) throws Exception {
    Path tmp = dir.resolve("next.yaml");
    Files.writeString(tmp, yaml);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void storageEntriesReloadWithTheirClients() throws Exception {
    S3Endpoint e = S3ProxyServer.get();
    CloudTable table = S3Tables.on(e);
    String yaml = S3Tables.yaml(e);
    Path file = dir.resolve("s3.yaml");
    write(file, yaml);
    try (SharingServer server = SharingServer.start(ConfigLoader.load(file))) {
      server.followConfigFile(file);
      List<String> before = urls(query(server, table.table()));
      assertThat(before).isNotEmpty();

      // the same entry, and the same table shared a second time: the client is kept
      String twice =
          yaml
              + "    - name: again\n"
              + "      location: "
              + S3Tables.location(e)
              + "\n      storage: lake\n";
      write(file, twice);
      assertThat(server.reload()).isTrue();
      assertThat(urls(query(server, table.table()))).hasSameSizeAs(before);
      assertThat(urls(query(server, "again"))).hasSameSizeAs(before);
      HttpResponse<byte[]> object =
          http.send(
              HttpRequest.newBuilder(URI.create(urls(query(server, "again")).get(0))).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(object.statusCode()).isEqualTo(200);

      // wrong credentials: the new client is used at once, so reads fail
      String wrong =
          twice.replace(
              "secretAccessKey: " + e.secretKey(), "secretAccessKey: not-" + e.secretKey());
      assertThat(wrong).isNotEqualTo(twice);
      write(file, wrong);
      assertThat(server.reload()).isTrue();
      HttpResponse<String> refused = query(server, table.table());
      assertThat(refused.statusCode()).as(refused.body()).isNotEqualTo(200);
      assertThat(refused.body()).doesNotContain(e.secretKey());

      // right ones again: served again
      write(file, twice);
      assertThat(server.reload()).isTrue();
      assertThat(urls(query(server, table.table()))).hasSameSizeAs(before);
    }
  }
}
