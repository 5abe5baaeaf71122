package dev.genaiprocessors.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void defaultBackoffDoublesFromOneSecondUpToSixtyPlusJitter() {
    RetryPolicy p = RetryPolicy.defaults();
    assertThat(p.maxAttempts()).isEqualTo(5);
    assertThat(p.backoff(1, null, 0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.backoff(2, null, 0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.backoff(4, null, 0)).isEqualTo(Duration.ofSeconds(8));
    assertThat(p.backoff(7, null, 0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.backoff(200, null, 0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.backoff(1, null, 0.5)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void serverHintLengthensTheWaitButNotPastTheMaximum() {
    RetryPolicy p = RetryPolicy.builder().jitter(Duration.ZERO).build();
    assertThat(p.backoff(1, Duration.ofSeconds(7), 0)).isEqualTo(Duration.ofSeconds(7));
    assertThat(p.backoff(4, Duration.ofSeconds(3), 0)).isEqualTo(Duration.ofSeconds(8));
    assertThat(p.backoff(1, Duration.ofMinutes(10), 0)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void onlyTheDocumentedStatusesAreRetried() {
    assertThat(RetryPolicy.RETRYABLE_STATUS_CODES)
        .containsExactlyInAnyOrder(408, 429, 500, 502, 503, 504);
    assertThat(RetryPolicy.isRetryableStatus(400)).isFalse();
    assertThat(RetryPolicy.isRetryableStatus(501)).isFalse();
  }

  @Test
  void settersValidateAtOnce() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> RetryPolicy.builder().jitter(Duration.ofSeconds(-1)))
        .hasMessageContaining("jitter");
    assertThatThrownBy(
            () ->
                RetryPolicy.builder()
                    .initialBackoff(Duration.ofSeconds(5))
                    .maxBackoff(Duration.ofSeconds(1))
                    .build())
        .hasMessageContaining("initialBackoff");
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
  }
}
