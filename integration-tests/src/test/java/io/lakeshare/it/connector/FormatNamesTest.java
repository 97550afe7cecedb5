package io.lakeshare.it.connector;

import static io.lakeshare.it.connector.Connector.assertSameData;
import static io.lakeshare.it.connector.Connector.messages;
import static io.lakeshare.it.connector.Connector.spark;
import static io.lakeshare.it.connector.Connector.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lakeshare.it.fixtures.FixtureTables;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two format names: {@code deltaSharing} (the name every Delta Sharing connector registers, so
 * Lakeshare is a drop-in) and {@code lakeshare} (only Lakeshare's), and what a user sees when a
 * second sharing connector on the classpath also registers {@code deltaSharing}.
 */
class FormatNamesTest {

  /** Stands in for another sharing connector's registration (its classes are not needed). */
  public static final class OtherSharingConnector implements DataSourceRegister {
    @Override
    public String shortName() {
      return "deltaSharing";
    }
  }

  private static Dataset<Row> oracle() {
    return spark()
        .read()
        .format("delta")
        .load(FixtureTables.get().table(FixtureTables.T_PART).path().toString());
  }

  @Test
  void bothNamesReadTheSameTable() {
    String table = url(FixtureTables.T_PART);
    assertSameData(spark().read().format("deltaSharing").load(table), oracle());
    assertSameData(spark().read().format("lakeshare").load(table), oracle());
    assertSameData(
        spark().read().format("io.lakeshare.spark.DeltaSharingTableProvider").load(table),
        oracle());
  }

  @Test
  void withAnotherConnectorRegisteringDeltaSharingTheNameIsAmbiguousAndLakeshareStillWorks(
      @TempDir Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(DataSourceRegister.class.getName()),
        OtherSharingConnector.class.getName() + "\n");
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    String table = url(FixtureTables.T_PART);
    try (URLClassLoader withOther = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
      // Spark looks format names up through the context class loader's service registrations
      thread.setContextClassLoader(withOther);
      Throwable refused = catchThrowable(() -> spark().read().format("deltaSharing").load(table));
      assertThat(messages(refused))
          .contains("Multiple sources found for deltaSharing")
          .contains("io.lakeshare.spark.DeltaSharingTableProvider")
          .contains(OtherSharingConnector.class.getName());
      assertSameData(spark().read().format("lakeshare").load(table), oracle());
      spark().sql("DROP TABLE IF EXISTS shared_by_alias");
      spark().sql("CREATE TABLE shared_by_alias USING lakeshare LOCATION '" + table + "'");
      assertSameData(spark().sql("SELECT * FROM shared_by_alias"), oracle());
    } finally {
      thread.setContextClassLoader(before);
      spark().sql("DROP TABLE IF EXISTS shared_by_alias");
    }
  }
}
