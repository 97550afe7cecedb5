package io.lakeshare.spark.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  @Test
  void defaultsMatchTheDocumentedValues() {
    assertThat(HttpReadSettings.DEFAULTS)
        .isEqualTo(new HttpReadSettings(3, Duration.ofMinutes(10), Duration.ofSeconds(1)));
  }

  @Test
  void backoffDoublesUpToTheCap() {
    HttpReadSettings settings = HttpReadSettings.DEFAULTS;
    assertThat(settings.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.backoff(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(settings.backoff(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.backoff(60)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThatThrownBy(() -> new HttpReadSettings(-1, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HttpReadSettings(1, Duration.ofSeconds(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retriesAreBoundedAndProgressResetsThem() throws IOException {
    RetryBudget budget =
        new RetryBudget(new HttpReadSettings(2, Duration.ofSeconds(5), Duration.ZERO), "f");
    budget.beforeRetry(0, "e1", null);
    budget.beforeRetry(0, "e2", null);
    budget.onProgress(RetryBudget.PROGRESS_THAT_RESETS);
    budget.beforeRetry(10, "e3", null);
    budget.beforeRetry(10, "e4", null);
    assertThatThrownBy(() -> budget.beforeRetry(10, "HTTP 500", null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("f at offset 10")
        .hasMessageContaining("after 2 retries")
        .hasMessageContaining("HTTP 500");
  }

  @Test
  void retriesStopWhenTheDurationIsUsedUp() throws IOException {
    RetryBudget budget =
        new RetryBudget(
            new HttpReadSettings(100, Duration.ofMillis(60), Duration.ofMillis(25)), "f");
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 100; i++) {
                budget.beforeRetry(0, "timeout", null);
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("last error: timeout");
    assertThat(budget.retries()).isBetween(1, 10);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void refreshesAreBoundedWithoutProgress() throws IOException {
    RetryBudget budget = new RetryBudget(HttpReadSettings.DEFAULTS, "f");
    for (int i = 0; i < RetryBudget.MAX_REFRESHES; i++) {
      budget.beforeRefresh(5, 403, "https://h/p");
    }
    assertThatThrownBy(() -> budget.beforeRefresh(5, 403, "https://h/p"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("https://h/p");
    budget.onProgress(RetryBudget.PROGRESS_THAT_RESETS);
    budget.beforeRefresh(5, 403, "https://h/p");
  }

  @Test
  void aFewBytesBetweenFailuresDoNotRenewTheBudget() throws IOException {
    RetryBudget budget =
        new RetryBudget(new HttpReadSettings(2, Duration.ofSeconds(5), Duration.ZERO), "f");
    budget.beforeRetry(0, "stall", null);
    budget.onProgress(10);
    budget.beforeRetry(10, "stall", null);
    budget.onProgress(RetryBudget.PROGRESS_THAT_RESETS - 11);
    assertThatThrownBy(() -> budget.beforeRetry(20, "stall", null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("after 2 retries");
    assertThat(budget.retries()).isEqualTo(2);
  }
}
