package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectorConfTest {
  @Test
  void defaultsAreTheReferenceConnectors() {
    ConnectorConf c = ConnectorConf.from(Map.of());
    assertThat(c.numRetries()).isEqualTo(3);
    assertThat(c.maxRetryDuration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(320));
    assertThat(c.maxConnections()).isEqualTo(64);
    assertThat(c.pagination()).isFalse();
    assertThat(c.maxFilesPerQuery()).isEqualTo(100_000);
    assertThat(c.jsonHints()).isTrue();
    assertThat(c.limitPushdown()).isTrue();
    assertThat(c.refreshThreshold()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void sparkTimeStringsAndBareNumbersUseTheConfsUnit() {
    ConnectorConf c =
        ConnectorConf.from(
            Map.of(
                "spark.delta.sharing.network.timeout", "45",
                "spark.delta.sharing.network.maxRetryDuration", "2m",
                "spark.delta.sharing.driver.refreshThresholdMs", "1500",
                "spark.delta.sharing.queryPagination.enabled", " TRUE "));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.maxRetryDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.refreshThreshold()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.pagination()).isTrue();
    assertThat(ConnectorConf.parseDuration("10min", TimeUnit.SECONDS))
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(ConnectorConf.parseDuration("10 parsecs", TimeUnit.SECONDS)).isNull();
  }

  @Test
  void badValuesNameTheConf() {
    assertThatThrownBy(
            () -> ConnectorConf.from(Map.of("spark.delta.sharing.network.numRetries", "many")))
        .hasMessageContaining("spark.delta.sharing.network.numRetries='many'")
        .hasMessageContaining("integer >= 0");
    assertThatThrownBy(
            () -> ConnectorConf.from(Map.of("spark.delta.sharing.network.maxConnections", "0")))
        .hasMessageContaining("integer >= 1");
    assertThatThrownBy(
            () -> ConnectorConf.from(Map.of("spark.delta.sharing.limitPushdown.enabled", "yes")))
        .hasMessageContaining("true or false");
    assertThatThrownBy(
            () -> ConnectorConf.from(Map.of("spark.delta.sharing.network.timeout", "0s")))
        .hasMessageContaining("positive duration");
  }
}
