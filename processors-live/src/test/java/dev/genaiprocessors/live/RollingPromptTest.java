package dev.genaiprocessors.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class RollingPromptTest {

  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

  @Test
  void thePendingPromptStreamsTheHistoryThenEveryPartAddedUntilFinalized() {
    RollingPrompt prompt = new RollingPrompt(HistoryPolicy.keepAll(), clock, 100);
    prompt.add(Part.text("a"));
    StepVerifier.create(prompt.pending())
        .expectNext(Part.text("a"))
        .then(() -> prompt.add(Part.text("b")))
        .expectNext(Part.text("b"))
        .then(() -> prompt.finalizePending().subscribe())
        .verifyComplete();
    prompt.add(Part.text("c"));
    StepVerifier.create(prompt.pending())
        .expectNext(Part.text("a"), Part.text("b"), Part.text("c"))
        .then(() -> prompt.finalizePending().subscribe())
        .verifyComplete();
  }

  @Test
  void addedPartsAreStampedWithTheSchedulersClock() {
    RollingPrompt prompt = new RollingPrompt(HistoryPolicy.keepAll(), clock, 100);
    clock.advanceTimeBy(Duration.ofSeconds(3));
    prompt.add(Part.text("a"));
    prompt.add(Part.text("b").withMetadata(PartMetadata.CAPTURE_TIME, 7L));
    assertThat(prompt.history())
        .extracting(p -> p.metadata(PartMetadata.CAPTURE_TIME))
        .containsExactly(3000L, 7L);
  }

  @Test
  void stashedPartsWaitAndFollowWhatWasAddedMeanwhile() {
    RollingPrompt prompt = new RollingPrompt(HistoryPolicy.keepAll(), clock, 100);
    prompt.stash(Part.text("later"));
    prompt.add(Part.text("answer").withRole("model"));
    assertThat(prompt.stashed()).isEqualTo(1);
    prompt.applyStash();
    assertThat(prompt.history()).extracting(Part::text).containsExactly("answer", "later");
  }

  @Test
  void theHistoryIsAWindowOfAtMostMaxParts() {
    RollingPrompt prompt = new RollingPrompt(HistoryPolicy.keepAll(), clock, 3);
    for (int i = 0; i < 10; i++) {
      prompt.add(Part.text("p" + i));
    }
    assertThat(prompt.history()).extracting(Part::text).containsExactly("p7", "p8", "p9");
  }

  @Test
  void dropOlderThanCompressesAtFinalize() {
    RollingPrompt prompt =
        new RollingPrompt(HistoryPolicy.dropOlderThan(Duration.ofSeconds(10)), clock, 100);
    prompt.add(Part.text("old"));
    clock.advanceTimeBy(Duration.ofSeconds(11));
    prompt.add(Part.text("new"));
    StepVerifier.create(prompt.finalizePending()).verifyComplete();
    assertThat(prompt.history()).extracting(Part::text).containsExactly("new");
    StepVerifier.create(prompt.pending().take(1)).expectNext(Part.text("new")).verifyComplete();
  }

  @Test
  void keepLastTurnsCountsRunsOfOneRole() {
    List<Part> history =
        List.of(
            Part.text("u1").withRole("user"),
            Part.text("m1").withRole("model"),
            Part.text("u2").withRole("user"),
            Part.text("u2b").withRole("user"),
            Part.text("m2").withRole("model"));
    StepVerifier.create(HistoryPolicy.keepLastTurns(2).compress(history, 0))
        .assertNext(
            kept -> assertThat(kept).extracting(Part::text).containsExactly("u2", "u2b", "m2"))
        .verifyComplete();
  }

  @Test
  void summarizeWithAModelReplacesOlderTurnsByItsSummary() {
    List<Part> history =
        List.of(
            Part.text("I am Ada").withRole("user"),
            Part.text("Hi Ada").withRole("model"),
            Part.text("bye").withRole("user"));
    HistoryPolicy policy =
        HistoryPolicy.summarizeWith(
            in -> in.count().map(n -> Part.text("Ada said hello (" + n + ")")).flux(), 2, 1);
    StepVerifier.create(policy.compress(history, 0))
        .assertNext(
            kept ->
                assertThat(kept)
                    .extracting(Part::text)
                    .containsExactly(
                        "Summary of the conversation so far: Ada said hello (3)", "bye"))
        .verifyComplete();
    HistoryPolicy failing =
        HistoryPolicy.summarizeWith(in -> Flux.error(new IllegalStateException("down")), 2, 1);
    // A failing model used to drop the older parts silently; they become an extractive summary.
    StepVerifier.create(failing.compress(history, 0))
        .assertNext(
            kept -> {
              assertThat(kept)
                  .extracting(Part::text)
                  .containsExactly("user: I am Ada\nmodel: Hi Ada", "bye");
              assertThat(kept.get(0).role()).isEqualTo("system");
              assertThat(kept.get(0).metadata(HistoryCompression.COMPRESSED)).isEqualTo(2L);
            })
        .verifyComplete();
  }

  @Test
  void partsAddedWhileCompressingFollowTheCompressedHistory() {
    reactor.core.publisher.Sinks.One<List<Part>> slow = reactor.core.publisher.Sinks.one();
    RollingPrompt prompt = new RollingPrompt((history, now) -> slow.asMono(), clock, 100);
    prompt.add(Part.text("old"));
    prompt.finalizePending().subscribe();
    prompt.add(Part.text("during"));
    slow.tryEmitValue(List.of(Part.text("summary")));
    assertThat(prompt.history()).extracting(Part::text).containsExactly("summary", "during");
    StepVerifier.create(prompt.pending().take(2))
        .expectNext(Part.text("summary"), Part.text("during"))
        .verifyComplete();
  }

  @Test
  void badSettingsAreRejected() {
    assertThatThrownBy(() -> new RollingPrompt(HistoryPolicy.keepAll(), clock, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HistoryPolicy.keepLastTurns(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HistoryPolicy.dropOlderThan(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
