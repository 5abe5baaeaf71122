package dev.genaiprocessors.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ScriptedModelTest {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void eachCallGetsTheNextReplyAndItsPromptIsRecorded() {
    IllegalStateException quota = new IllegalStateException("quota");
    ScriptedModel model =
        ScriptedModel.builder()
            .text("one")
            .parts(Part.text("a").withRole("model"), Part.text("b").withRole("model"))
            .error(quota)
            .answer(prompt -> Flux.just(Part.text("echo " + prompt.get(0).text())))
            .build();

    StepVerifier.create(model.apply(Flux.just(Part.text("q1"), Part.text("q1b"))))
        .expectNext(Part.text("one").withRole("model"))
        .verifyComplete();
    StepVerifier.create(model.apply(Flux.just(Part.text("q2"))))
        .expectNext(Part.text("a").withRole("model"), Part.text("b").withRole("model"))
        .verifyComplete();
    StepVerifier.create(model.apply(Flux.just(Part.text("q3")))).verifyErrorMatches(quota::equals);
    assertThat(model.unusedScript()).containsExactly("computed answer");
    StepVerifier.create(model.apply(Flux.just(Part.text("q4"))))
        .expectNext(Part.text("echo q4"))
        .verifyComplete();

    assertThat(model.calls())
        .containsExactly(
            java.util.List.of(Part.text("q1"), Part.text("q1b")),
            java.util.List.of(Part.text("q2")),
            java.util.List.of(Part.text("q3")),
            java.util.List.of(Part.text("q4")));
    assertThat(model.unusedScript()).isEmpty();
    model.assertScriptUsedUp();
  }

  @Test
  void aCallBeyondTheScriptFailsSayingHowLongTheScriptWas() {
    ScriptedModel model = ScriptedModel.builder().text("only").build();
    model.apply(Flux.just(Part.text("1"))).blockLast(TIMEOUT);

    StepVerifier.create(model.apply(Flux.just(Part.text("2"))))
        .verifyErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("ScriptedModel was called 2 times; the script has 1 reply"));
  }

  @Test
  void aDelayedReplyWaitsOnTheGivenSchedulerAndCancelsWithTheCall() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    ScriptedModel model =
        ScriptedModel.builder()
            .scheduler(time)
            .delay(Duration.ofSeconds(30))
            .text("late")
            .text("prompt")
            .build();

    StepVerifier.withVirtualTime(() -> model.apply(Flux.just(Part.text("q"))), () -> time, 1)
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(29))
        .thenAwait(Duration.ofSeconds(1))
        .expectNext(Part.text("late").withRole("model"))
        .verifyComplete();
    StepVerifier.create(model.apply(Flux.just(Part.text("q"))))
        .expectNext(Part.text("prompt").withRole("model"))
        .verifyComplete();
  }

  @Test
  void leftoverRepliesAreNamedByTheCheck() {
    ScriptedModel model =
        ScriptedModel.builder().text("used").delay(Duration.ofSeconds(2)).text("never").build();
    model.apply(Flux.just(Part.text("q"))).blockLast(TIMEOUT);

    assertThatThrownBy(model::assertScriptUsedUp)
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "ScriptedModel script was not used up: 1 scripted entry never played: "
                + "text \"never\" after PT2S");
    assertThatThrownBy(() -> ScriptedModel.builder().delay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }
}
