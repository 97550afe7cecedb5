package io.lakeshare.it.storage;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.lakeshare.it.fixtures.SparkFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The Azure fixture table: written by delta-spark to a local folder (the oracle path), copied
 * object by object into an Azurite container with the Blob API, and shared by a server that reads
 * and signs it through a {@code type: azure} storage entry with the account key.
 */
public final class AzureTables {
  public static final String SHARE = "cloud";
  public static final String SCHEMA = "azure";
  public static final String TABLE = "t_az";
  static final String CONTAINER = "lake";

  /** A table with deletion vectors, on its own server. */
  public static final String DV_TABLE = "t_az_dv";

  private static CloudTable table;
  private static CloudTable dvTable;

  private AzureTables() {}

  /** The table on Azurite, written on first use. */
  public static synchronized CloudTable azurite() {
    if (table == null) {
      table = create();
    }
    return table;
  }

  /** The table with deletion vectors on Azurite, written on first use. */
  public static synchronized CloudTable deletionVectorsOnAzurite() {
    if (dvTable == null) {
      dvTable = create(DV_TABLE, DeltaFixtureWriter::writeWithDeletionVectors);
    }
    return dvTable;
  }

  static String location() {
    return location(TABLE);
  }

  static String location(String name) {
    return "wasb://"
        + CONTAINER
        + "@"
        + AzuriteServer.ACCOUNT
        + ".blob.core.windows.net/tables/"
        + name;
  }

  static String yaml(String... extraTopLevel) {
    return yamlFor(TABLE, extraTopLevel);
  }

  private static String yamlFor(String name, String... extraTopLevel) {
    StringBuilder b = new StringBuilder();
    b.append("version: 1\nhost: 127.0.0.1\nport: 0\n");
    b.append("authorization:\n  bearerToken: ").append(CloudTable.TOKEN).append('\n');
    for (String line : extraTopLevel) {
      b.append(line).append('\n');
    }
    b.append("storage:\n- name: blobs\n  type: azure\n");
    b.append("  accountName: ").append(AzuriteServer.ACCOUNT).append('\n');
    b.append("  endpoint: ").append(AzuriteServer.endpoint()).append('\n');
    b.append("  accountKey: ").append(AzuriteServer.KEY).append('\n');
    b.append("shares:\n- name: ").append(SHARE).append('\n');
    b.append("  schemas:\n  - name: ").append(SCHEMA).append('\n');
    b.append("    tables:\n    - name: ").append(name).append('\n');
    b.append("      location: ").append(location(name)).append('\n');
    b.append("      storage: blobs\n");
    return b.toString();
  }

  static BlobContainerClient container() {
    return new BlobServiceClientBuilder()
        .endpoint(AzuriteServer.endpoint())
        .credential(new StorageSharedKeyCredential(AzuriteServer.ACCOUNT, AzuriteServer.KEY))
        .httpClient(new JdkHttpClientBuilder().build())
        .buildClient()
        .getBlobContainerClient(CONTAINER);
  }

  private static CloudTable create() {
    return create(TABLE, DeltaFixtureWriter::write);
  }

  private static CloudTable create(
      String name,
      java.util.function.BiConsumer<org.apache.spark.sql.SparkSession, String> writer) {
    try {
      Path local = Files.createTempDirectory("azure-fixture-").resolve("tables").resolve(name);
      String oracle = local.toUri().toString().replaceAll("/$", "");
      writer.accept(SparkFixture.spark(), oracle);
      BlobContainerClient c = container();
      c.createIfNotExists();
      try (Stream<Path> files = Files.walk(local)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          String rel = local.relativize(f).toString().replace('\\', '/');
          if (rel.endsWith(".crc")) {
            continue;
          }
          c.getBlobClient("tables/" + name + "/" + rel).uploadFromFile(f.toString(), true);
        }
      }
      String yaml = yamlFor(name);
      return new CloudTable(CloudTable.startServer(yaml), yaml, SHARE, SCHEMA, name, oracle);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
