package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.protocol.model.Metadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream's scan must not list the whole table: the stream lists its own files. */
class DeltaSharingScanStreamingTest {
  @TempDir Path dir;

  @Test
  void aStreamsScanReportsNoStatisticsOrDriverMetricsWithoutAskingTheServer() throws Exception {
    // Nothing listens on port 1: any server call would fail the test.
    Path profile = dir.resolve("p.share");
    Files.writeString(
        profile,
        "{\"shareCredentialsVersion\":1,\"endpoint\":\"http://127.0.0.1:1/ds\","
            + "\"bearerToken\":\"tok\"}");
    StructType schema = new StructType().add("id", DataTypes.LongType);
    DeltaSharingTable table =
        new DeltaSharingTable(
            TableLocation.resolve(
                profile + "#s.sc.t", Map.of(), new Configuration(), Clock.systemUTC()),
            ReadOptions.parse("s.sc.t", Map.of("startingVersion", "1"), java.time.ZoneOffset.UTC),
            ConnectorConf.from(Map.of("spark.delta.sharing.network.numRetries", "0")),
            new Metadata("id-1", null, null, null, schema.json(), null, null, 3L, null, null),
            schema,
            ColumnMapping.NONE,
            3);
    DeltaSharingScan scan =
        (DeltaSharingScan) table.newScanBuilder(CaseInsensitiveStringMap.empty()).build();
    scan.toMicroBatchStream(dir.resolve("cp").toString());

    Statistics stats = scan.estimateStatistics();
    assertThat(stats.sizeInBytes()).isEmpty();
    assertThat(stats.numRows()).isEmpty();
    assertThat(scan.reportDriverMetrics()).isEmpty();
    assertThat(scan.planningMillis()).isEqualTo(-1);
  }
}
