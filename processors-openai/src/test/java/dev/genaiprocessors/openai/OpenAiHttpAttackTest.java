package dev.genaiprocessors.openai;

import dev.genaiprocessors.client.HttpAttackContract;
import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;

/** {@link HttpAttackContract} against {@link OpenAiChatModel}. */
class OpenAiHttpAttackTest extends HttpAttackContract {

  @Override
  protected Processor model(String base, Settings s) {
    RetryPolicy retry =
        RetryPolicy.builder()
            .maxAttempts(s.attempts)
            .initialBackoff(Duration.ofMillis(10))
            .jitter(Duration.ZERO)
            .build();
    OpenAiChatModel.Builder b =
        OpenAiChatModel.builder("gpt-test")
            .baseUrl(base + "/v1")
            .apiKey(s.key)
            .retryPolicy(retry)
            .readTimeout(s.readTimeout)
            .connectTimeout(s.connectTimeout)
            .scheduler(s.scheduler);
    if (s.callTimeout != null) {
      b.callTimeout(s.callTimeout);
    }
    if (s.client != null) {
      b.httpClient(s.client);
    }
    return b.build();
  }
}
