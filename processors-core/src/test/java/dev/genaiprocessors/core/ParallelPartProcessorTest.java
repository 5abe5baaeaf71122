package dev.genaiprocessors.core;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ParallelPartProcessorTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  private static PartProcessor suffixes(String... suffixes) {
    return part -> Flux.fromArray(suffixes).map(s -> Part.text(part.text() + s));
  }

  @Test
  void outputsAreConcatenatedPerPartInBranchOrder() {
    PartProcessor p = PartProcessor.parallel(suffixes("0", "1"), suffixes("2", "3", "4"));
    StepVerifier.create(Parts.stream("a", "b").transform(p.toProcessor()))
        .expectNextSequence(Parts.texts("a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "b3", "b4"))
        .verifyComplete();
  }

  @Test
  void branchesRunConcurrentlyAndASlowFirstBranchStillComesFirst() {
    PartProcessor slow =
        part ->
            Mono.delay(Duration.ofSeconds(2)).thenReturn(Part.text(part.text() + "-slow")).flux();
    PartProcessor fast =
        part ->
            Mono.delay(Duration.ofSeconds(1)).thenReturn(Part.text(part.text() + "-fast")).flux();
    StepVerifier.withVirtualTime(
            () -> Parts.stream("a").transform(PartProcessor.parallel(slow, fast).toProcessor()))
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(2))
        .expectNextSequence(Parts.texts("a-slow", "a-fast"))
        .verifyComplete();
  }

  @Test
  void partsNoBranchMatchesAreDroppedWithoutPassthrough() {
    PartProcessor onlyA = PartProcessor.matching(p -> p.text().equals("a"), suffixes("!"));
    StepVerifier.create(
            Parts.stream("a", "b").transform(PartProcessor.parallel(onlyA).toProcessor()))
        .expectNextSequence(Parts.texts("a!"))
        .verifyComplete();
  }

  @Test
  void fallbackEmitsThePartOnlyWhenNoBranchGaveOutput() {
    PartProcessor dropB =
        part -> part.text().equals("b") ? Flux.empty() : Flux.just(Part.text(part.text() + "!"));
    PartProcessor onlyA = PartProcessor.matching(p -> p.text().equals("a"), dropB);
    StepVerifier.create(
            Parts.stream("a", "b", "c")
                .transform(PartProcessor.parallel(Passthrough.FALLBACK, dropB).toProcessor()))
        .expectNextSequence(Parts.texts("a!", "b", "c!"))
        .verifyComplete();
    StepVerifier.create(
            Parts.stream("a", "c")
                .transform(PartProcessor.parallel(Passthrough.FALLBACK, onlyA).toProcessor()))
        .expectNextSequence(Parts.texts("a!", "c"))
        .verifyComplete();
  }

  @Test
  void alwaysEmitsThePartAfterTheBranchOutputs() {
    PartProcessor slow =
        part -> Mono.delay(Duration.ofMillis(10)).thenReturn(Part.text(part.text() + "!")).flux();
    StepVerifier.withVirtualTime(
            () ->
                Parts.stream("a", "b")
                    .transform(
                        PartProcessor.parallel(Passthrough.ALWAYS, slow, suffixes("?"))
                            .toProcessor()))
        .thenAwait(Duration.ofMillis(10))
        .expectNextSequence(Parts.texts("a!", "a?", "a", "b!", "b?", "b"))
        .verifyComplete();
  }

  @Test
  void anErrorInALaterBranchFailsTheStageAtOnceWhileAnEarlierBranchIsStillWorking() {
    PartProcessor slow = part -> Mono.delay(Duration.ofSeconds(10)).thenReturn(part).flux();
    PartProcessor failing = part -> Flux.error(new IllegalStateException("branch failed"));
    StepVerifier.withVirtualTime(
            () -> Parts.stream("a").transform(PartProcessor.parallel(slow, failing).toProcessor()))
        .expectSubscription()
        .verifyErrorMessage("branch failed");
  }

  @Test
  void parallelWithNoBranchIsRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(PartProcessor::parallel)
        .isInstanceOf(IllegalArgumentException.class);
  }
}
