package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class TextPipelineExampleTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  @Test
  void analysesEachSentenceAndTotalsAtTheEnd() {
    List<Part> out =
        TextPipelineExample.pipeline()
            .apply(
                Flux.just(
                    Part.text("  The cat   sat on the mat. "),
                    Part.text(" "),
                    Part.text("Cats like mats and cats.")))
            .collectList()
            .block(Duration.ofSeconds(10));
    assertThat(out)
        .extracting(p -> p.substream() + "|" + p.text())
        .containsExactly(
            "stats|6 words, ~1 s to read",
            "keywords|cat, mat, sat",
            "status|enriching: The cat sat on the mat.",
            "|The cat sat on the mat.",
            "stats|5 words, ~1 s to read",
            "keywords|cats, like, mats",
            "status|enriching: Cats like mats and cats.",
            "|Cats like mats and cats.",
            "totals|2 sentences, 11 words in all");
  }

  @Test
  void statusPartsArriveBeforeTheSlowStageAnswers() {
    StepVerifier.withVirtualTime(
            () -> TextPipelineExample.pipeline().apply(Flux.just(Part.text("One sentence."))))
        .expectSubscription()
        .expectNextCount(2)
        .assertNext(p -> assertThat(p.isStatus()).isTrue())
        .expectNoEvent(Duration.ofMillis(299))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(p -> assertThat(p.text()).isEqualTo("One sentence."))
        .assertNext(p -> assertThat(p.substream()).isEqualTo("totals"))
        .verifyComplete();
  }
}
