package dev.genaiprocessors.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.client.HttpAttackContract;
import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** {@link HttpAttackContract} against {@link GeminiModel}, and the attacks only Gemini's stream shape allows. */
class GeminiHttpAttackTest extends HttpAttackContract {

  @Override
  protected Processor model(String base, Settings s) {
    RetryPolicy retry =
        RetryPolicy.builder()
            .maxAttempts(s.attempts)
            .initialBackoff(Duration.ofMillis(10))
            .jitter(Duration.ZERO)
            .build();
    GeminiModel.Builder b =
        GeminiModel.builder("gemini-2.5-flash")
            .baseUrl(base)
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

  @Test
  void aStreamCutInsideItsLastEventIsRetriedLikeAnyCutNotDeliveredHalf() {
    AtomicInteger calls = new AtomicInteger();
    String finish =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"!\"}]},\"finishReason\":\"STOP\"}]}";
    String base =
        serve(
            (req, res) ->
                calls.incrementAndGet() == 1
                    // The finishing event without the blank line that would complete it: the stream
                    // was cut.
                    ? sse(res, Mono.just("data: " + finish))
                    : sse(res, Mono.just("data: " + finish + "\n\n")));
    Settings s = new Settings();
    s.attempts = 2;

    List<Part> parts = model(base, s).apply(prompt()).collectList().block(WAIT);

    assertThat(calls.get()).as("the cut stream was retried").isEqualTo(2);
    assertThat(parts)
        .filteredOn(p -> p.isText() && !p.text().isEmpty())
        .extracting(Part::text)
        .containsExactly("!");
  }
}
